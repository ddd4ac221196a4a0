package io.lodestone.index.clustered;

import java.util.Arrays;

/**
 * The rows a search has scored on codes, each once: a row met in several postings (a replica) keeps
 * the intersection of its confidence intervals {@code [estimate - bound, estimate + bound]}. Then
 * {@link #rerankSet} picks every row whose lower bound is at most the k-th smallest upper bound: with
 * bounds that hold, the true top k is among them. Open addressing on the ordinal; one per search.
 */
final class Candidates {

    private final int[] table;
    private final int mask;
    private final int[] ords;
    private final float[] lower;
    private final float[] upper;
    private int size;

    /** Room for up to {@code capacity} distinct rows. */
    Candidates(int capacity) {
        int tableSize = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1) << 1;
        this.table = new int[tableSize];
        Arrays.fill(table, -1);
        this.mask = tableSize - 1;
        this.ords = new int[capacity];
        this.lower = new float[capacity];
        this.upper = new float[capacity];
    }

    int size() {
        return size;
    }

    /** Adds row {@code ord} with its interval, or narrows the interval it already has. */
    void add(int ord, float low, float high) {
        int h = mix(ord) & mask;
        while (true) {
            int slot = table[h];
            if (slot < 0) {
                table[h] = size;
                ords[size] = ord;
                lower[size] = low;
                upper[size] = high;
                size++;
                return;
            }
            if (ords[slot] == ord) {
                lower[slot] = Math.max(lower[slot], low);
                upper[slot] = Math.min(upper[slot], high);
                return;
            }
            h = (h + 1) & mask;
        }
    }

    /**
     * Moves the rows to rerank to the front of {@link #ords()} and returns how many: all of them when
     * there are at most {@code k}, else those whose lower bound is at most the k-th smallest upper bound.
     */
    int rerankSet(int k) {
        if (size <= k) {
            return size;
        }
        float threshold = kthSmallest(upper, size, k);
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (lower[i] <= threshold) {
                ords[kept++] = ords[i];
            }
        }
        return kept;
    }

    int[] ords() {
        return ords;
    }

    /** The k-th smallest of {@code values[0, n)} ({@code 1 ≤ k ≤ n}) through a max-heap of k. */
    static float kthSmallest(float[] values, int n, int k) {
        float[] heap = new float[k];
        int h = 0;
        for (int i = 0; i < n; i++) {
            float v = values[i];
            if (h < k) {
                int j = h++;
                while (j > 0 && heap[(j - 1) >>> 1] < v) {
                    heap[j] = heap[(j - 1) >>> 1];
                    j = (j - 1) >>> 1;
                }
                heap[j] = v;
            } else if (v < heap[0]) {
                int j = 0;
                while (true) {
                    int child = 2 * j + 1;
                    if (child >= k) {
                        break;
                    }
                    if (child + 1 < k && heap[child + 1] > heap[child]) {
                        child++;
                    }
                    if (heap[child] <= v) {
                        break;
                    }
                    heap[j] = heap[child];
                    j = child;
                }
                heap[j] = v;
            }
        }
        return heap[0];
    }

    private static int mix(int x) {
        int h = x * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
