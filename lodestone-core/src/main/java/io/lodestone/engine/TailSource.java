package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

import java.util.Map;

/** The unindexed tail ({@link DocTable}) as a {@link DocSource}. */
record TailSource(DocTable table) implements DocSource {
    @Override
    public int rowCount() {
        return table.rowCount();
    }

    @Override
    public boolean isLive(int row) {
        return table.isLive(row);
    }

    @Override
    public DocId id(int row) {
        return table.id(row);
    }

    @Override
    public Map<String, Object> attributes(int row) {
        return table.attributes(row);
    }

    @Override
    public boolean hasVector(int row) {
        return table.hasVector(row);
    }

    @Override
    public float[] vector(int row) {
        return table.vector(row);
    }

    @Override
    public void distances(DistanceMetric metric, float[] q, float qn, int start, int count, float[] out) {
        int chunk = start / DocTable.CHUNK_ROWS;
        int dims = table.dims();
        if (dims == 0 || chunk >= table.vectorChunkCount()) {
            java.util.Arrays.fill(out, 0, count, Float.POSITIVE_INFINITY);
            return;
        }
        int offset = (start % DocTable.CHUNK_ROWS) * dims;
        if (metric == DistanceMetric.COSINE_DISTANCE) {
            VectorUtil.cosineDistances(q, qn, table.vectorChunk(chunk), offset, count, dims, table.normChunk(chunk),
                    start % DocTable.CHUNK_ROWS, out);
        } else {
            VectorUtil.distances(metric, q, table.vectorChunk(chunk), offset, count, dims, out);
        }
    }
}
