package io.lodestone.index;

/**
 * Distances from one query to the vectors of an index, by ordinal: the only way an index compares
 * vectors, so that float vectors, mapped vectors and quantized codes all plug into the same graph
 * code. Lower is closer, as with {@link io.lodestone.vector.DistanceMetric}.
 *
 * <p>A scorer is either exact (on full-precision vectors: {@link #exact()} is true) or approximate
 * (on compact codes). An approximate scorer's distances only rank candidates during traversal; the
 * final distances and order must come from an exact rerank.
 *
 * <p>A scorer belongs to one thread.
 */
public interface RandomVectorScorer {

    /** The distance from the query to vector {@code ord}; lower is closer. */
    float distance(int ord);

    /**
     * For {@code i < count}: {@code out[i] = distance(ords[i])}. Implementations may interleave the
     * rows to keep several memory reads in flight.
     */
    default void distances(int[] ords, int count, float[] out) {
        for (int i = 0; i < count; i++) {
            out[i] = distance(ords[i]);
        }
    }

    /** The number of vectors; ordinals run from 0 to {@code size() - 1}. */
    int size();

    /** True for distances on full-precision vectors, false for approximate ones on codes. */
    default boolean exact() {
        return true;
    }
}
