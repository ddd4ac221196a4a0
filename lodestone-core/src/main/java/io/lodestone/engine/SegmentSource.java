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
    /** Rows copied out of the mapped file per kernel call: small enough to stay in cache, large enough for SIMD. */
    static final int BLOCK_ROWS = 256;
    /**
     * Copy buffers {rows × dims, norms, distances}, shared by all threads: queries run on short-lived
     * virtual threads, where a thread-local buffer would be allocated per request.
     */
    private static final ScratchPool<float[][]> SCRATCH = ScratchPool.perCore(
            () -> new float[][] {new float[0], new float[BLOCK_ROWS], new float[BLOCK_ROWS]});

    final Segment segment;
    final BitSet deleted;
    final BitSet masked;
    /** Live rows, counted on first use (-1 before): every query's statistics ask, and the sets never change. */
    private int liveCount = -1;

    SegmentSource(Segment segment, BitSet deleted, BitSet masked) {
        this.segment = segment;
        this.deleted = deleted;
        this.masked = masked;
    }

    /** How many rows are live, counted once (a query reports it; counting a copy per query cost per segment). */
    int liveCount() {
        int n = liveCount;
        if (n < 0) liveCount = n = segment.rowCount() - deadRows().cardinality(); // a racing count writes the same
        return n;
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
    public boolean complete() {
        return segment.complete();
    }

    @Override
    public boolean vectorsComplete() {
        return segment.vectors() == null || segment.vectors().complete();
    }

    @Override
    public void prefetch(int[] rows, int n, boolean withVectors) {
        segment.prefetchRows(rows, n, withVectors);
    }

    @Override
    public void prefetchIds(int[] rows, int n) {
        segment.prefetchIds(rows, n);
    }

    @Override
    public void prefetchAllAttributes() {
        segment.prefetchAllAttributes();
    }

    @Override
    public void prefetchAllVectors() {
        if (segment.vectors() != null) segment.vectors().ensureAll();
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
        float[][] scratch = borrowScratch(v.dims());
        try {
            int dims = v.dims();
            for (int done = 0; done < count; done += BLOCK_ROWS) {
                int n = Math.min(BLOCK_ROWS, count - done);
                v.copyRows(start + done, n, scratch[0]);
                if (metric == DistanceMetric.COSINE_DISTANCE) v.copyNorms(start + done, n, scratch[1]);
                score(metric, q, qn, scratch, n, dims, out, done);
            }
        } finally {
            SCRATCH.release(scratch);
        }
    }

    /**
     * Distances to {@code n} rows in any order into {@code out[0..n)}, equal to what {@link #distances}
     * reports for each: the rows are gathered into blocks and scored by one kernel call per block (ANN
     * results get their reported distances this way).
     */
    void distancesOf(DistanceMetric metric, float[] q, float qn, int[] rows, int n, float[] out) {
        SegmentVectorsFile v = segment.vectors();
        float[][] scratch = borrowScratch(v.dims());
        try {
            int dims = v.dims();
            for (int done = 0; done < n; done += BLOCK_ROWS) {
                int count = Math.min(BLOCK_ROWS, n - done);
                for (int i = 0; i < count; i++) {
                    v.copyRow(rows[done + i], scratch[0], i * dims);
                    scratch[1][i] = v.norm(rows[done + i]);
                }
                score(metric, q, qn, scratch, count, dims, out, done);
            }
        } finally {
            SCRATCH.release(scratch);
        }
    }

    /** Distances to the {@code count} rows copied into {@code scratch} (norms too, for cosine), into {@code out} at {@code at}. */
    private static void score(DistanceMetric metric, float[] q, float qn, float[][] scratch, int count, int dims,
                              float[] out, int at) {
        if (metric == DistanceMetric.COSINE_DISTANCE) {
            VectorUtil.cosineDistances(q, qn, scratch[0], 0, count, dims, scratch[1], 0, scratch[2]);
        } else {
            VectorUtil.distances(metric, q, scratch[0], 0, count, dims, scratch[2]);
        }
        System.arraycopy(scratch[2], 0, out, at, count);
    }

    private static float[][] borrowScratch(int dims) {
        float[][] scratch = SCRATCH.borrow();
        if (scratch[0].length < BLOCK_ROWS * dims) scratch[0] = new float[BLOCK_ROWS * dims];
        return scratch;
    }
}
