package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;

import java.util.BitSet;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * An immutable view of the unindexed tail's rows as of one state version, made by {@link TailTable#freeze()}.
 * Queries read it without any lock while the writer goes on appending: the writer only writes rows past
 * this view's {@link #rowCount()} into the shared chunks, and copies a bit set before changing one that a
 * view holds. Vectors live in contiguous row-major chunks so exact search scans them with SIMD.
 */
final class DocTable {
    static final int CHUNK_ROWS = 4096;

    static final DocTable EMPTY = new TailTable().freeze();

    private final int rowCount;
    private final int liveCount;
    private final int dims;
    private final long liveBytes;
    private final DocId[][] ids;
    private final Object[][] attributes;
    private final float[][] vectors;
    private final float[][] norms;
    private final BitSet live;
    private final BitSet hasVector;

    DocTable(int rowCount, int liveCount, int dims, long liveBytes, DocId[][] ids, Object[][] attributes,
             float[][] vectors, float[][] norms, BitSet live, BitSet hasVector) {
        this.rowCount = rowCount;
        this.liveCount = liveCount;
        this.dims = dims;
        this.liveBytes = liveBytes;
        this.ids = ids;
        this.attributes = attributes;
        this.vectors = vectors;
        this.norms = norms;
        this.live = live;
        this.hasVector = hasVector;
    }

    int rowCount() {
        return rowCount;
    }

    int liveCount() {
        return liveCount;
    }

    int dims() {
        return dims;
    }

    boolean isLive(int row) {
        return live.get(row);
    }

    boolean hasVector(int row) {
        return hasVector.get(row);
    }

    DocId id(int row) {
        return ids[row / CHUNK_ROWS][row % CHUNK_ROWS];
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> attributes(int row) {
        return (Map<String, Object>) attributes[row / CHUNK_ROWS][row % CHUNK_ROWS];
    }

    /** Approximate logical size of the live documents in bytes. */
    long liveBytes() {
        return liveBytes;
    }

    /** A copy of the vector of a row, or null. */
    float[] vector(int row) {
        if (!hasVector.get(row)) return null;
        float[] v = new float[dims];
        System.arraycopy(vectors[row / CHUNK_ROWS], (row % CHUNK_ROWS) * dims, v, 0, dims);
        return v;
    }

    float[] vectorChunk(int chunk) {
        return vectors[chunk];
    }

    float[] normChunk(int chunk) {
        return norms[chunk];
    }

    int vectorChunkCount() {
        return dims == 0 ? 0 : Math.min(vectors.length, (rowCount + CHUNK_ROWS - 1) / CHUNK_ROWS);
    }

    Document document(int row) {
        return new Document(id(row), vector(row), attributes(row));
    }

    void forEachLive(IntConsumer action) {
        for (int r = live.nextSetBit(0); r >= 0; r = live.nextSetBit(r + 1)) action.accept(r);
    }

    /** Live rows (do not modify). */
    BitSet liveRows() {
        return live;
    }
}
