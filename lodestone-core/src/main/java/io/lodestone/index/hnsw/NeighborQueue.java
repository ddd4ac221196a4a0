package io.lodestone.index.hnsw;

import java.util.Arrays;

/**
 * A binary heap of (node, distance) pairs packed into {@code long}s, with no boxing: the high 32
 * bits hold the distance as an order-preserving int, the low 32 bits the node, so comparing two
 * entries is one {@code long} comparison (ties go to the smaller node). A min-heap has the closest
 * pair on top (search candidates); a max-heap the farthest (the current results, bounded by
 * {@code ef}). Grows as needed; reuse it with {@link #clear()}. Not thread-safe.
 */
final class NeighborQueue {

    private final boolean maxHeap;
    /** 1-based heap of encoded entries; a max-heap stores {@code ~key} so both are min-heaps here. */
    private long[] heap;
    private int size;

    NeighborQueue(int initialCapacity, boolean maxHeap) {
        this.maxHeap = maxHeap;
        this.heap = new long[Math.max(initialCapacity, 1) + 1];
    }

    /** The entry for {@code node} at {@code distance}, ordered by distance then node. */
    static long encode(int node, float distance) {
        return ((long) sortableInt(distance) << 32) | (node & 0xFFFFFFFFL);
    }

    static int decodeNode(long key) {
        return (int) key;
    }

    static float decodeDistance(long key) {
        int s = (int) (key >>> 32);
        return Float.intBitsToFloat(s ^ ((s >> 31) & 0x7fffffff));
    }

    /** An int that orders like the float (negative floats have their magnitude bits flipped). */
    private static int sortableInt(float f) {
        int bits = Float.floatToIntBits(f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    void add(int node, float distance) {
        push(encode(node, distance));
    }

    /**
     * Adds the pair and, if the heap then holds more than {@code maxSize} entries, removes the top:
     * for a max-heap of results, keeps the {@code maxSize} closest.
     */
    void addBounded(int node, float distance, int maxSize) {
        long key = encode(node, distance);
        if (size < maxSize) {
            push(key);
        } else if (size > 0 && (maxHeap ? ~key > heap[1] : key > heap[1])) {
            // Better than the top: replace it and sift down (one pass instead of push and pop).
            siftDownFromRoot(maxHeap ? ~key : key);
        }
    }

    /** Adds an entry made by {@link #encode}. */
    void push(long key) {
        if (++size == heap.length) {
            heap = Arrays.copyOf(heap, heap.length * 2);
        }
        long stored = maxHeap ? ~key : key;
        // Sift up.
        int i = size;
        while (i > 1) {
            int parent = i >>> 1;
            long p = heap[parent];
            if (p <= stored) {
                break;
            }
            heap[i] = p;
            i = parent;
        }
        heap[i] = stored;
    }

    /** Removes and returns the top entry (decode with {@link #decodeNode}/{@link #decodeDistance}). */
    long pop() {
        long top = heap[1];
        long last = heap[size--];
        if (size > 0) {
            siftDownFromRoot(last);
        }
        return maxHeap ? ~top : top;
    }

    /** Puts the stored value {@code value} at the root and restores the heap order below it. */
    private void siftDownFromRoot(long value) {
        long last = value;
        int i = 1;
        int n = size;
        int child;
        while ((child = i << 1) <= n) {
            long c = heap[child];
            if (child < n) {
                long right = heap[child + 1];
                if (right < c) {
                    child++;
                    c = right;
                }
            }
            if (last <= c) {
                break;
            }
            heap[i] = c;
            i = child;
        }
        heap[i] = last;
    }

    /** The top entry, still in the heap. */
    long peek() {
        long top = heap[1];
        return maxHeap ? ~top : top;
    }

    int topNode() {
        return decodeNode(peek());
    }

    float topDistance() {
        return decodeDistance(peek());
    }

    /** The {@code i}-th stored entry ({@code 0 <= i < size}), in heap order, not sorted. */
    long entryAt(int i) {
        long e = heap[i + 1];
        return maxHeap ? ~e : e;
    }
}
