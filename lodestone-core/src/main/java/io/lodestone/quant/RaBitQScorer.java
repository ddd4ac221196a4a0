package io.lodestone.quant;

import io.lodestone.vector.DistanceMetric;

import java.lang.foreign.MemorySegment;

import static io.lodestone.quant.RaBitQuantizer.FLOAT_LE;
import static io.lodestone.quant.RaBitQuantizer.LONG_LE;

/**
 * {@link RaBitQuantizer}'s scorer. Preparing the query (once):
 * <ol>
 *   <li>{@code q' = R·(q - c)/‖q - c‖}, the rotated unit residual, and {@code ‖q - c‖};</li>
 *   <li>{@code q'} quantized to {@code B} bits: {@code u_i = round((q'_i - lo)/Δ)},
 *       {@code Δ = (hi - lo)/(2^B - 1)}, and the error norm {@code ‖lo + Δu - q'‖};</li>
 *   <li>the bits of {@code u} transposed into {@code B} bit planes of 64-bit words.</li>
 * </ol>
 * Scoring a code: {@code s = Σ_w Σ_j 2^j · bitCount(code_w ∧ plane_{w,j})} and
 * {@code p = Σ_w bitCount(code_w)} give {@code ⟨x̄, q̄⟩ = (2Δ·s + 2·lo·p - Δ·Σu - D·lo)/√D}, which the
 * stored factors turn into a distance and an error bound (formulas on {@link RaBitQuantizer}).
 */
final class RaBitQScorer implements BoundedScorer {

    private final MemorySegment codes;
    private final int count;
    private final int codeSize;
    private final int words;
    private final int bits;
    private final DistanceMetric metric;
    /** {@code planes[w·B + j]}: bit {@code j} of the quantized query, coordinates {@code 64w ..}. */
    private final long[] planes;
    private final long factorsOffset;
    private final float queryNorm;
    /** {@code ⟨x̄, q̄⟩ = a·s + b·p + k}. */
    private final float a;
    private final float b;
    private final float k;
    private final float queryCentroidDot;
    /** {@code ε0 / √(D-1)} and {@code ε0 · ‖q̄ - q'‖ / √D}. */
    private final float boundScale;
    private final float boundQuery;

    RaBitQScorer(RaBitQuantizer quantizer, float[] query, MemorySegment codes) {
        this.codes = codes;
        this.codeSize = quantizer.codeSize();
        this.count = QuantMath.codeCount(codes, codeSize);
        this.metric = quantizer.metric();
        int d = quantizer.paddedDimension();
        this.words = d / 64;
        this.bits = quantizer.queryBits();
        this.factorsOffset = d / 8;
        this.queryCentroidDot = metric == DistanceMetric.DOT_PRODUCT ? quantizer.dotCentroid(query) : 0f;

        float[] r = quantizer.residual(query);
        this.queryNorm = (float) QuantMath.norm(r);
        float[] q = new float[d];
        if (queryNorm > 0f) {
            float inv = 1f / queryNorm;
            for (int i = 0; i < d; i++) {
                r[i] *= inv;
            }
            quantizer.rotate(r, q);
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float x : q) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        int levels = (1 << bits) - 1;
        float delta = hi > lo ? (hi - lo) / levels : 1f;
        this.planes = new long[words * bits];
        long sumU = 0;
        double error = 0;
        for (int i = 0; i < d; i++) {
            int u = Math.min(levels, Math.max(0, Math.round((q[i] - lo) / delta)));
            sumU += u;
            double e = lo + (double) delta * u - q[i];
            error += e * e;
            for (int j = 0; j < bits; j++) {
                if ((u >>> j & 1) != 0) {
                    planes[(i >>> 6) * bits + j] |= 1L << (i & 63);
                }
            }
        }
        double sqrtD = Math.sqrt(d);
        this.a = (float) (2 * delta / sqrtD);
        this.b = (float) (2 * lo / sqrtD);
        this.k = (float) ((-(double) delta * sumU - (double) d * lo) / sqrtD);
        double epsilon0 = quantizer.epsilon0();
        this.boundScale = (float) (epsilon0 / Math.sqrt(d - 1));
        this.boundQuery = (float) (epsilon0 * Math.sqrt(error) / sqrtD);
    }

    @Override
    public int size() {
        return count;
    }

    /** {@code ⟨x̄, q̄⟩} for the code at {@code offset}. */
    private float codeDotQuery(long offset) {
        int s = 0;
        int p = 0;
        if (bits == 4) {
            for (int w = 0, pl = 0; w < words; w++, pl += 4) {
                long x = codes.get(LONG_LE, offset + 8L * w);
                p += Long.bitCount(x);
                s += Long.bitCount(x & planes[pl])
                        + (Long.bitCount(x & planes[pl + 1]) << 1)
                        + (Long.bitCount(x & planes[pl + 2]) << 2)
                        + (Long.bitCount(x & planes[pl + 3]) << 3);
            }
        } else {
            for (int w = 0; w < words; w++) {
                long x = codes.get(LONG_LE, offset + 8L * w);
                p += Long.bitCount(x);
                for (int j = 0; j < bits; j++) {
                    s += Long.bitCount(x & planes[w * bits + j]) << j;
                }
            }
        }
        return a * s + b * p + k;
    }

    @Override
    public float distance(int ordinal) {
        long offset = (long) ordinal * codeSize;
        float ip = codeDotQuery(offset);
        long f = offset + factorsOffset;
        float norm = codes.get(FLOAT_LE, f);
        float estimate = ip / codes.get(FLOAT_LE, f + 4);  // ≈ ⟨o, q'⟩
        float cross = norm * queryNorm * estimate;
        return switch (metric) {
            case EUCLIDEAN_SQUARED -> norm * norm + queryNorm * queryNorm - 2f * cross;
            case COSINE_DISTANCE -> 0.5f * (norm * norm + queryNorm * queryNorm) - cross;
            default -> 0f - (queryCentroidDot + codes.get(FLOAT_LE, f + 8) + cross);
        };
    }

    @Override
    public float errorBound(int ordinal) {
        long f = (long) ordinal * codeSize + factorsOffset;
        float norm = codes.get(FLOAT_LE, f);
        float factor = codes.get(FLOAT_LE, f + 4);
        float ipBound = (boundScale * (float) Math.sqrt(Math.max(0f, 1f - factor * factor)) + boundQuery) / factor;
        float bound = norm * queryNorm * ipBound;
        return metric == DistanceMetric.EUCLIDEAN_SQUARED ? 2f * bound : bound;
    }
}
