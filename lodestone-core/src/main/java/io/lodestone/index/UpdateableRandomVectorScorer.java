package io.lodestone.index;

/**
 * A {@link RandomVectorScorer} whose query is one of the indexed vectors and can be changed, so a
 * graph builder scores ordinals against ordinals without allocating per comparison. Exact (floats)
 * or approximate (codes), as {@link #exact()} says. Belongs to one thread.
 */
public non-sealed interface UpdateableRandomVectorScorer extends RandomVectorScorer {

    /** Makes vector {@code ord} the query. */
    void setQueryOrd(int ord);
}
