package io.lodestone.engine;

import io.lodestone.doc.DocId;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The writer's side of the unindexed tail: an append-only row store where a new version of a document is
 * a new row and the old row is marked dead. {@link #freeze()} hands out immutable {@link DocTable} views;
 * after a freeze, the next change to a bit set copies it first (copy on write), and rows are only ever
 * appended past the frozen row count, so views never see a change. Not thread-safe: one writer at a time
 * ({@link NamespaceState} serializes them).
 */
final class TailTable {
    private static final int CHUNK = DocTable.CHUNK_ROWS;

    private DocId[][] ids = new DocId[0][];
    private Object[][] attributes = new Object[0][];
    private float[][] vectors = new float[0][];
    private float[][] norms = new float[0][];
    private BitSet live = new BitSet();
    private BitSet hasVector = new BitSet();
    private boolean liveShared;
    private boolean hasVectorShared;
    private final Map<DocId, Integer> rowOfId = new HashMap<>();
    private int[] rowBytes = new int[1024];
    private int rowCount;
    private long liveBytes;
    private int dims;

    int rowCount() {
        return rowCount;
    }

    /** Live row of the id, or -1. */
    int rowOf(DocId id) {
        Integer r = rowOfId.get(id);
        return r == null ? -1 : r;
    }

    /** A copy of the vector of a row, or null. */
    float[] vector(int row) {
        if (!hasVector.get(row)) return null;
        return Arrays.copyOfRange(vectors[row / CHUNK], (row % CHUNK) * dims, (row % CHUNK + 1) * dims);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> attributes(int row) {
        return (Map<String, Object>) attributes[row / CHUNK][row % CHUNK];
    }

    /** Appends a new version of a document; the previous version, if any, dies. */
    void upsert(DocId id, float[] vector, Map<String, Object> attrs) {
        int row = rowCount;
        ensureChunk(row / CHUNK);
        if (vector != null) {
            if (dims == 0) dims = vector.length;
            ensureVectorChunk(row / CHUNK);
            System.arraycopy(vector, 0, vectors[row / CHUNK], (row % CHUNK) * dims, dims);
            norms[row / CHUNK][row % CHUNK] = norm(vector);
            writableHasVector().set(row);
        }
        ids[row / CHUNK][row % CHUNK] = id;
        attributes[row / CHUNK][row % CHUNK] = attrs;
        if (row == rowBytes.length) rowBytes = Arrays.copyOf(rowBytes, row * 2);
        rowBytes[row] = LogicalSize.of(id, vector, attrs);
        liveBytes += rowBytes[row];
        rowCount++;
        Integer old = rowOfId.put(id, row);
        if (old != null) kill(old);
        writableLive().set(row);
    }

    void delete(DocId id) {
        Integer old = rowOfId.remove(id);
        if (old != null) kill(old);
    }

    private void kill(int row) {
        writableLive().clear(row);
        liveBytes -= rowBytes[row];
    }

    /** Whether dead rows take more room than live ones and a {@link #compacted()} copy would pay. */
    boolean wantsCompaction() {
        return rowCount > 1024 && rowOfId.size() < rowCount / 2;
    }

    /** A new table holding only the live rows, in row order (views of this one stay valid). */
    TailTable compacted() {
        TailTable t = new TailTable();
        for (int r = live.nextSetBit(0); r >= 0; r = live.nextSetBit(r + 1)) t.upsert(ids[r / CHUNK][r % CHUNK], vector(r), attributes(r));
        return t;
    }

    /** An immutable view of the rows as they are now. */
    DocTable freeze() {
        liveShared = true;
        hasVectorShared = true;
        return new DocTable(rowCount, rowOfId.size(), dims, liveBytes, ids, attributes, vectors, norms, live, hasVector);
    }

    private BitSet writableLive() {
        if (liveShared) {
            live = (BitSet) live.clone();
            liveShared = false;
        }
        return live;
    }

    private BitSet writableHasVector() {
        if (hasVectorShared) {
            hasVector = (BitSet) hasVector.clone();
            hasVectorShared = false;
        }
        return hasVector;
    }

    /** Makes chunk {@code c} of ids and attributes exist; a new directory array, so views keep theirs. */
    private void ensureChunk(int c) {
        if (c < ids.length) return;
        ids = Arrays.copyOf(ids, c + 1);
        ids[c] = new DocId[CHUNK];
        attributes = Arrays.copyOf(attributes, c + 1);
        attributes[c] = new Object[CHUNK];
    }

    private void ensureVectorChunk(int c) {
        int from = vectors.length;
        if (c < from) return;
        vectors = Arrays.copyOf(vectors, c + 1);
        norms = Arrays.copyOf(norms, c + 1);
        for (int i = from; i <= c; i++) {
            vectors[i] = new float[CHUNK * dims];
            norms[i] = new float[CHUNK];
        }
    }

    private static float norm(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return (float) Math.sqrt(s);
    }
}
