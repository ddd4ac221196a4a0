package io.lodestone.quant;

import java.lang.foreign.MemorySegment;

/**
 * {@link RaBitQuantizer}'s scorer over a block of codes: the query prepared once
 * ({@link QuantizedQuery}), then each code scored from its bits and factors.
 */
final class RaBitQScorer implements BoundedScorer {

    private final MemorySegment codes;
    private final int count;
    private final int codeSize;
    private final QuantizedQuery query;

    RaBitQScorer(RaBitQuantizer quantizer, float[] query, MemorySegment codes) {
        this(quantizer, unitResidual(quantizer, query), (float) QuantMath.norm(quantizer.residual(query)),
                quantizer.metric() == io.lodestone.vector.DistanceMetric.DOT_PRODUCT
                        ? quantizer.dotCentroid(query) : 0f, codes);
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
        this.query = new QuantizedQuery(quantizer);
        query.quantize(q, queryNorm, queryCentroidDot);
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public float distance(int ordinal) {
        return query.distance(codes, offset(ordinal));
    }

    @Override
    public void distancesWithBounds(int first, int count, float[] distances, float[] bounds) {
        java.util.Objects.checkFromIndexSize(first, count, this.count);
        query.distancesWithBounds(codes, (long) first * codeSize, count, distances, bounds);
    }

    @Override
    public float errorBound(int ordinal) {
        return query.errorBound(codes, offset(ordinal));
    }

    private long offset(int ordinal) {
        return (long) java.util.Objects.checkIndex(ordinal, count) * codeSize;
    }
}
