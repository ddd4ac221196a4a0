package io.lodestone.index.clustered;

import java.util.Arrays;

/**
 * The rows a search has scored on codes, each once: a row met in several postings (a replica) keeps
 * the intersection of its confidence intervals {@code [estimate - bound, estimate + bound]}. Then
 * {@link #rerankSet} picks every row whose lower bound is at most the k-th smallest upper bound: with
 * bounds that hold, the true top k is among them. Open addressing on the ordinal; one per search.
 *
 * <p>Most scored rows cannot make that set, so {@link #add} first compares the lower bound with a
 * running threshold: the k-th smallest of the first upper bounds of the distinct rows kept so far
 * (a row met again narrows its interval but adds no second value). Each value is at least its row's
 * final upper bound, so the threshold is never below the final k-th smallest upper bound, and it only
 * falls. A row dropped by it could not have been reranked.
 */
final class Candidates {

    private static final int INITIAL_CAPACITY = 256;

    /** Open addressing: slot of each ordinal, -1 when free; at most half full. */
    private int[] table;
    private int mask;
    private int[] ords;
    private float[] lower;
    private float[] upper;
    private int size;

    /** Max-heap of the {@code k} smallest first upper bounds of the distinct rows kept so far. */
    private final float[] heap;
    private int heapSize;

    /** An empty set for the top {@code k}. It grows as needed: the running threshold keeps most scored rows out. */
    Candidates(int k) {
        this.heap = new float[k];
        allocate(INITIAL_CAPACITY);
    }

    private void allocate(int capacity) {
        table = new int[2 * capacity];
        Arrays.fill(table, -1);
        mask = table.length - 1;
        ords = Arrays.copyOf(ords == null ? new int[0] : ords, capacity);
        lower = Arrays.copyOf(lower == null ? new float[0] : lower, capacity);
        upper = Arrays.copyOf(upper == null ? new float[0] : upper, capacity);
        for (int i = 0; i < size; i++) {
            int h = mix(ords[i]) & mask;
            while (table[h] >= 0) {
                h = (h + 1) & mask;
            }
            table[h] = i;
        }
    }

    /**
     * The running threshold: {@link #add} ignores a row whose lower bound is above it. Infinite until
     * {@code k} rows are kept; it only falls.
     */
    float threshold() {
        return heapSize == heap.length ? heap[0] : Float.POSITIVE_INFINITY;
    }

    int size() {
        return size;
    }

    /**
     * Adds row {@code ord} with its interval, or narrows the interval it already has; does nothing when
     * the lower bound is above the running threshold.
     */
    void add(int ord, float low, float high) {
        if (heapSize == heap.length && low > heap[0]) {
            return;
        }
        if (insert(ord, low, high)) {
            pushUpper(high);
        }
    }

    /** Adds the row, or narrows its interval; returns whether it was new. */
    private boolean insert(int ord, float low, float high) {
        int h = mix(ord) & mask;
        while (true) {
            int slot = table[h];
            if (slot < 0) {
                if (size == ords.length) {
                    allocate(2 * ords.length);
                    return insert(ord, low, high);
                }
                table[h] = size;
                ords[size] = ord;
                lower[size] = low;
                upper[size] = high;
                size++;
                return true;
            }
            if (ords[slot] == ord) {
                lower[slot] = Math.max(lower[slot], low);
                upper[slot] = Math.min(upper[slot], high);
                return false;
            }
            h = (h + 1) & mask;
        }
    }

    /** Keeps {@code value} if it is among the {@code k} smallest so far. */
    private void pushUpper(float value) {
        heapSize = offerSmallest(heap, heapSize, value);
    }

    /**
     * Offers {@code value} to the max-heap {@code heap[0, size)} that keeps the {@code heap.length}
     * smallest values offered; returns the heap's new size.
     */
    private static int offerSmallest(float[] heap, int size, float value) {
        if (size < heap.length) {
            int j = size;
            while (j > 0 && heap[(j - 1) >>> 1] < value) {
                heap[j] = heap[(j - 1) >>> 1];
                j = (j - 1) >>> 1;
            }
            heap[j] = value;
            return size + 1;
        }
        if (value < heap[0]) {
            siftDownRoot(heap, heap.length, value);
        }
        return size;
    }

    /** Replaces the root of the max-heap {@code heap[0, n)} with {@code value} and restores the order. */
    private static void siftDownRoot(float[] heap, int n, float value) {
        int j = 0;
        while (true) {
            int child = 2 * j + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && heap[child + 1] > heap[child]) {
                child++;
            }
            if (heap[child] <= value) {
                break;
            }
            heap[j] = heap[child];
            j = child;
        }
        heap[j] = value;
    }

    /**
     * Moves the rows to rerank to the front of {@link #ords()} (their bounds to the front of {@link #lower()} and
     * {@link #upper()}) and returns how many: all of them when there are at most {@code k}, else those whose lower
     * bound is at most the k-th smallest upper bound.
     */
    int rerankSet(int k) {
        if (size <= k) {
            return size;
        }
        float threshold = kthSmallest(upper, size, k);
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (lower[i] <= threshold) {
                ords[kept] = ords[i];
                lower[kept] = lower[i];
                upper[kept++] = upper[i];
            }
        }
        return kept;
    }

    int[] ords() {
        return ords;
    }

    float[] lower() {
        return lower;
    }

    float[] upper() {
        return upper;
    }

    /** The k-th smallest of {@code values[0, n)} ({@code 1 ≤ k ≤ n}) through a max-heap of k. */
    static float kthSmallest(float[] values, int n, int k) {
        float[] heap = new float[k];
        int size = 0;
        for (int i = 0; i < n; i++) {
            size = offerSmallest(heap, size, values[i]);
        }
        return heap[0];
    }

    private static int mix(int x) {
        int h = x * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
