package io.lodestone.quant;

import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

import java.lang.foreign.MemorySegment;

import static io.lodestone.quant.RaBitQuantizer.FLOAT_LE;

/**
 * A query prepared for {@link RaBitQuantizer}'s codes, and the estimator and bound applied to them. Preparing
 * ({@link #quantize}):
 * <ol>
 *   <li>{@code q'}, the rotated unit residual {@code R·(q - c)/‖q - c‖}, quantized to {@code Bq} bits:
 *       {@code u_i = round((q'_i - lo)/Δ)}, {@code Δ = (hi - lo)/(2^Bq - 1)}, and the error norm
 *       {@code ‖lo + Δu - q'‖};</li>
 *   <li>the bits of {@code u} transposed into {@code Bq} bit planes of 64-bit words, plane-major
 *       ({@link VectorUtil#bitPlanes}).</li>
 * </ol>
 * Scoring a code with levels {@code v_i} ({@code y_i = v_i - (2^B - 1)/2}):
 * {@code S = Σ_i v_i u_i = Σ_{a,j} 2^(a+j) · bitCount(plane_a ∧ qplane_j)} and
 * {@code V = Σ_i v_i = Σ_a 2^a · bitCount(plane_a)}, so that
 * {@code ⟨y, q̄⟩ = Δ·S + lo·V - (2^B - 1)/2 · (D·lo + Δ·Σu)}, which the stored factors turn into a
 * distance and an error bound (formulas on {@link RaBitQuantizer}). 1-bit codes are scored in batches by
 * {@link VectorUtil#bitPlaneDots}, longer ones plane by plane across the codes.
 *
 * <p>Mutable and reusable: {@link #quantize} overwrites the previous query, so a scan of many postings
 * (one residual each) allocates nothing per posting. Belongs to one thread.
 */
final class QuantizedQuery {

    private final DistanceMetric metric;
    private final int padded;
    private final int words;
    private final int planeBytes;
    private final int bits;
    private final int queryBits;
    private final int codeSize;
    private final long factorsOffset;
    /** {@code ‖y‖} of every code when {@code B = 1}: {@code √D / 2}. */
    private final float oneBitNorm;
    /** {@code ε0 / √(D-1)}, and {@code ε0 / √D} (times the query's rounding error gives {@link #boundQuery}). */
    private final float boundScale;
    private final double queryErrorScale;

    /** {@code planes[j·words + w]}: bit {@code j} of the quantized query, coordinates {@code 64w ..}. */
    private final long[] planes;
    private final int[] levels;
    private final float[] rounding;
    /** {@link #codeDotQuery}'s counts per code plane. */
    private final int[] planeDots;
    private final int[] planeOnes;
    private int[] dots = new int[0];
    private int[] ones = new int[0];
    private float[] norms = new float[0];
    private float[] cosines = new float[0];
    private float[] extras = new float[0];
    /** Per code of a multi-bit batch: its planes' dot counts and one counts, weighted by plane. */
    private long[] planeSums = new long[0];
    private long[] oneSums = new long[0];

    private float queryNorm;
    private float queryCentroidDot;
    /** {@code ⟨y, q̄⟩ = delta·S + lo·V + constant}. */
    private double delta;
    private double lo;
    private double constant;
    /** {@code ε0 · ‖q̄ - q'‖ / √D}. */
    private float boundQuery;

    QuantizedQuery(RaBitQuantizer quantizer) {
        this.metric = quantizer.metric();
        this.padded = quantizer.paddedDimension();
        this.words = padded / 64;
        this.planeBytes = padded / 8;
        this.bits = quantizer.bits();
        this.queryBits = quantizer.queryBits();
        this.codeSize = quantizer.codeSize();
        this.factorsOffset = quantizer.factorsOffset();
        this.oneBitNorm = (float) (Math.sqrt(padded) / 2);
        this.boundScale = (float) (quantizer.epsilon0() / Math.sqrt(padded - 1));
        this.queryErrorScale = quantizer.epsilon0() / Math.sqrt(padded);
        this.planes = new long[words * queryBits];
        this.levels = new int[padded];
        this.rounding = new float[padded];
        this.planeDots = new int[bits];
        this.planeOnes = new int[bits];
    }

