package io.lodestone.quant;

import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** {@link FullVectors} over little-endian float32 rows in a segment; copies into a scratch array. */
final class SegmentVectors implements FullVectors {

    private static final ValueLayout.OfFloat FLOAT_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;
    private final int dimension;
    private final int size;
    private final float[] scratch;

    SegmentVectors(MemorySegment segment, int dimension) {
        long rowBytes = (long) dimension * Float.BYTES;
        if (dimension < 1 || segment.byteSize() % rowBytes != 0) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is not a whole number of "
                    + dimension + "-d float32 vectors");
        }
        this.segment = segment;
        this.dimension = dimension;
        this.size = Math.toIntExact(segment.byteSize() / rowBytes);
        this.scratch = new float[dimension];
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public float distance(DistanceMetric metric, float[] query, int ordinal) {
        MemorySegment.copy(segment, FLOAT_LE, (long) ordinal * dimension * Float.BYTES, scratch, 0, dimension);
        return VectorUtil.distance(metric, query, scratch);
    }
}
