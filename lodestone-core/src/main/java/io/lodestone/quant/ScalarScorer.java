package io.lodestone.quant;

import io.lodestone.index.ApproximateScorer;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** {@link ScalarQuantizer}'s scorer: the query quantized once, then one int8 kernel call per code. */
final class ScalarScorer implements ApproximateScorer {

    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment codes;
    private final int count;
    private final int dimension;
    private final int codeSize;
    private final DistanceMetric metric;
    private final MemorySegment query;
    private final float queryCorrection;
    private final float scale;

    ScalarScorer(ScalarQuantizer quantizer, float[] preparedQuery, MemorySegment codes) {
        this.codes = codes;
        this.codeSize = quantizer.codeSize();
        this.count = QuantMath.codeCount(codes, codeSize);
        this.dimension = quantizer.dimension();
        this.metric = quantizer.metric();
        byte[] q = new byte[dimension];
        long sum = quantizer.quantize(preparedQuery, q);
        this.query = MemorySegment.ofArray(q);
        this.queryCorrection = quantizer.correction(sum);
        this.scale = quantizer.step() * quantizer.step();
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public float distance(int ordinal) {
        return distanceAt((long) ordinal * codeSize);
    }

    // The bulk forms loop here rather than through distance(int): one call level less for the JIT.

    @Override
    public void distances(int[] ordinals, int count, float[] out) {
        for (int i = 0; i < count; i++) {
            out[i] = distanceAt((long) ordinals[i] * codeSize);
        }
    }

    @Override
    public void distances(int first, int count, float[] out) {
        long offset = (long) first * codeSize;
        for (int i = 0; i < count; i++, offset += codeSize) {
            out[i] = distanceAt(offset);
        }
    }

    private float distanceAt(long offset) {
        if (metric == DistanceMetric.EUCLIDEAN_SQUARED) {
            return scale * VectorUtil.int8SquaredDistance(query, 0, codes, offset, dimension);
        }
        float dot = queryCorrection + codes.get(FLOAT_LE, offset + dimension)
                + scale * VectorUtil.int8Dot(query, 0, codes, offset, dimension);
        return metric == DistanceMetric.COSINE_DISTANCE ? 1f - dot : 0f - dot;
    }
}
