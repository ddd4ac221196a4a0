package io.lodestone.engine;

import java.util.Arrays;
import java.util.function.IntBinaryOperator;

/**
 * Bounded collector of the k rows with the lowest scores: a max-heap on (score, tie-break), so the
 * worst kept row is at the root and {@link #threshold()} tells whether a candidate can still enter.
 */
final class TopK {
    private final int k;
    private final float[] scores;
    private final int[] rows;
    private final IntBinaryOperator tieBreak;
    private int size;

    /** @param tieBreak compares two rows with equal scores; negative keeps the first */
    TopK(int k, IntBinaryOperator tieBreak) {
        this.k = k;
        this.scores = new float[k];
        this.rows = new int[k];
        this.tieBreak = tieBreak;
    }

    /** Scores at or above this cannot enter once the collector is full. */
    float threshold() {
        return size < k ? Float.POSITIVE_INFINITY : scores[0];
    }

    void offer(float score, int row) {
        if (size < k) {
            scores[size] = score;
            rows[size] = row;
            siftUp(size++);
        } else if (worse(scores[0], rows[0], score, row)) {
            scores[0] = score;
            rows[0] = row;
            siftDown(0);
        }
    }

    /** Kept rows and their scores, best first. */
    record Sorted(int[] rows, float[] scores) {
    }

    Sorted sorted() {
        Integer[] idx = new Integer[size];
        for (int i = 0; i < size; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> worse(scores[a], rows[a], scores[b], rows[b]) ? 1
                : worse(scores[b], rows[b], scores[a], rows[a]) ? -1 : 0);
        int[] r = new int[size];
        float[] s = new float[size];
        for (int i = 0; i < size; i++) {
            r[i] = rows[idx[i]];
            s[i] = scores[idx[i]];
        }
        return new Sorted(r, s);
    }

    /** Whether (sa, ra) ranks after (sb, rb). */
    private boolean worse(float sa, int ra, float sb, int rb) {
        int c = Float.compare(sa, sb);
        return c > 0 || (c == 0 && tieBreak.applyAsInt(ra, rb) > 0);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int p = (i - 1) / 2;
            if (!worse(scores[i], rows[i], scores[p], rows[p])) break;
            swap(i, p);
            i = p;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1, r = l + 1, m = i;
            if (l < size && worse(scores[l], rows[l], scores[m], rows[m])) m = l;
            if (r < size && worse(scores[r], rows[r], scores[m], rows[m])) m = r;
            if (m == i) return;
            swap(i, m);
            i = m;
        }
    }

    private void swap(int a, int b) {
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
        int r = rows[a];
        rows[a] = rows[b];
        rows[b] = r;
    }
}
