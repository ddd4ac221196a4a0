package io.lodestone.index;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Vectors stored row-major as little-endian float32 in a {@link MemorySegment}: vector {@code ord}
 * is the {@code 4 * dimension} bytes at byte offset {@code 4L * ord * dimension}. This is the layout
 * of a segment's vector file, so a mapped file is searched in place, with nothing read up front. The
 * segment must stay alive (its arena open) while the values are used.
 */
public final class MemorySegmentVectorValues implements FloatVectorValues {

    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;
    private final int dimension;
    private final int size;

    /**
     * Wraps {@code segment}, whose size must be a multiple of {@code 4 * dimension} bytes.
     *
     * @throws IllegalArgumentException if it is not, or holds more than {@link Integer#MAX_VALUE}
     *         vectors
     */
    public MemorySegmentVectorValues(MemorySegment segment, int dimension) {
        Objects.requireNonNull(segment, "segment");
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be > 0; got " + dimension);
        }
        long rowBytes = 4L * dimension;
        if (segment.byteSize() % rowBytes != 0) {
            throw new IllegalArgumentException("segment size " + segment.byteSize()
                    + " is not a multiple of the row size " + rowBytes + " (dimension " + dimension + ")");
        }
        long rows = segment.byteSize() / rowBytes;
        if (rows > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many vectors: " + rows);
        }
        this.segment = segment;
        this.dimension = dimension;
        this.size = (int) rows;
    }

    /** The wrapped segment. */
    public MemorySegment segment() {
        return segment;
    }

    /** The byte offset of vector {@code ord} in {@link #segment()}. */
    public long byteOffset(int ord) {
        return 4L * ord * dimension;
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
    public void copyTo(int ord, float[] dest, int destOffset) {
        Objects.checkIndex(ord, size);
        MemorySegment.copy(segment, LE_FLOAT, byteOffset(ord), dest, destOffset, dimension);
    }
}
