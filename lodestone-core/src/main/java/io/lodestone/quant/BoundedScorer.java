package io.lodestone.quant;

import io.lodestone.index.ApproximateScorer;

/**
 * An {@link ApproximateScorer} that also bounds its own error: for each ordinal, the exact distance
 * lies in {@code [distance - errorBound, distance + errorBound]} with the probability the quantizer
 * states (RaBitQ's bound, see {@link RaBitQuantizer}). A search can then skip the exact distance of
 * every candidate whose lower bound {@code distance - errorBound} is already worse than its current
 * k-th exact distance, as {@link Reranker#rerank(BoundedScorer, int[], int,
 * io.lodestone.index.ExactScorer, int)} does.
 */
public interface BoundedScorer extends ApproximateScorer {

    /** The half-width of the confidence interval around {@link #distance(int)}; never negative. */
    float errorBound(int ordinal);

    /**
     * {@code distances[i] = distance(ordinals[i])} and {@code bounds[i] = errorBound(ordinals[i])} for
     * {@code i < count}, reading each code once.
     */
    default void distancesWithBounds(int[] ordinals, int count, float[] distances, float[] bounds) {
        for (int i = 0; i < count; i++) {
            distances[i] = distance(ordinals[i]);
            bounds[i] = errorBound(ordinals[i]);
        }
    }

    /**
     * {@code distances[i] = distance(first + i)} and {@code bounds[i] = errorBound(first + i)} for
     * {@code i < count}: the batch form for a scan of consecutive codes (a posting list).
     */
    default void distancesWithBounds(int first, int count, float[] distances, float[] bounds) {
        for (int i = 0; i < count; i++) {
            distances[i] = distance(first + i);
            bounds[i] = errorBound(first + i);
        }
    }
}
