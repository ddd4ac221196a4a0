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
 */
public record NamespaceMetadata(long approxRowCount, long approxLogicalBytes, long createdAtMillis, long updatedAtMillis,
                                Schema schema, DistanceMetric metric, int dimensions, long unindexedBytes) {
}
