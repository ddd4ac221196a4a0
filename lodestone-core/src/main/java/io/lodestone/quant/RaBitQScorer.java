package io.lodestone.quant;

import io.lodestone.vector.DistanceMetric;

import java.lang.foreign.MemorySegment;

import static io.lodestone.quant.RaBitQuantizer.FLOAT_LE;
import static io.lodestone.quant.RaBitQuantizer.LONG_LE;

/**
 * {@link RaBitQuantizer}'s scorer. Preparing the query (once):
 * <ol>
 *   <li>{@code q' = R·(q - c)/‖q - c‖}, the rotated unit residual, and {@code ‖q - c‖};</li>
 *   <li>{@code q'} quantized to {@code Bq} bits: {@code u_i = round((q'_i - lo)/Δ)},
 *       {@code Δ = (hi - lo)/(2^Bq - 1)}, and the error norm {@code ‖lo + Δu - q'‖};</li>
 *   <li>the bits of {@code u} transposed into {@code Bq} bit planes of 64-bit words.</li>
 * </ol>
 * Scoring a code with levels {@code v_i} ({@code y_i = v_i - (2^B - 1)/2}):
 * {@code S = Σ_i v_i u_i = Σ_{a,j} 2^(a+j) · bitCount(plane_a ∧ qplane_j)} and
 * {@code V = Σ_i v_i = Σ_a 2^a · bitCount(plane_a)}, so that
 * {@code ⟨y, q̄⟩ = Δ·S + lo·V - (2^B - 1)/2 · (D·lo + Δ·Σu)}, which the stored factors turn into a
 * distance and an error bound (formulas on {@link RaBitQuantizer}).
 */
final class RaBitQScorer implements BoundedScorer {

    private final MemorySegment codes;
    private final int count;
    private final int codeSize;
    private final int words;
    private final int planeBytes;
    private final int bits;
    private final int queryBits;
    private final DistanceMetric metric;
    /** {@code planes[w·Bq + j]}: bit {@code j} of the quantized query, coordinates {@code 64w ..}. */
    private final long[] planes;
    private final long factorsOffset;
    private final float queryNorm;
    /** {@code ⟨y, q̄⟩ = delta·S + lo·V + constant}. */
    private final double delta;
    private final double lo;
    private final double constant;
    /** {@code ‖y‖} of every code when {@code B = 1}: {@code √D / 2}. */
    private final float oneBitNorm;
    private final float queryCentroidDot;
    /** {@code ε0 / √(D-1)} and {@code ε0 · ‖q̄ - q'‖ / √D}. */
    private final float boundScale;
    private final float boundQuery;

    RaBitQScorer(RaBitQuantizer quantizer, float[] query, MemorySegment codes) {
        this(quantizer, unitResidual(quantizer, query), (float) QuantMath.norm(quantizer.residual(query)),
                quantizer.metric() == DistanceMetric.DOT_PRODUCT ? quantizer.dotCentroid(query) : 0f, codes);
    }

    /** {@code R·(q - c)/‖q - c‖}, or zeros when {@code q = c}. */
    private static float[] unitResidual(RaBitQuantizer quantizer, float[] query) {
        float[] r = quantizer.residual(query);
        float norm = (float) QuantMath.norm(r);
        float[] q = new float[r.length];
        if (norm > 0f) {
            float inv = 1f / norm;
            for (int i = 0; i < r.length; i++) {
                r[i] *= inv;
            }
            quantizer.rotate(r, q);
        }
        return q;
    }

    /**
     * A scorer from the prepared query: {@code q} the rotated unit residual {@code R·(q - c)/‖q - c‖}
     * (zeros when {@code q = c}), {@code queryNorm = ‖q - c‖}, {@code queryCentroidDot = ⟨q, c⟩} for
     * dot_product (else unused).
     */
    RaBitQScorer(RaBitQuantizer quantizer, float[] q, float queryNorm, float queryCentroidDot, MemorySegment codes) {
        this.codes = codes;
        this.codeSize = quantizer.codeSize();
        this.count = QuantMath.codeCount(codes, codeSize);
        this.metric = quantizer.metric();
        int d = quantizer.paddedDimension();
        this.words = d / 64;
        this.planeBytes = d / 8;
        this.bits = quantizer.bits();
        this.queryBits = quantizer.queryBits();
        this.factorsOffset = quantizer.factorsOffset();
        this.oneBitNorm = (float) (Math.sqrt(d) / 2);
        this.queryCentroidDot = queryCentroidDot;
        this.queryNorm = queryNorm;
        float low = Float.POSITIVE_INFINITY;
        float high = Float.NEGATIVE_INFINITY;
        for (float x : q) {
            low = Math.min(low, x);
            high = Math.max(high, x);
        }
        int levels = (1 << queryBits) - 1;
        float step = high > low ? (high - low) / levels : 1f;
        float inverseStep = 1f / step;
        // Levels first (a plain element-wise loop), then each 64-coordinate word's bit planes without
        // branches: this runs once per query and posting, so it must stay cheap next to the scan.
        int[] u = new int[d];
        long sumU = 0;
        double error = 0;
        for (int i = 0; i < d; i++) {
            int level = Math.min(levels, Math.max(0, (int) ((q[i] - low) * inverseStep + 0.5f)));
            u[i] = level;
            sumU += level;
            double e = low + (double) step * level - q[i];
            error += e * e;
        }
        this.planes = new long[words * queryBits];
        for (int w = 0; w < words; w++) {
            for (int j = 0; j < queryBits; j++) {
                long plane = 0;
                for (int b = 0; b < 64; b++) {
                    plane |= (long) ((u[w * 64 + b] >>> j) & 1) << b;
                }
                planes[w * queryBits + j] = plane;
            }
        }
        this.delta = step;
        this.lo = low;
        this.constant = -((1 << bits) - 1) / 2.0 * ((double) d * low + (double) step * sumU);
        double epsilon0 = quantizer.epsilon0();
        this.boundScale = (float) (epsilon0 / Math.sqrt(d - 1));
        this.boundQuery = (float) (epsilon0 * Math.sqrt(error) / Math.sqrt(d));
    }

