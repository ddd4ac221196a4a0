package io.lodestone.testing;

import java.util.Arrays;

/**
 * How many object-store round trips a client waited for one after another, as the wire sees them: each
 * request gets depth 1 + the largest depth among the requests that had completed when it started, and
 * the largest depth is the number of sequential round trips (the critical path). A request that had to
 * wait for another's answer is one deeper; requests in flight together share a depth. A client that
 * sends three GETs one after another reaches depth 3; three sent at once all have depth 1.
 *
 * <p>Completions are reported in time order (under the caller's lock, with their end times), so the
 * largest completed depth only grows with time; it is kept as the time each depth was first reached, and
 * the depth of a request that started at any earlier moment is found by binary search. Not thread-safe:
 * {@link FaultProxy} calls it under its lock.
 */
final class RoundTripDepth {
    /** {@code reachedAt[d - 1]}: when a request of depth {@code d} first completed; ascending. */
    private long[] reachedAt = new long[16];
    private int maxCompleted;

    /** The depth of a request that started at {@code startNanos} ({@link System#nanoTime()}). */
    int depthOfRequestStartedAt(long startNanos) {
        int i = Arrays.binarySearch(reachedAt, 0, maxCompleted, startNanos);
        // completed strictly before the start: at an equal time the answer cannot have been read yet
        int completedBefore = i >= 0 ? lowestIndexOf(i, startNanos) : -i - 1;
        return completedBefore + 1;
    }

    /** A request of {@code depth} completed at {@code endNanos}, no earlier than any completion reported before. */
    void completed(int depth, long endNanos) {
        while (maxCompleted < depth) {
            if (maxCompleted == reachedAt.length) reachedAt = Arrays.copyOf(reachedAt, reachedAt.length * 2);
            reachedAt[maxCompleted++] = endNanos;
        }
    }

    /** The number of sequential round trips so far: the largest depth of a completed request (0 before any). */
    int max() {
        return maxCompleted;
    }

    /** Forgets every request. */
    void reset() {
        maxCompleted = 0;
    }

    private int lowestIndexOf(int found, long value) {
        int i = found;
        while (i > 0 && reachedAt[i - 1] == value) i--;
        return i;
    }
}
