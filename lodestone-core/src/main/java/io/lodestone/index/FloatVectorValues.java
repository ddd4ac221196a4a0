package io.lodestone.index;

/**
 * Float vectors by ordinal {@code 0 .. size()-1}, all of {@link #dimension()} floats: what an index
 * reads its vectors through. Two implementations come with Lodestone: {@link ArrayVectorValues}
 * (a row-major {@code float[]} on the heap) and {@link MemorySegmentVectorValues} (row-major
 * little-endian float32 in a {@link java.lang.foreign.MemorySegment}, such as a mapped segment
 * file). {@link FloatVectorScorerSupplier} has fast scorers for both and a copying fallback for any
 * other implementation.
 *
 * <p>Implementations are read-only once an index is built over them and must be safe for
 * concurrent reads.
 */
public interface FloatVectorValues {

    /** The number of floats in each vector. */
    int dimension();

    /** The number of vectors; ordinals run from 0 to {@code size() - 1}. */
    int size();

    /**
     * Copies vector {@code ord} into {@code dest[destOffset, destOffset + dimension())}.
     *
     * @throws IndexOutOfBoundsException if {@code ord} is not in {@code [0, size())} or the vector
     *         does not fit in {@code dest}
     */
    void copyTo(int ord, float[] dest, int destOffset);

    /** A new array holding vector {@code ord}. */
    default float[] vector(int ord) {
        float[] v = new float[dimension()];
        copyTo(ord, v, 0);
        return v;
    }
}
