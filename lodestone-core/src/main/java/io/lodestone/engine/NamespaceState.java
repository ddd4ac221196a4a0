package io.lodestone.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;
import io.lodestone.filter.Filter;
import io.lodestone.filter.FilterParser;
import io.lodestone.segment.Manifest;
import io.lodestone.wal.WalEntry;
import io.lodestone.wal.WriteBatch;
import io.lodestone.wal.WriteOp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The materialized state of a namespace: the segments of a manifest (the indexed part) plus the log
 * entries after it (the tail), applied in sequence order. Application is deterministic, so every
 * server replaying the same manifest and log reaches the same state. Readers take the read lock;
 * applying an entry or switching to a new manifest takes the write lock.
 *
 * <p>Invariant: each live document is live in exactly one place, the tail table or one segment. A
 * write in the tail masks the document's row in its segment; publishing folds the masks into
 * deletion vectors.
 */
final class NamespaceState {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A log entry of the tail and its encoded size. */
    record TailEntry(WalEntry entry, long bytes) {
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private Manifest manifest;
    private List<SegmentSource> segments;
    private List<TailEntry> tail = new ArrayList<>();
    private long tailBytes;
    private DocTable table = new DocTable();
    private NamespaceView view;
    private long lastSeq;
    private long createdAtMillis;
    private long updatedAtMillis;

    NamespaceState(Manifest manifest, List<SegmentSource> segments) {
        reset(manifest, segments);
    }

    private void reset(Manifest m, List<SegmentSource> segs) {
        manifest = m;
        segments = List.copyOf(segs);
        view = new NamespaceView(m.metric(), m.metricSet(), m.dims(), m.schema(), m.index());
        lastSeq = m.lastIndexedSeq();
        createdAtMillis = m.version() == 0 ? 0 : m.createdAtMillis();
        updatedAtMillis = m.version() == 0 ? 0 : m.updatedAtMillis();
        table = new DocTable();
        tail = new ArrayList<>();
        tailBytes = 0;
    }

    long lastSeq() {
        lock.readLock().lock();
        try {
            return lastSeq;
        } finally {
            lock.readLock().unlock();
        }
    }

    NamespaceView view() {
        return read(Snapshot::view);
    }

    Manifest manifest() {
        return read(Snapshot::manifest);
    }

    long unindexedBytes() {
        return read(Snapshot::tailBytes);
    }