    /**
     * Prepares for a query whose rotated unit residual is {@code q} ({@code D} floats, zeros when the
     * query is the centroid), with {@code queryNorm = ‖q - c‖} and {@code queryCentroidDot = ⟨q, c⟩} for
     * dot_product (else unused).
     */
    void quantize(float[] q, float queryNorm, float queryCentroidDot) {
        this.queryNorm = queryNorm;
        this.queryCentroidDot = queryCentroidDot;
        float low = Float.POSITIVE_INFINITY;
        float high = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < padded; i++) {
            low = Math.min(low, q[i]);
            high = Math.max(high, q[i]);
        }
        int top = (1 << queryBits) - 1;
        float step = high > low ? (high - low) / top : 1f;
        float inverseStep = 1f / step;
        // Element-wise loops the JIT vectorizes, then the SIMD transposition: this runs once per query
        // and posting, so it must stay cheap next to the scan.
        for (int i = 0; i < padded; i++) {
            levels[i] = Math.min(top, Math.max(0, (int) ((q[i] - low) * inverseStep + 0.5f)));
        }
        int sumU = 0;   // at most 65,536 · 255
        for (int i = 0; i < padded; i++) {
            sumU += levels[i];
        }
        for (int i = 0; i < padded; i++) {
            rounding[i] = low + step * levels[i] - q[i];
        }
        float error = VectorUtil.norm(rounding);
        VectorUtil.bitPlanes(levels, words, queryBits, planes);
        this.delta = step;
        this.lo = low;
        this.constant = -((1 << bits) - 1) / 2.0 * ((double) padded * low + (double) step * sumU);
        this.boundQuery = (float) (queryErrorScale * error);
    }

    /** The estimated distance to the code at byte {@code offset} of {@code codes}. */
    float distance(MemorySegment codes, long offset) {
        long f = offset + factorsOffset;
        float norm = codes.get(FLOAT_LE, f);
        float cosine = codes.get(FLOAT_LE, f + 4);
        float codeNorm = bits == 1 ? oneBitNorm : codes.get(FLOAT_LE, f + 8);
        return distance(codes, f, norm, (float) (codeDotQuery(codes, offset) / ((double) codeNorm * cosine)));
    }

    /** The half-width of the confidence interval around {@link #distance} of the code at {@code offset}. */
    float errorBound(MemorySegment codes, long offset) {
        long f = offset + factorsOffset;
        return errorBound(codes.get(FLOAT_LE, f), codes.get(FLOAT_LE, f + 4));
    }

    /**
     * Estimates and bounds of the {@code count} codes from byte {@code offset} of {@code codes}. 1-bit
     * codes: the bit counts of all of them first ({@link VectorUtil#bitPlaneDots}), their factors copied
     * out, then one element-wise float loop (which the JIT vectorizes) turns them into distances and
     * bounds; longer codes one at a time.
     */
    void distancesWithBounds(MemorySegment codes, long offset, int count, float[] distances, float[] bounds) {
        if (dots.length < count) {
            dots = new int[count];
            ones = new int[count];
            norms = new float[count];
            cosines = new float[count];
            extras = new float[count];
            planeSums = new long[count];
            oneSums = new long[count];
        }
        if (bits != 1) {
            multiBitDistancesWithBounds(codes, offset, count, distances, bounds);
            return;
        }
        VectorUtil.bitPlaneDots(codes, offset, codeSize, count, words, planes, queryBits, dots, ones);
        boolean dot = metric == DistanceMetric.DOT_PRODUCT;
        for (int i = 0; i < count; i++) {
            long f = offset + (long) i * codeSize + factorsOffset;
            norms[i] = codes.get(FLOAT_LE, f);
            cosines[i] = codes.get(FLOAT_LE, f + 4);
            extras[i] = dot ? codes.get(FLOAT_LE, f + 8) : 0f;
        }
        // distance = squares · ‖r‖² + base - crossFactor · ‖r‖‖q - c‖⟨o, q'⟩ - extra (⟨r, c⟩ for dot_product)
        float squares = switch (metric) {
            case EUCLIDEAN_SQUARED -> 1f;
            case COSINE_DISTANCE -> 0.5f;
            default -> 0f;
        };
        float base = switch (metric) {
            case EUCLIDEAN_SQUARED -> queryNorm * queryNorm;
            case COSINE_DISTANCE -> 0.5f * queryNorm * queryNorm;
            default -> -queryCentroidDot;
        };
        float crossFactor = metric == DistanceMetric.EUCLIDEAN_SQUARED ? 2f : 1f;
        float scaleS = (float) (delta / oneBitNorm);
        float scaleV = (float) (lo / oneBitNorm);
        float shift = (float) (constant / oneBitNorm);
        float qn = queryNorm;
        float bq = boundQuery;
        float bs = boundScale;
        for (int i = 0; i < count; i++) {
            float norm = norms[i];
            float cosine = cosines[i];
            float estimate = (scaleS * dots[i] + scaleV * ones[i] + shift) / cosine;   // ≈ ⟨o, q'⟩
            distances[i] = squares * norm * norm + base - crossFactor * norm * qn * estimate - extras[i];
            bounds[i] = crossFactor * norm * qn * (bs * (float) Math.sqrt(Math.max(0f, 1f - cosine * cosine)) + bq)
                    / cosine;
        }
    }

    /**
     * {@link #distancesWithBounds} for codes of several bits: plane {@code p} of every code scored in one batch (the
     * planes of one code are {@code D/8} bytes apart, the same plane of the next code a code further), then each
     * code's sums weighted as {@link #codeDotQuery} weights them, so the results are the ones code by code gives.
     * Scored one code at a time, the checks and set-up of a kernel call for two planes of six words took a third of a
     * query (debian-minilm through the engine, 2-bit codes).
     */
    private void multiBitDistancesWithBounds(MemorySegment codes, long offset, int count, float[] distances, float[] bounds) {
        java.util.Arrays.fill(planeSums, 0, count, 0L);
        java.util.Arrays.fill(oneSums, 0, count, 0L);
        for (int p = 0; p < bits; p++) {
            int a = bits - 1 - p;   // plane 0 holds the top bit of each level
            VectorUtil.bitPlaneDots(codes, offset + (long) p * planeBytes, codeSize, count, words, planes, queryBits, dots, ones);
            for (int i = 0; i < count; i++) {
                planeSums[i] += (long) dots[i] << a;
                oneSums[i] += (long) ones[i] << a;
            }
        }
        for (int i = 0; i < count; i++) {
            long f = offset + (long) i * codeSize + factorsOffset;
            float norm = codes.get(FLOAT_LE, f);
            float cosine = codes.get(FLOAT_LE, f + 4);
            float codeNorm = codes.get(FLOAT_LE, f + 8);
            double codeDot = delta * planeSums[i] + lo * oneSums[i] + constant;
            distances[i] = distance(codes, f, norm, (float) (codeDot / ((double) codeNorm * cosine)));
            bounds[i] = errorBound(norm, cosine);
        }
    }

    /** The distance from the code's factors at {@code f} and the estimate {@code ⟨o, q'⟩}. */
    private float distance(MemorySegment codes, long f, float norm, float estimate) {
        float cross = norm * queryNorm * estimate;
        return switch (metric) {
            case EUCLIDEAN_SQUARED -> norm * norm + queryNorm * queryNorm - 2f * cross;
            case COSINE_DISTANCE -> 0.5f * (norm * norm + queryNorm * queryNorm) - cross;
            default -> 0f - (queryCentroidDot + codes.get(FLOAT_LE, f + (bits == 1 ? 8 : 12)) + cross);
        };
    }

    private float errorBound(float norm, float cosine) {
        float ipBound = (boundScale * (float) Math.sqrt(Math.max(0f, 1f - cosine * cosine)) + boundQuery) / cosine;
        float bound = norm * queryNorm * ipBound;
        return metric == DistanceMetric.EUCLIDEAN_SQUARED ? 2f * bound : bound;
    }

    /** {@code ⟨y, q̄⟩} for the code at {@code offset}: its bit planes scored like codes {@code D/8} bytes apart. */
    private double codeDotQuery(MemorySegment codes, long offset) {
        VectorUtil.bitPlaneDots(codes, offset, planeBytes, bits, words, planes, queryBits, planeDots, planeOnes);
        long s = 0;
        long v = 0;
        for (int p = 0; p < bits; p++) {
            int a = bits - 1 - p;   // plane 0 holds the top bit of each level
            s += (long) planeDots[p] << a;
            v += (long) planeOnes[p] << a;
        }
        return delta * s + lo * v + constant;
    }
}
