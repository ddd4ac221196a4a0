package io.lodestone.quant;

import java.util.Arrays;

/**
 * The {@code capacity} nearest (ordinal, distance) pairs offered so far: a binary max-heap on
 * distance (ties: the larger ordinal counts as farther), so the farthest kept pair is at the root and
 * is what a new pair must beat. Not thread-safe.
 */
final class NearestQueue {

    private final int capacity;
    private final int[] ordinals;
    private final float[] distances;
    private int size;

    NearestQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1; got " + capacity);
        }
        this.capacity = capacity;
        this.ordinals = new int[capacity];
        this.distances = new float[capacity];
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == capacity;
    }

    /** The distance a pair must beat once the queue is full; +∞ before. */
    float worstDistance() {
        return isFull() ? distances[0] : Float.POSITIVE_INFINITY;
    }

    /** Keeps the pair if the queue has room or it is nearer than the farthest kept pair. */
    boolean offer(int ordinal, float distance) {
        if (size < capacity) {
            int i = size++;
            ordinals[i] = ordinal;
            distances[i] = distance;
            siftUp(i);
            return true;
        }
        if (!farther(ordinals[0], distances[0], ordinal, distance)) {
            return false;
        }
        ordinals[0] = ordinal;
        distances[0] = distance;
        siftDown(0);
        return true;
    }

    /** The kept pairs, nearest first. */
    Neighbor[] sorted() {
        Neighbor[] out = new Neighbor[size];
        for (int i = 0; i < size; i++) {
            out[i] = new Neighbor(ordinals[i], distances[i]);
        }
        Arrays.sort(out);
        return out;
    }

    /** Whether (a, da) is farther than (b, db). */
    private static boolean farther(int a, float da, int b, float db) {
        int c = Float.compare(da, db);
        return c > 0 || (c == 0 && a > b);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!farther(ordinals[i], distances[i], ordinals[parent], distances[parent])) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int child = left;
            int right = left + 1;
            if (right < size && farther(ordinals[right], distances[right], ordinals[left], distances[left])) {
                child = right;
            }
            if (!farther(ordinals[child], distances[child], ordinals[i], distances[i])) {
                return;
            }
            swap(i, child);
            i = child;
        }
    }

    private void swap(int i, int j) {
        int o = ordinals[i];
        ordinals[i] = ordinals[j];
        ordinals[j] = o;
        float d = distances[i];
        distances[i] = distances[j];
        distances[j] = d;
    }
}
