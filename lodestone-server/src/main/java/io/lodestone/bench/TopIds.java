package io.lodestone.bench;

import java.util.HashSet;
import java.util.Set;

/** The k smallest (distance, row id) pairs a benchmark's brute-force scan offers, for its ground truth. */
final class TopIds {
    private final float[] d;
    private final int[] id;
    private int n;

    TopIds(int k) {
        d = new float[k];
        id = new int[k];
    }

    void offer(float dist, int row) {
        if (n == d.length && dist >= d[n - 1]) return;
        int at = n < d.length ? n++ : n - 1;
        while (at > 0 && d[at - 1] > dist) {
            d[at] = d[at - 1];
            id[at] = id[at - 1];
            at--;
        }
        d[at] = dist;
        id[at] = row;
    }

    Set<Long> ids() {
        Set<Long> out = new HashSet<>();
        for (int i = 0; i < n; i++) out.add((long) id[i]);
        return out;
    }
}
