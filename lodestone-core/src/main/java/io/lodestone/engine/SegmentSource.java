package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.segment.Segment;
import io.lodestone.segment.SegmentVectorsFile;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

import java.util.BitSet;
import java.util.Map;

/**
 * A segment as one state version sees it: rows deleted by the manifest's deletion vector, and rows masked
 * by newer writes still in the tail. Live = neither. Immutable: {@link NamespaceState} makes a new one
 * (copying the mask first) when a write masks more rows, so queries read it without a lock.
 */
final class SegmentSource implements DocSource {
    private static final ThreadLocal<float[][]> SCRATCH = new ThreadLocal<>();

    final Segment segment;
    final BitSet deleted;
    final BitSet masked;

    SegmentSource(Segment segment, BitSet deleted, BitSet masked) {
        this.segment = segment;
        this.deleted = deleted;
        this.masked = masked;
    }

    /** Live rows as one bit set (a copy). */
    BitSet liveRows() {
        BitSet live = new BitSet(segment.rowCount());
        live.set(0, segment.rowCount());
        live.andNot(deleted);
        live.andNot(masked);
        return live;
    }

    /** Rows not live in this state (deleted or masked), as a new bit set. */
    java.util.BitSet deadRows() {
        if (masked.isEmpty()) return deleted;
        BitSet dead = (BitSet) deleted.clone();
        dead.or(masked);
        return dead;
    }

    @Override
    public int rowCount() {
        return segment.rowCount();
    }

    @Override
    public boolean isLive(int row) {
        return !deleted.get(row) && !masked.get(row);
    }

    @Override
    public DocId id(int row) {
        return segment.docId(row);
    }

    @Override
    public Map<String, Object> attributes(int row) {
        return segment.attributes(row);
    }

    @Override
    public boolean hasVector(int row) {
        return segment.vectors() != null && segment.vectors().hasVector(row);
    }

    @Override
    public float[] vector(int row) {
        return segment.vector(row);
    }

    @Override
    public void distances(DistanceMetric metric, float[] q, float qn, int start, int count, float[] out) {
        SegmentVectorsFile v = segment.vectors();
        if (v == null) {
            java.util.Arrays.fill(out, 0, count, Float.POSITIVE_INFINITY);
            return;
        }
        float[][] scratch = SCRATCH.get();
        if (scratch == null || scratch[0].length < DocTable.CHUNK_ROWS * v.dims()) {
            scratch = new float[][] {new float[DocTable.CHUNK_ROWS * v.dims()], new float[DocTable.CHUNK_ROWS]};
            SCRATCH.set(scratch);
        }
        v.copyRows(start, count, scratch[0]);
        if (metric == DistanceMetric.COSINE_DISTANCE) {
            v.copyNorms(start, count, scratch[1]);
            VectorUtil.cosineDistances(q, qn, scratch[0], 0, count, v.dims(), scratch[1], 0, out);
        } else {
            VectorUtil.distances(metric, q, scratch[0], 0, count, v.dims(), out);
        }
    }
}
