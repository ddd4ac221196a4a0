package io.lodestone.index;

/**
 * A {@link RandomVectorScorer} on full-precision vectors: its distances are the ones a query may
 * report, and what every rerank of approximate candidates computes. Made by
 * {@link FloatVectorScorerSupplier}.
 */
public non-sealed interface ExactScorer extends RandomVectorScorer {

    @Override
    default boolean exact() {
        return true;
    }
}
