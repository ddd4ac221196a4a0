package io.lodestone.index;

/**
 * A {@link RandomVectorScorer} whose query is one of the indexed vectors and can be changed, so a
 * graph builder scores ordinals against ordinals without allocating per comparison. Belongs to one
 * thread.
 */
public interface UpdateableRandomVectorScorer extends RandomVectorScorer {

    /** Makes vector {@code ord} the query. */
    void setQueryOrd(int ord);
}
