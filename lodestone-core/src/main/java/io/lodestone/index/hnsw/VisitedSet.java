package io.lodestone.index.hnsw;

/**
 * The nodes one search has visited: a bitset (one bit per node, so 60k nodes take 7.5 KB and stay
 * in L1) plus the list of words it has touched, so that {@link #clear()} costs the number of
 * touched words, not the graph size. Reused across searches by one thread.
 */
final class VisitedSet {

    private long[] words;
    private int[] touched;
    private int touchedCount;

    VisitedSet(int capacity) {
        words = new long[wordsFor(capacity)];
        touched = new int[words.length];
    }

    private static int wordsFor(int capacity) {
        return Math.max(1, (capacity + 63) >>> 6);
    }

    /** Makes room for nodes {@code 0 .. capacity-1}; clears the set. */
    void ensureCapacity(int capacity) {
        int n = wordsFor(capacity);
        if (n > words.length) {
            words = new long[n];
            touched = new int[n];
            touchedCount = 0;
        } else {
            clear();
        }
    }

    /** Marks {@code node} visited; true if it was not visited before. */
    boolean visit(int node) {
        int w = node >>> 6;
        long bit = 1L << node;
        long old = words[w];
        if ((old & bit) != 0) {
            return false;
        }
        if (old == 0) {
            touched[touchedCount++] = w;
        }
        words[w] = old | bit;
        return true;
    }

    boolean isVisited(int node) {
        return (words[node >>> 6] & (1L << node)) != 0;
    }

    void clear() {
        long[] w = words;
        int[] t = touched;
        for (int i = 0, n = touchedCount; i < n; i++) {
            w[t[i]] = 0;
        }
        touchedCount = 0;
    }
}
