package io.lodestone.quant;

/**
 * Approximate distances from one prepared query to the vectors of a block of quantized codes,
 * addressed by ordinal (the position of the code in the block, from 0). Made by
 * {@link VectorQuantizer#scorer}; the query is prepared once (normalized, rotated, turned into lookup
 * tables or quantized), so each call only reads one code.
 *
 * <p>Distances follow {@link io.lodestone.vector.DistanceMetric}: lower is closer, on the same scale
 * as the exact distance they estimate, but only <em>estimates</em>. They order candidates for graph
 * traversal or a scan; a reported {@code $dist} always comes from {@link Reranker}, on full vectors.
 *
 * <p>A scorer belongs to one thread (it may keep scratch state); make one per query and thread. It
 * reads the code block on every call, so that block must stay valid (an mmapped segment open) while
 * the scorer is used.
 */
public interface ApproximateScorer {

    /** The number of codes in the block: valid ordinals are {@code [0, size())}. */
    int size();

    /** The estimated distance from the query to vector {@code ordinal}; lower is closer. */
    float distance(int ordinal);

    /** {@code -distance(ordinal)}: a similarity, higher is closer, for callers that maximize. */
    default float score(int ordinal) {
        return -distance(ordinal);
    }

    /**
     * {@code out[i] = distance(ordinals[i])} for {@code i < count}: the bulk form for a graph node's
     * neighbour list, bit for bit equal to the single calls.
     */
    default void distances(int[] ordinals, int count, float[] out) {
        for (int i = 0; i < count; i++) {
            out[i] = distance(ordinals[i]);
        }
    }

    /**
     * {@code out[i] = distance(first + i)} for {@code i < count}: the bulk form for a scan over
     * consecutive codes, bit for bit equal to the single calls.
     */
    default void distances(int first, int count, float[] out) {
        for (int i = 0; i < count; i++) {
            out[i] = distance(first + i);
        }
    }
}
