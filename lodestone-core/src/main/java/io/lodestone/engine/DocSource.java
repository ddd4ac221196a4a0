package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.vector.DistanceMetric;

import java.util.Map;

/**
 * Rows a query reads: the unindexed tail or one segment. Each live document is live in exactly one
 * source. Row numbers are local to the source.
 */
interface DocSource {

    int rowCount();

    boolean isLive(int row);

    DocId id(int row);

    Map<String, Object> attributes(int row);

    boolean hasVector(int row);

    /** A copy of the vector, or null. */
    float[] vector(int row);

    /**
     * Distances from {@code query} to rows {@code [start, start + count)} into {@code out[0..count)}
     * ({@code count} ≤ {@link DocTable#CHUNK_ROWS}); rows without a vector get any value.
     */
    void distances(DistanceMetric metric, float[] query, float queryNorm, int start, int count, float[] out);

    /** Whether every byte of this source is local, so reading needs no prefetch (in memory, or complete files). */
    default boolean complete() {
        return true;
    }

    /** Whether every vector is local (an exact scan would fetch nothing). */
    default boolean vectorsComplete() {
        return true;
    }

    /** Makes what reading these rows needs present at once (ranged reads of a remote segment's files). */
    default void prefetch(int[] rows, int n, boolean withVectors) {
    }

    /** Makes the ids of these rows present at once (for an answer that returns ids alone). */
    default void prefetchIds(int[] rows, int n) {
    }

    /** Makes every row's attributes present (before a filter, sort or aggregation reads them all). */
    default void prefetchAllAttributes() {
    }

    /** Makes every vector present (before an exact scan reads them all). */
    default void prefetchAllVectors() {
    }
}
