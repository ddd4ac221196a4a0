package io.lodestone.index;

/**
 * Which ordinals a filtered search may return (a filter's matches, or the live documents). A
 * search still walks through rejected ordinals to reach accepted ones; only its results are
 * restricted. Must be cheap and thread-safe for the duration of a search.
 */
@FunctionalInterface
public interface AcceptOrds {

    /** Whether ordinal {@code ord} may appear in the results. */
    boolean accept(int ord);
}
