package io.lodestone.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;
import io.lodestone.filter.Filter;
import io.lodestone.filter.FilterParser;
import io.lodestone.segment.Manifest;
import io.lodestone.wal.WalCodec;
import io.lodestone.wal.WalEntry;
import io.lodestone.wal.WriteBatch;
import io.lodestone.wal.WriteOp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The materialized state of a namespace: the segments of a manifest (the indexed part) plus the log
 * entries after it (the tail), applied in sequence order. Application is deterministic, so every
 * server replaying the same manifest and log reaches the same state.
 *
 * <p>Readers never lock: after every change the writer publishes an immutable {@link Snapshot}
 * (a volatile write), and a query runs on the snapshot it read, however long it takes, while writers go
 * on. Writers are serialized by this object's monitor; structures a snapshot holds are copied before
 * the writer changes them ({@link TailTable}, the segment masks).
 *
 * <p>Invariant: each live document is live in exactly one place, the tail table or one segment. A
 * write in the tail masks the document's row in its segment; publishing folds the masks into
 * deletion vectors.
 */
final class NamespaceState {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A log entry of the tail, kept as the bytes it was stored as, only for {@link #rebase} to apply it again.
     * Not the decoded entry: its documents hold every vector a second time (the {@link TailTable} has its own
     * copy), and those small arrays, alive until the next fold, would be copied by every young collection while
     * writes stream in; a large encoded entry is allocated outside the young generation and never copied.
     */
    private record TailEntry(long seq, long timestampMillis, byte[] encoded) {
    }

    private Manifest manifest;
    private List<SegmentSource> segments;
    private BitSet[] masks;
    private boolean[] maskShared;
    private List<TailEntry> tail = new ArrayList<>();
    private long tailBytes;
    private TailTable table = new TailTable();
    private NamespaceView view;
    private long lastSeq;
    private long createdAtMillis;
    private long updatedAtMillis;
    /** Set once the log's deletion mark was applied: the namespace is gone (another server deleted it). */
    private volatile boolean deleted;
    private volatile Snapshot current;

    NamespaceState(Manifest manifest, List<SegmentSource> segments) {
        reset(manifest, segments);
        publish();
    }

    private void reset(Manifest m, List<SegmentSource> segs) {
        manifest = m;
        segments = List.copyOf(segs);
        masks = new BitSet[segments.size()];
        maskShared = new boolean[segments.size()];
        for (int i = 0; i < masks.length; i++) {
            masks[i] = segments.get(i).masked;
            maskShared[i] = true;
        }
        view = new NamespaceView(m.metric(), m.metricSet(), m.dims(), m.schema(), m.index());
        lastSeq = m.lastIndexedSeq();
        createdAtMillis = m.version() == 0 ? 0 : m.createdAtMillis();
        updatedAtMillis = m.version() == 0 ? 0 : m.updatedAtMillis();
        table = new TailTable();
        tail = new ArrayList<>();
        tailBytes = 0;
    }

    /** Makes the writer's current state the one readers see. Caller holds the monitor (or constructs). */
    private void publish() {
        List<SegmentSource> published = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            SegmentSource s = segments.get(i);
            published.add(s.masked == masks[i] ? s : new SegmentSource(s.segment, s.deleted, masks[i]));
            maskShared[i] = true;
        }
        segments = List.copyOf(published);
        current = Snapshot.of(view, table.freeze(), segments, manifest, createdAtMillis, updatedAtMillis, lastSeq, tailBytes);
    }

    /** The latest published snapshot; never blocks. */
    Snapshot snapshot() {
        return current;
    }

    long lastSeq() {
        return current.lastSeq();
    }

    NamespaceView view() {
        return current.view();
    }

    Manifest manifest() {
        return current.manifest();
    }

    long unindexedBytes() {
        return current.tailBytes();
    }

    /** Whether the log marks the namespace deleted. */
    boolean deleted() {
        return deleted;
    }

    /** The write time of the oldest log entry in the tail (by its writer's clock), or 0 when the tail is empty. */
    synchronized long oldestUnindexedMillis() {
        return tail.isEmpty() ? 0 : tail.getFirst().timestampMillis();
    }

    /** Runs {@code reader} over the latest snapshot (no lock: the snapshot never changes). */
    <T> T read(Function<Snapshot, T> reader) {
        return reader.apply(current);
    }

