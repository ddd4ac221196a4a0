package io.lodestone.quant;

import io.lodestone.vector.DistanceMetric;

import java.lang.foreign.MemorySegment;

/**
 * Full-precision vectors by ordinal, for the exact rerank: {@link Reranker} asks for exact distances
 * here, and these come from {@link io.lodestone.vector.VectorUtil}. Ordinals match those of the code
 * block being scored.
 *
 * <p>The heap views ({@link #of(float[][])}, {@link #ofRows}) are thread-safe; the segment view
 * ({@link #of(MemorySegment, int)}) copies each vector into a scratch array and belongs to one thread.
 */
public interface FullVectors {

    /** The dimension of every vector. */
    int dimension();

    /** The number of vectors: valid ordinals are {@code [0, size())}. */
    int size();

    /**
     * The exact distance from {@code query} to vector {@code ordinal} under {@code metric}, computed by
     * {@link io.lodestone.vector.VectorUtil}.
     */
    float distance(DistanceMetric metric, float[] query, int ordinal);

    /** Vector {@code i} is {@code vectors[i]} (not copied). */
    static FullVectors of(float[][] vectors) {
        return new ArrayVectors(vectors);
    }

    /** Vector {@code i} is {@code rows[i·dimension, (i+1)·dimension)} (not copied). */
    static FullVectors ofRows(float[] rows, int dimension) {
        return new RowVectors(rows, dimension);
    }

    /**
     * Vector {@code i} is {@code dimension} little-endian float32 values at byte {@code 4·i·dimension}
     * of {@code segment} (for example an mmapped vector file). Not thread-safe.
     */
    static FullVectors of(MemorySegment segment, int dimension) {
        return new SegmentVectors(segment, dimension);
    }
}
