package io.lodestone.index.clustered;

import io.lodestone.vector.VectorUtil;

/**
 * Int8 copies of the centroids, one scale each, for a cheaper first pass of a query's probe: a quarter
 * of the bytes of the float centroids, which a flat probe otherwise reads whole for every query.
 * Centroid {@code c} is {@code s_c · b_c} plus a rounding residual of norm {@code e_c} (kept), so
 * {@code ‖x - c‖² = ‖x‖² + ‖c‖² - 2 s_c⟨x, b_c⟩ ∓ 2⟨x, c - s_c b_c⟩}, and by Cauchy-Schwarz the last term is
 * at most {@code 2‖x‖e_c}: every approximate distance comes with a bound that holds, and
 * {@link #candidates} keeps every centroid that could be among the {@code count} nearest. Immutable.
 */
final class Int8Centroids {

    /** Relative float rounding allowed for on top of the bound (the sums are of a few hundred terms). */
    private static final float ROUNDING = 1e-4f;

    private final int clusters;
    private final int dim;
    private final byte[] codes;
    private final float[] scales;
    private final float[] squaredNorms;
    private final float[] residualNorms;

    /** Quantizes {@code clusters} row-major centroids of {@code dim} floats. */
    Int8Centroids(float[] centroids, int clusters, int dim) {
        this.clusters = clusters;
        this.dim = dim;
        this.codes = new byte[Math.multiplyExact(clusters, dim)];
        this.scales = quantize(centroids, clusters, dim, codes);
        this.squaredNorms = new float[clusters];
        this.residualNorms = new float[clusters];
        for (int c = 0; c < clusters; c++) {
            int base = c * dim;
            double squares = 0;
            double residual = 0;
            for (int i = 0; i < dim; i++) {
                squares += (double) centroids[base + i] * centroids[base + i];
                double r = centroids[base + i] - (double) scales[c] * codes[base + i];
                residual += r * r;
            }
            squaredNorms[c] = (float) squares;
            residualNorms[c] = (float) Math.sqrt(residual);
        }
    }

    /**
     * Rounds each of {@code clusters} row-major centroids of {@code dim} floats to int8 codes times one scale
     * (its largest magnitude over 127): writes the codes to {@code codes} and returns the scales.
     */
    static float[] quantize(float[] centroids, int clusters, int dim, byte[] codes) {
        float[] scales = new float[clusters];
        for (int c = 0; c < clusters; c++) {
            int base = c * dim;
            float max = 0f;
            for (int i = 0; i < dim; i++) max = Math.max(max, Math.abs(centroids[base + i]));
            float scale = max > 0f ? max / 127f : 1f;
            for (int i = 0; i < dim; i++) codes[base + i] = (byte) Math.round(centroids[base + i] / scale);
            scales[c] = scale;
        }
        return scales;
    }

    /**
     * The centroids the codes stand for, {@code scale · code} each: the writer of a version 2 index uses exactly these
     * (it assigns and encodes rows against them), and a reader computes the same floats from the stored codes.
     */
    static float[] dequantize(byte[] codes, float[] scales, int clusters, int dim) {
        float[] out = new float[Math.multiplyExact(clusters, dim)];
        for (int c = 0; c < clusters; c++) {
            int base = c * dim;
            float scale = scales[c];
            for (int i = 0; i < dim; i++) out[base + i] = scale * codes[base + i];
        }
        return out;
    }

    /** Bytes held. */
    long heapBytes() {
        return codes.length + 12L * clusters;
    }

    /**
     * The ids, ascending, of every centroid whose lower bound on {@code ‖x - c‖²} is at most the
     * {@code count}-th smallest upper bound ({@code 1 ≤ count ≤ K}): a superset of the {@code count}
     * nearest. Writes them to {@code ids} (length K) and returns how many.
     */
    int candidates(float[] x, int count, int[] ids) {
        float norm = VectorUtil.norm(x);
        float squares = norm * norm;
        float[] lower = new float[clusters];
        float[] upper = new float[clusters];
        for (int c = 0; c < clusters; c++) {
            float approx = squares + squaredNorms[c] - 2f * scales[c] * VectorUtil.dotInt8(x, 0, codes, c * dim, dim);
            float slack = 2f * norm * residualNorms[c] + ROUNDING * (squares + squaredNorms[c] + 1f);
            lower[c] = approx - slack;
            upper[c] = approx + slack;
        }
        float threshold = Candidates.kthSmallest(upper, clusters, count);
        int n = 0;
        for (int c = 0; c < clusters; c++) {
            if (lower[c] <= threshold) {
                ids[n++] = c;
            }
        }
        return n;
    }
}
