package io.lodestone.index.hnsw;

/**
 * Lets a graph build step aside for more urgent work in the same process: each building thread calls
 * {@link #pause()} after every insertion (so it must be cheap when it does not pause), and the pacer returns when
 * the build may go on.
 */
@FunctionalInterface
public interface BuildPacer {
    /** A pacer that never pauses. */
    BuildPacer NONE = () -> {
    };

    /** Returns once the calling build thread may insert its next nodes. */
    void pause();
}
