package io.lodestone.segment;

import io.lodestone.cache.ParallelReads;
import io.lodestone.cache.PinnedFile;
import io.lodestone.cache.ReadSections;
import io.lodestone.doc.DocId;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * An open, immutable segment: its documents, vectors (when it has any) and an id → row map built when
 * first asked for (writes ask; a server that only queries never builds it). Files are mapped and verified when opened. Thread-safe for reads. Which rows are deleted is
 * not part of the segment (it changes with each manifest): see {@link Manifest.SegmentInfo#deletesKey()}.
 */
public final class Segment implements AutoCloseable {
    private final String id;
    private final SegmentDocsFile docs;
    private final SegmentVectorsFile vectors;
    private final SegmentIds ids;
    /** Built on the first {@link #rowOf}: at a million rows it costs a cold open about as much as its reads. */
    private volatile Map<DocId, Integer> rowOfId;
    /** Cache pins of the mapped files, released on close. */
    private final List<PinnedFile> pins;
    private final java.util.concurrent.ConcurrentHashMap<String, Object> derived = new java.util.concurrent.ConcurrentHashMap<>();

    private Segment(String id, SegmentDocsFile docs, SegmentVectorsFile vectors, List<PinnedFile> pins) {
        this.id = id;
        this.pins = pins;
        this.docs = docs;
        this.vectors = vectors;
        this.ids = docs.ids();
    }

    /**
     * Opens a segment's files. On a remote store this reads their ends (ids, offsets, norms) by ranged reads into
     * the disk cache; attributes and vectors of rows arrive when they are read.
     */
    public static Segment open(SegmentFiles files, String prefix, String id) throws IOException {
        String docsKey = SegmentKeys.docs(prefix, id);
        String vectorsKey = SegmentKeys.vectors(prefix, id);
        // the two files are independent: on a remote store their first reads go out together
        List<OpenedFile<?>> opened = ParallelReads.map(List.of(docsKey, vectorsKey), !files.store().local(), key -> key.equals(docsKey)
                ? OpenedFile.open(files, key, false, pin -> SegmentDocsFile.open(pin.path(), pin.residency(), key))
                : OpenedFile.open(files, key, true, pin -> SegmentVectorsFile.open(pin.path(), pin.residency(), key)),
                OpenedFile::close); // a segment of documents without vectors has no vectors file
        OpenedFile<?> docs = opened.get(0);
        OpenedFile<?> vectors = opened.get(1);
        List<PinnedFile> pins = new ArrayList<>(2);
        pins.add(docs.pin());
        if (vectors != null) pins.add(vectors.pin());
        try {
            return new Segment(id, (SegmentDocsFile) docs.file(), vectors == null ? null : (SegmentVectorsFile) vectors.file(), pins);
        } catch (RuntimeException e) {
            docs.close();
            if (vectors != null) vectors.close();
            throw e;
        }
    }

    /** Reads a deletion vector object (through the memory tier: deletion vectors are immutable). */
    public static BitSet readDeletes(SegmentFiles files, String key, int rows) throws IOException {
        if (key.isEmpty()) return new BitSet();
        return DeletionVector.decode(files.bytes(key), key, rows);
    }

    public String id() {
        return id;
    }

    public int rowCount() {
        return docs.rowCount();
    }

    /** Row of the id, or -1. */
    public int rowOf(DocId docId) {
        Map<DocId, Integer> map = rowOfId;
        if (map == null) map = rowOfIds();
        Integer r = map.get(docId);
        return r == null ? -1 : r;
    }

    private synchronized Map<DocId, Integer> rowOfIds() {
        if (rowOfId == null) {
            ids.ensureAll();
            Map<DocId, Integer> map = new HashMap<>(ids.size() * 2);
            for (int r = 0; r < ids.size(); r++) map.put(ids.id(r), r);
            rowOfId = map;
        }
        return rowOfId;
    }

    /** Row {@code row}'s id (fetched first when the ids are read by row and it is absent: see {@link #prefetchIds}). */
    public DocId docId(int row) {
        return ids.id(row);
    }

    /** Makes the ids of {@code n} rows present at once (a batch of ranged reads when the ids are read by row). */
    public void prefetchIds(int[] rows, int n) {
        docs.ensureIds(rows, n);
    }

    /** Makes every id present (before work that reads them all). */
    public void prefetchAllIds() {
        ids.ensureAll();
    }

    /** The first and last id when each row's id is greater than the one before, else null. */
    public SegmentIds.Range ascendingIds() {
        return ids.ascendingRange();
    }

    public Map<String, Object> attributes(int row) {
        return docs.attributes(row);
    }

    /**
     * Makes what reading the rows needs present at once (their ids and attributes, and their vectors when asked), so
     * that a remote store answers one batch of parallel ranged reads instead of one read per row.
     */
    public void prefetchRows(int[] rows, int n, boolean withVectors) {
        docs.ensureRows(rows, n);
        if (withVectors && vectors != null) vectors.ensureRows(rows, n);
    }

    /**
     * Makes what locating the rows' attributes needs present (their offset entries, and their ids), for a reader that
     * will read them: fetched beside other reads, it saves {@link #prefetchRows} a round trip.
     */
    public void prefetchRowOffsets(int[] rows, int n) {
        docs.ensureOffsets(rows, n);
    }

    /** Whether its files are wholly local (then nothing needs fetching before a read). */
    public boolean complete() {
        return docs.complete() && (vectors == null || vectors.complete());
    }

    /** Makes every row's attributes present (for work that reads all of them: filters, sorts, aggregations). */
    public void prefetchAllAttributes() {
        docs.ensureAll();
    }

    /** Vectors of this segment, or null when no document in it has one. */
    public SegmentVectorsFile vectors() {
        return vectors;
    }

    public float[] vector(int row) {
        return vectors != null && vectors.hasVector(row) ? vectors.vector(row) : null;
    }

    /**
     * A value derived from this immutable segment (an index built in memory, a per-row table), computed
     * once per key and kept while the segment is open. Values that are {@link AutoCloseable} are closed
     * with the segment.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(String key, java.util.function.Supplier<T> compute) {
        Object known = derived.get(key); // the common case, without the lambda computeIfAbsent needs
        // a derived value (an index over the mapped files) reads what computing it ensured for as long as it lives
        return (T) (known != null ? known : derived.computeIfAbsent(key, k -> ReadSections.keeping(compute::get)));
    }

    @Override
    public void close() {
        for (Object value : derived.values()) {
            Object v = value instanceof java.util.Optional<?> o ? o.orElse(null) : value;
            if (v instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing a mapping cannot fail in a way a reader could act on
                }
            }
        }
        docs.close();
        if (vectors != null) vectors.close();
        pins.forEach(PinnedFile::close);
    }
}