    @Override
    public int size() {
        return count;
    }

    /** {@code ⟨y, q̄⟩} for the code at {@code offset}. */
    private double codeDotQuery(long offset) {
        long s = 0;
        long v = 0;
        if (bits == 1 && queryBits == 4) {
            for (int w = 0, pl = 0; w < words; w++, pl += 4) {
                long x = codes.get(LONG_LE, offset + 8L * w);
                v += Long.bitCount(x);
                s += Long.bitCount(x & planes[pl])
                        + (Long.bitCount(x & planes[pl + 1]) << 1)
                        + (Long.bitCount(x & planes[pl + 2]) << 2)
                        + (Long.bitCount(x & planes[pl + 3]) << 3);
            }
        } else {
            for (int p = 0; p < bits; p++) {
                int a = bits - 1 - p;
                long plane = offset + (long) p * planeBytes;
                long sp = 0;
                long vp = 0;
                for (int w = 0; w < words; w++) {
                    long x = codes.get(LONG_LE, plane + 8L * w);
                    vp += Long.bitCount(x);
                    for (int j = 0, pl = w * queryBits; j < queryBits; j++) {
                        sp += (long) Long.bitCount(x & planes[pl + j]) << j;
                    }
                }
                s += sp << a;
                v += vp << a;
            }
        }
        return delta * s + lo * v + constant;
    }

    @Override
    public float distance(int ordinal) {
        long offset = (long) ordinal * codeSize;
        long f = offset + factorsOffset;
        float norm = codes.get(FLOAT_LE, f);
        float cosine = codes.get(FLOAT_LE, f + 4);
        float codeNorm = bits == 1 ? oneBitNorm : codes.get(FLOAT_LE, f + 8);
        float estimate = (float) (codeDotQuery(offset) / ((double) codeNorm * cosine));   // ≈ ⟨o, q'⟩
        float cross = norm * queryNorm * estimate;
        return switch (metric) {
            case EUCLIDEAN_SQUARED -> norm * norm + queryNorm * queryNorm - 2f * cross;
            case COSINE_DISTANCE -> 0.5f * (norm * norm + queryNorm * queryNorm) - cross;
            default -> 0f - (queryCentroidDot + codes.get(FLOAT_LE, f + (bits == 1 ? 8 : 12)) + cross);
        };
    }

    /** One pass per code: the estimate and the bound share the code's factors. */
    @Override
    public void distancesWithBounds(int first, int count, float[] distances, float[] bounds) {
        java.util.Objects.checkFromIndexSize(first, count, this.count);
        float boundFactor = metric == DistanceMetric.EUCLIDEAN_SQUARED ? 2f * queryNorm : queryNorm;
        for (int i = 0; i < count; i++) {
            long offset = (long) (first + i) * codeSize;
            long f = offset + factorsOffset;
            float norm = codes.get(FLOAT_LE, f);
            float cosine = codes.get(FLOAT_LE, f + 4);
            float codeNorm = bits == 1 ? oneBitNorm : codes.get(FLOAT_LE, f + 8);
            float estimate = (float) (codeDotQuery(offset) / ((double) codeNorm * cosine));
            float cross = norm * queryNorm * estimate;
            distances[i] = switch (metric) {
                case EUCLIDEAN_SQUARED -> norm * norm + queryNorm * queryNorm - 2f * cross;
                case COSINE_DISTANCE -> 0.5f * (norm * norm + queryNorm * queryNorm) - cross;
                default -> 0f - (queryCentroidDot + codes.get(FLOAT_LE, f + (bits == 1 ? 8 : 12)) + cross);
            };
            float ipBound = (boundScale * (float) Math.sqrt(Math.max(0f, 1f - cosine * cosine)) + boundQuery) / cosine;
            bounds[i] = norm * boundFactor * ipBound;
        }
    }

    @Override
    public float errorBound(int ordinal) {
        long f = (long) ordinal * codeSize + factorsOffset;
        float norm = codes.get(FLOAT_LE, f);
        float cosine = codes.get(FLOAT_LE, f + 4);
        float ipBound = (boundScale * (float) Math.sqrt(Math.max(0f, 1f - cosine * cosine)) + boundQuery) / cosine;
        float bound = norm * queryNorm * ipBound;
        return metric == DistanceMetric.EUCLIDEAN_SQUARED ? 2f * bound : bound;
    }
}
