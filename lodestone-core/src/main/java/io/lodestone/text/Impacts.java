package io.lodestone.text;

import java.util.Arrays;

/**
 * Score upper bounds of a set of postings, independent of idf and average length: the (freq, length code)
 * pairs that no other pair dominates (a pair dominates another with freq ≥ and code ≤, since BM25 rises with
 * freq and falls with length). Whatever the statistics, the best score in the set is the best score of one of
 * these pairs. At most {@link #MAX_POINTS} are kept: neighbours are merged into (larger freq, smaller code),
 * which still bounds both.
 */
final class Impacts {

    static final int MAX_POINTS = 4;

    private Impacts() {
    }

    /**
     * The bounding pairs of postings {@code [from, to)}, as an array {@code [freq0, norm0, freq1, norm1, …]} with
     * codes ascending and freqs ascending.
     */
    static int[] of(int[] docs, int[] freqs, int from, int to, byte[] norms) {
        int[] bestFreq = new int[256];
        for (int i = from; i < to; i++) {
            int norm = norms[docs[i]] & 0xFF;
            bestFreq[norm] = Math.max(bestFreq[norm], freqs[i]);
        }
        int[] points = new int[2 * 256];
        int n = 0;
        int best = 0;
        for (int norm = 0; norm < 256; norm++) {
            if (bestFreq[norm] > best) {
                best = bestFreq[norm];
                points[2 * n] = best;
                points[2 * n + 1] = norm;
                n++;
            }
        }
        while (n > MAX_POINTS) n = mergeClosest(points, n);
        return Arrays.copyOf(points, 2 * n);
    }

    /** Merges the neighbours with the closest codes into (the larger freq, the smaller code). */
    private static int mergeClosest(int[] points, int n) {
        int at = 0;
        int gap = Integer.MAX_VALUE;
        for (int i = 0; i + 1 < n; i++) {
            int g = points[2 * i + 3] - points[2 * i + 1];
            if (g < gap) {
                gap = g;
                at = i;
            }
        }
        points[2 * at] = points[2 * at + 2]; // keep the smaller code at[1], take the larger freq
        System.arraycopy(points, 2 * at + 4, points, 2 * at + 2, 2 * (n - at - 2));
        return n - 1;
    }

    /** The largest score among the pairs. */
    static float maxScore(int[] points, Bm25Scorer scorer) {
        float max = 0;
        for (int i = 0; i < points.length; i += 2) max = Math.max(max, scorer.score(points[i], points[i + 1]));
        return max;
    }
}
