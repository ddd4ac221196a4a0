package io.lodestone.index;

/**
 * Distances from one query to the vectors of an index, by ordinal: the only way an index compares
 * vectors, so that float vectors, mapped vectors and quantized codes all plug into the same graph,
 * scan and rerank code. Lower is closer, as with {@link io.lodestone.vector.DistanceMetric}.
 *
 * <p>Exactness is part of the type: a scorer is an {@link ExactScorer} (full-precision vectors; its
 * distances may be reported) or an {@link ApproximateScorer} (compact codes; its distances only rank
 * candidates, and the final distances and order come from an exact rerank). A graph walk runs on
 * either; a rerank takes an {@link ExactScorer}.
 *
 * <p>A scorer belongs to one thread (it may keep scratch state), and reads the vectors or codes it
 * was made over on every call, so those must stay valid while it is used.
 */
public sealed interface RandomVectorScorer permits ExactScorer, ApproximateScorer, UpdateableRandomVectorScorer {

    /** The distance from the query to vector {@code ord}; lower is closer. */
    float distance(int ord);

    /**
     * For {@code i < count}: {@code out[i] = distance(ords[i])}, bit for bit: the bulk form for a
     * graph node's neighbour list. Implementations may interleave the rows to keep several memory
     * reads in flight.
     */
    default void distances(int[] ords, int count, float[] out) {
        for (int i = 0; i < count; i++) {
            out[i] = distance(ords[i]);
        }
    }

    /**
     * For {@code i < count}: {@code out[i] = distance(first + i)}, bit for bit: the bulk form for a
     * scan over consecutive ordinals.
     */
    default void distances(int first, int count, float[] out) {
        for (int i = 0; i < count; i++) {
            out[i] = distance(first + i);
        }
    }

    /** The number of vectors; ordinals run from 0 to {@code size() - 1}. */
    int size();

    /** True for distances on full-precision vectors ({@link ExactScorer}), false on codes. */
    boolean exact();
}