    /**
     * What a reader sees: one immutable version of the state.
     *
     * @param sources every source, the segments then the tail (made once per version, not per query)
     */
    record Snapshot(NamespaceView view, DocTable table, List<SegmentSource> segments, List<DocSource> sources,
                    Manifest manifest, long createdAtMillis, long updatedAtMillis, long lastSeq, long tailBytes) {

        static Snapshot of(NamespaceView view, DocTable table, List<SegmentSource> segments, Manifest manifest,
                           long createdAtMillis, long updatedAtMillis, long lastSeq, long tailBytes) {
            List<DocSource> all = new ArrayList<>(segments.size() + 1);
            all.addAll(segments);
            all.add(new TailSource(table));
            return new Snapshot(view, table, segments, List.copyOf(all), manifest, createdAtMillis, updatedAtMillis,
                    lastSeq, tailBytes);
        }

        long liveCount() {
            long n = table.liveCount();
            for (SegmentSource s : segments) n += s.liveCount();
            return n;
        }
    }

    /**
     * Applies the next log entry, publishes the result, and returns one result per batch. {@code encoded} is the
     * entry as stored; the state keeps it until a manifest covers the entry.
     */
    synchronized List<WriteResult> apply(WalEntry entry, byte[] encoded) {
        List<WriteResult> results = applyLocked(entry, encoded);
        publish();
        return results;
    }

    private List<WriteResult> applyLocked(WalEntry entry, byte[] encoded) {
        if (entry.seq() != lastSeq + 1) {
            throw new IllegalStateException("log entry " + entry.seq() + " applied after " + lastSeq);
        }
        if (entry.deletesNamespace()) {
            deleted = true;
            lastSeq = entry.seq();
            return List.of();
        }
        List<WriteResult> results = new ArrayList<>(entry.batches().size());
        for (WriteBatch b : entry.batches()) results.add(applyBatch(b, entry.seq()));
        lastSeq = entry.seq();
        tail.add(new TailEntry(entry.seq(), entry.timestampMillis(), encoded));
        tailBytes += encoded.length;
        if (createdAtMillis == 0) createdAtMillis = entry.timestampMillis();
        updatedAtMillis = entry.timestampMillis();
        if (table.wantsCompaction()) table = table.compacted();
        return results;
    }

    /**
     * Switches to a newly published manifest and its segments, then re-applies the tail entries the
     * manifest does not cover, so the state is the same documents over a different split. The caller
     * checks that the manifest is newer than the state's and covers no more of the log than it has.
     */
    synchronized void rebase(Manifest next, List<SegmentSource> nextSegments) {
        if (next.lastIndexedSeq() > lastSeq) {
            throw new IllegalStateException("manifest " + next.version() + " indexes up to " + next.lastIndexedSeq()
                    + ", past the state's last entry " + lastSeq);
        }
        List<TailEntry> keep = tail.stream().filter(t -> t.seq() > next.lastIndexedSeq()).toList();
        long keepLast = lastSeq;
        reset(next, nextSegments);
        for (TailEntry t : keep) applyLocked(WalCodec.decode(t.encoded(), "log entry " + t.seq() + " (kept in memory)"), t.encoded());
        if (lastSeq != keepLast) throw new IllegalStateException("rebase lost entries");
        publish();
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
        for (int i = 0; i < segments.size(); i++) {
            int r = segments.get(i).segment.rowOf(id);
            if (r >= 0 && liveInSegment(i, r)) {
                writableMask(i).set(r);
                was = true;
            }
        }
        return was;
    }

    private boolean liveInSegment(int i, int row) {
        return !segments.get(i).deleted.get(row) && !masks[i].get(row);
    }

    private BitSet writableMask(int i) {
        if (maskShared[i]) {
            masks[i] = (BitSet) masks[i].clone();
            maskShared[i] = false;
        }
        return masks[i];
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
        for (int i = 0; i < segments.size(); i++) {
            SegmentSource s = segments.get(i);
            int r = s.segment.rowOf(id);
            if (r >= 0 && liveInSegment(i, r)) return new Document(id, s.vector(r), s.attributes(r));
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
        DocTable rows = table.freeze();
        for (int i = 0; i < segments.size(); i++) {
            SegmentSource src = new SegmentSource(segments.get(i).segment, segments.get(i).deleted, masks[i]);
            maskShared[i] = true;
            for (int r = 0; r < src.rowCount(); r++) {
                if (src.isLive(r) && filter.matches(new SourceRow(src, r))) ids.add(src.id(r));
            }
        }
        TailSource tailRows = new TailSource(rows);
        for (int r = 0; r < tailRows.rowCount(); r++) {
            if (tailRows.isLive(r) && filter.matches(new SourceRow(tailRows, r))) ids.add(tailRows.id(r));
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
