package io.lodestone.engine;

import io.lodestone.doc.Schema;
import io.lodestone.doc.IndexConfig;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.wal.WriteBatch;

/**
 * The configuration of a namespace that writes are validated against: metric, vector dimension
 * (0 until the first vector), schema and index settings (null until a write sets them: the engine's
 * defaults apply). Immutable.
 */
record NamespaceView(DistanceMetric metric, boolean metricSet, int dims, Schema schema, IndexConfig index) {

    static final NamespaceView EMPTY = new NamespaceView(DistanceMetric.COSINE_DISTANCE, false, 0, Schema.EMPTY, null);

    /** A copy with the vector dimension set. */
    NamespaceView withDims(int d) {
        return new NamespaceView(metric, metricSet, d, schema, index);
    }

    /** The view after a batch is applied. */
    NamespaceView after(WriteBatch batch, int batchDims) {
        Schema s = schema.withAll(batch.schemaChanges());
        DistanceMetric m = batch.metric() != null ? batch.metric() : metric;
        boolean set = metricSet || batch.metric() != null;
        return new NamespaceView(m, set, dims == 0 ? batchDims : dims, s, batch.index() != null ? batch.index() : index);
    }
}
