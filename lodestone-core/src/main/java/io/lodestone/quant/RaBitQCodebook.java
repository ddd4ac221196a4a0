package io.lodestone.quant;

import java.util.Arrays;

/**
 * The RaBitQ codebook with {@code B} bits per coordinate: the grid points whose coordinates are
 * half-integers {@code ±0.5, ±1.5, …, ±(2^(B-1) - 0.5)}, compared with a unit vector by direction
 * only. {@link #nearest} finds, for a rotated unit residual {@code o}, the grid point {@code y} with
 * the largest cosine {@code ⟨y, o⟩ / ‖y‖}; with {@code B = 1} that is the sign vector of 1-bit RaBitQ,
 * with more bits the extended RaBitQ code (Gao et al., SIGMOD 2025).
 *
 * <p>Stored as {@code u_i = y_i + (2^B - 1)/2} in {@code [0, 2^B)}: the top bit of {@code u_i} is the
 * sign of {@code o_i}, so the 1-bit code is the first bit plane of every longer code.
 */
final class RaBitQCodebook {

    private RaBitQCodebook() {
    }

    /**
     * The nearest grid point to {@code o} by cosine.
     *
     * @param u       receives {@code u_i}
     * @param dot     {@code ⟨y, o⟩}
     * @param norm    {@code ‖y‖}
     */
    record Codeword(int[] u, double dot, double norm) {
        /** {@code ⟨y, o⟩ / ‖y‖}, the cosine between the code and {@code o} (in (0, 1]). */
        double cosine() {
            return norm == 0 ? 1 : dot / norm;
        }
    }

    /**
     * The best grid point, exactly: scaling {@code o} by {@code t} and rounding each {@code |t·o_i|} to
     * the grid gives magnitude {@code min(floor(t|o_i|), 2^(B-1) - 1) + 0.5}, which only changes where
     * {@code t|o_i|} crosses an integer. Sweeping {@code t} upward through those events, from all
     * magnitudes 0.5, updates {@code ⟨y, o⟩} and {@code ‖y‖²} in O(1) each; the best cosine seen is the
     * answer. O(D·2^(B-1)·log) time.
     */
    static Codeword nearest(float[] o, int bits) {
        int d = o.length;
        int half = 1 << (bits - 1);
        int[] magnitude = new int[d];   // k_i: |y_i| = k_i + 0.5
        double dot = 0;
        for (float x : o) {
            dot += 0.5 * Math.abs(x);
        }
        double squares = 0.25 * d;
        if (bits > 1) {
            // Event (t = k / |o_i|) as a sortable long: the float bits of t (positive, so they sort like
            // t), then the coordinate.
            int steps = half - 1;
            long[] events = new long[d * steps];
            int n = 0;
            for (int i = 0; i < d; i++) {
                float a = Math.abs(o[i]);
                if (a == 0f) {
                    continue;
                }
                for (int k = 1; k <= steps; k++) {
                    events[n++] = ((long) Float.floatToIntBits(k / a) << 32) | i;
                }
            }
            Arrays.sort(events, 0, n);
            double best = dot / Math.sqrt(squares);
            int bestEvent = 0;
            for (int e = 0; e < n; e++) {
                int i = (int) events[e];
                int k = magnitude[i]++;
                dot += Math.abs(o[i]);
                squares += 2 * k + 2;   // (k + 1.5)² - (k + 0.5)²
                double cosine = dot / Math.sqrt(squares);
                if (cosine > best) {
                    best = cosine;
                    bestEvent = e + 1;
                }
            }
            Arrays.fill(magnitude, 0);
            dot = 0;
            squares = 0;
            for (int e = 0; e < bestEvent; e++) {
                magnitude[(int) events[e]]++;
            }
            for (int i = 0; i < d; i++) {
                double m = magnitude[i] + 0.5;
                dot += m * Math.abs(o[i]);
                squares += m * m;
            }
        }
        int[] u = new int[d];
        for (int i = 0; i < d; i++) {
            u[i] = o[i] >= 0f ? half + magnitude[i] : half - 1 - magnitude[i];
        }
        return new Codeword(u, dot, Math.sqrt(squares));
    }
}
