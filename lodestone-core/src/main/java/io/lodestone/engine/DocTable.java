package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The documents of a namespace as rows: an append-only row store where a new version of a document
 * is a new row and the old row is marked dead. Vectors live in contiguous row-major chunks so exact
 * search scans them with SIMD. Not thread-safe: {@link NamespaceState} guards it.
 */
final class DocTable {
    static final int CHUNK_ROWS = 4096;

    private final List<DocId> ids = new ArrayList<>();
    private final List<Map<String, Object>> attributes = new ArrayList<>();
    private final BitSet live = new BitSet();
    private final BitSet hasVector = new BitSet();
    private final Map<DocId, Integer> rowOfId = new HashMap<>();
    private final List<float[]> vectorChunks = new ArrayList<>();
    private final List<float[]> normChunks = new ArrayList<>();
    private int[] rowBytes = new int[1024];
    private long liveBytes;
    private int dims;

    int rowCount() {
        return ids.size();
    }

    int liveCount() {
        return rowOfId.size();
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
        return ids.get(row);
    }

    Map<String, Object> attributes(int row) {
        return attributes.get(row);
    }

    /** Live row of the id, or -1. */
    int rowOf(DocId id) {
        Integer r = rowOfId.get(id);
        return r == null ? -1 : r;
    }

    /** Appends a new version of a document; the previous version, if any, dies. */
    void upsert(DocId id, float[] vector, Map<String, Object> attrs) {
        int row = ids.size();
        if (vector != null) {
            if (dims == 0) dims = vector.length;
            ensureChunk(row);
            float[] chunk = vectorChunks.get(row / CHUNK_ROWS);
            System.arraycopy(vector, 0, chunk, (row % CHUNK_ROWS) * dims, dims);
            normChunks.get(row / CHUNK_ROWS)[row % CHUNK_ROWS] = norm(vector);
            hasVector.set(row);
        }
        ids.add(id);
        attributes.add(attrs);
        if (row == rowBytes.length) rowBytes = java.util.Arrays.copyOf(rowBytes, row * 2);
        rowBytes[row] = LogicalSize.of(id, vector, attrs);
        liveBytes += rowBytes[row];
        Integer old = rowOfId.put(id, row);
        if (old != null) kill(old);
        live.set(row);
    }

    void delete(DocId id) {
        Integer old = rowOfId.remove(id);
        if (old != null) kill(old);
    }

    private void kill(int row) {
        live.clear(row);
        liveBytes -= rowBytes[row];
    }

    /** Approximate logical size of the live documents in bytes. */
    long liveBytes() {
        return liveBytes;
    }

    /** A copy of the vector of a row, or null. */
    float[] vector(int row) {
        if (!hasVector.get(row)) return null;
        float[] v = new float[dims];
        System.arraycopy(vectorChunks.get(row / CHUNK_ROWS), (row % CHUNK_ROWS) * dims, v, 0, dims);
        return v;
    }

    float[] vectorChunk(int chunk) {
        return vectorChunks.get(chunk);
    }

    float[] normChunk(int chunk) {
        return normChunks.get(chunk);
    }

    int vectorChunkCount() {
        return vectorChunks.size();
    }

    Document document(int row) {
        return new Document(ids.get(row), vector(row), attributes.get(row));
    }

    void forEachLive(IntConsumer action) {
        for (int r = live.nextSetBit(0); r >= 0; r = live.nextSetBit(r + 1)) action.accept(r);
    }

    /** Live rows set, for scans (do not modify). */
    BitSet liveRows() {
        return live;
    }

    /** Whether dead rows take more room than live ones and a {@link #compacted()} copy would pay. */
    boolean wantsCompaction() {
        return ids.size() > 1024 && rowOfId.size() < ids.size() / 2;
    }

    /** A copy holding only the live rows, in row order. */
    DocTable compacted() {
        DocTable t = new DocTable();
        forEachLive(r -> t.upsert(ids.get(r), vector(r), attributes.get(r)));
        return t;
    }

    private void ensureChunk(int row) {
        while (vectorChunks.size() <= row / CHUNK_ROWS) {
            vectorChunks.add(new float[CHUNK_ROWS * dims]);
            normChunks.add(new float[CHUNK_ROWS]);
        }
    }

    private static float norm(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return (float) Math.sqrt(s);
    }
}
