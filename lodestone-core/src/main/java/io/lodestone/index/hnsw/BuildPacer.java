package io.lodestone.index.hnsw;

/**
 * Lets a graph build step aside for more urgent work in the same process: each building thread calls
 * {@link #pause()} every {@link #INSERTS_PER_CALL} insertions, and the pacer returns when the build may go on.
 */
@FunctionalInterface
public interface BuildPacer {
    /** Insertions between calls: a few milliseconds of work, so a pause starts soon after it is wanted. */
    int INSERTS_PER_CALL = 32;

    /** A pacer that never pauses. */
    BuildPacer NONE = () -> {
    };

    /** Returns once the calling build thread may insert its next nodes. */
    void pause();
}
