package io.lodestone.index;

/**
 * Build-time scoring between indexed vectors: hands each building thread its own
 * {@link UpdateableRandomVectorScorer}. Thread-safe.
 */
public interface RandomVectorScorerSupplier {

    /** A new scorer for the calling thread; call {@code setQueryOrd} before scoring. */
    UpdateableRandomVectorScorer scorer();

    /** The number of vectors. */
    int size();
}
