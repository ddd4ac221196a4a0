package io.lodestone.engine;

import io.lodestone.doc.Schema;
import io.lodestone.vector.DistanceMetric;

/**
 * What a namespace reports about itself.
 *
 * @param approxRowCount      live documents
 * @param approxLogicalBytes  approximate size of the live documents
 * @param createdAtMillis     first write
 * @param updatedAtMillis     latest write
 * @param schema              attribute schema
 * @param metric              distance metric, or null before the first vector
 * @param dimensions          vector dimension, 0 before the first vector
 * @param unindexedBytes      bytes of log not yet folded into segments
 * @param annRecall           recall@k of ANN queries measured on a sample of this server's queries, or null
 *                            before any was measured
 * @param indexedRowCount     live documents in segments (the rest are in the unindexed tail)
 */
public record NamespaceMetadata(long approxRowCount, long approxLogicalBytes, long createdAtMillis, long updatedAtMillis,
                                Schema schema, DistanceMetric metric, int dimensions, long unindexedBytes,
                                AnnRecall annRecall, long indexedRowCount) {

    /**
     * Measured ANN recall.
     *
     * @param avgRecall mean recall@k (top_k of each query) of the sampled queries, ANN at the default width
     *                  against exact search on the same state
     * @param queries   how many sampled queries the mean is over (the latest, at most 100)
     */
    public record AnnRecall(double avgRecall, int queries) {
    }
}