    /** Runs {@code reader} under the read lock with a consistent snapshot. */
    <T> T read(Function<Snapshot, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(new Snapshot(view, table, segments, manifest, createdAtMillis, updatedAtMillis, lastSeq, tailBytes));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** What a reader sees; valid only inside {@link #read}. */
    record Snapshot(NamespaceView view, DocTable table, List<SegmentSource> segments, Manifest manifest,
                    long createdAtMillis, long updatedAtMillis, long lastSeq, long tailBytes) {

        /** Every source: the segments, then the tail. */
        List<DocSource> sources() {
            List<DocSource> all = new ArrayList<>(segments);
            all.add(new TailSource(table));
            return all;
        }

        long liveCount() {
            long n = table.liveCount();
            for (SegmentSource s : segments) n += s.liveRows().cardinality();
            return n;
        }
    }

    /** Applies the next log entry and returns one result per batch. */
    List<WriteResult> apply(WalEntry entry, long bytes) {
        lock.writeLock().lock();
        try {
            return applyLocked(entry, bytes);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private List<WriteResult> applyLocked(WalEntry entry, long bytes) {
        if (entry.seq() != lastSeq + 1) {
            throw new IllegalStateException("log entry " + entry.seq() + " applied after " + lastSeq);
        }
        List<WriteResult> results = new ArrayList<>(entry.batches().size());
        for (WriteBatch b : entry.batches()) results.add(applyBatch(b, entry.seq()));
        lastSeq = entry.seq();
        tail.add(new TailEntry(entry, bytes));
        tailBytes += bytes;
        if (createdAtMillis == 0) createdAtMillis = entry.timestampMillis();
        updatedAtMillis = entry.timestampMillis();
        if (table.wantsCompaction()) table = table.compacted();
        return results;
    }

    /**
     * Switches to a newly published manifest and its segments, then re-applies the tail entries the
     * manifest does not cover, so the state is the same documents over a different split.
     */
    void rebase(Manifest next, List<SegmentSource> nextSegments) {
        lock.writeLock().lock();
        try {
            List<TailEntry> keep = tail.stream().filter(t -> t.entry().seq() > next.lastIndexedSeq()).toList();
            long keepLast = lastSeq;
            reset(next, nextSegments);
            for (TailEntry t : keep) applyLocked(t.entry(), t.bytes());
            if (lastSeq < keepLast && !keep.isEmpty()) throw new IllegalStateException("rebase lost entries");
        } finally {
            lock.writeLock().unlock();
        }
    }

    private WriteResult applyBatch(WriteBatch b, long seq) {
        long upserted = 0, patched = 0, deleted = 0;
        List<DocId> affected = new ArrayList<>();
        view = view.after(b, 0);
        for (WriteOp op : b.ops()) {
            switch (op) {
                case WriteOp.Upsert u -> {
                    Document d = u.document();
                    if (d.vector() != null && view.dims() == 0) {
                        view = view.withDims(d.vector().length);
                    }
                    maskSegments(d.id());
                    table.upsert(d.id(), d.vector(), d.attributes());
                    upserted++;
                    affected.add(d.id());
                }
                case WriteOp.Patch p -> {
                    if (patch(p.id(), p.attributes())) {
                        patched++;
                        affected.add(p.id());
                    }
                }
                case WriteOp.Delete d -> {
                    if (delete(d.id())) {
                        deleted++;
                        affected.add(d.id());
                    }
                }
                case WriteOp.DeleteByFilter f -> {
                    for (DocId id : matching(f.filterJson())) {
                        delete(id);
                        deleted++;
                        affected.add(id);
                    }
                }
                case WriteOp.PatchByFilter f -> {
                    for (DocId id : matching(f.filterJson())) {
                        patch(id, f.attributes());
                        patched++;
                        affected.add(id);
                    }
                }
            }
        }
        return new WriteResult(upserted, patched, deleted, affected, seq);
    }

    private boolean maskSegments(DocId id) {
        boolean was = false;
        for (SegmentSource s : segments) was |= s.mask(id);
        return was;
    }

    private boolean delete(DocId id) {
        boolean inTail = table.rowOf(id) >= 0;
        table.delete(id);
        return maskSegments(id) || inTail;
    }

    /** The live version of a document, or null. */
    private Document current(DocId id) {
        int row = table.rowOf(id);
        if (row >= 0) return new Document(id, table.vector(row), table.attributes(row));
        for (SegmentSource s : segments) {
            int r = s.segment.rowOf(id);
            if (r >= 0 && s.isLive(r)) return new Document(id, s.vector(r), s.attributes(r));
        }
        return null;
    }

    private boolean patch(DocId id, Map<String, Object> attributes) {
        Document doc = current(id);
        if (doc == null) return false;
        Map<String, Object> merged = new LinkedHashMap<>(doc.attributes());
        attributes.forEach((k, v) -> {
            if (v == null) merged.remove(k);
            else merged.put(k, v);
        });
        maskSegments(id);
        table.upsert(id, doc.vector(), merged);
        return true;
    }

    private List<DocId> matching(String filterJson) {
        Filter filter = parseStored(filterJson);
        List<DocId> ids = new ArrayList<>();
        List<DocSource> sources = new ArrayList<>(segments);
        sources.add(new TailSource(table));
        for (DocSource src : sources) {
            for (int r = 0; r < src.rowCount(); r++) {
                if (src.isLive(r) && filter.matches(new SourceRow(src, r))) ids.add(src.id(r));
            }
        }
        return ids;
    }

    private Filter parseStored(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return FilterParser.parse(node, view.schema());
        } catch (IOException e) {
            throw new UncheckedIOException("stored filter is not valid JSON: " + json, e);
        }
    }
}
