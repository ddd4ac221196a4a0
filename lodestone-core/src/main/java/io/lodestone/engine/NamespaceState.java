package io.lodestone.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lodestone.doc.DocId;
import io.lodestone.doc.Schema;
import io.lodestone.filter.Filter;
import io.lodestone.filter.FilterParser;
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
 * The materialized state of a namespace: configuration plus documents, built by applying log entries
 * in sequence order. Application is deterministic, so every server replaying the same log reaches the
 * same state. Readers take the read lock; applying an entry takes the write lock.
 */
final class NamespaceState {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private NamespaceView view = NamespaceView.EMPTY;
    private DocTable table = new DocTable();
    private long lastSeq;
    private long createdAtMillis;
    private long updatedAtMillis;

    long lastSeq() {
        lock.readLock().lock();
        try {
            return lastSeq;
        } finally {
            lock.readLock().unlock();
        }
    }

    NamespaceView view() {
        lock.readLock().lock();
        try {
            return view;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code reader} under the read lock with a consistent snapshot of view and table. */
    <T> T read(Function<Snapshot, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(new Snapshot(view, table, createdAtMillis, updatedAtMillis, lastSeq));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** What a reader sees. Valid only inside {@link #read}. */
    record Snapshot(NamespaceView view, DocTable table, long createdAtMillis, long updatedAtMillis, long lastSeq) {
    }

    /**
     * Applies the next log entry and returns one result per batch.
     *
     * @throws IllegalStateException if the entry is not the next in sequence
     */
    List<WriteResult> apply(WalEntry entry) {
        lock.writeLock().lock();
        try {
            if (entry.seq() != lastSeq + 1) {
                throw new IllegalStateException("log entry " + entry.seq() + " applied after " + lastSeq);
            }
            List<WriteResult> results = new ArrayList<>(entry.batches().size());
            for (WriteBatch b : entry.batches()) results.add(applyBatch(b, entry.seq()));
            lastSeq = entry.seq();
            if (createdAtMillis == 0) createdAtMillis = entry.timestampMillis();
            updatedAtMillis = entry.timestampMillis();
            if (table.wantsCompaction()) table = table.compacted();
            return results;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private WriteResult applyBatch(WriteBatch b, long seq) {
        int batchDims = 0;
        long upserted = 0, patched = 0, deleted = 0;
        List<DocId> affected = new ArrayList<>();
        view = view.after(b, 0);
        for (WriteOp op : b.ops()) {
            switch (op) {
                case WriteOp.Upsert u -> {
                    float[] v = u.document().vector();
                    if (v != null && view.dims() == 0 && batchDims == 0) batchDims = v.length;
                    table.upsert(u.document().id(), v, u.document().attributes());
                    upserted++;
                    affected.add(u.document().id());
                }
                case WriteOp.Patch p -> {
                    if (patch(p.id(), p.attributes())) {
                        patched++;
                        affected.add(p.id());
                    }
                }
                case WriteOp.Delete d -> {
                    if (table.rowOf(d.id()) >= 0) {
                        table.delete(d.id());
                        deleted++;
                        affected.add(d.id());
                    }
                }
                case WriteOp.DeleteByFilter f -> {
                    for (DocId id : matching(f.filterJson())) {
                        table.delete(id);
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
        if (batchDims > 0) view = new NamespaceView(view.metric(), view.metricSet(), batchDims, view.schema());
        return new WriteResult(upserted, patched, deleted, affected, seq);
    }

    private boolean patch(DocId id, Map<String, Object> attributes) {
        int row = table.rowOf(id);
        if (row < 0) return false;
        Map<String, Object> merged = new LinkedHashMap<>(table.attributes(row));
        attributes.forEach((k, v) -> {
            if (v == null) merged.remove(k);
            else merged.put(k, v);
        });
        table.upsert(id, table.vector(row), merged);
        return true;
    }

    private List<DocId> matching(String filterJson) {
        Filter filter = parseStored(filterJson, view.schema());
        List<DocId> ids = new ArrayList<>();
        table.forEachLive(r -> {
            if (filter.matches(new RowSource(table, r))) ids.add(table.id(r));
        });
        return ids;
    }

    private static Filter parseStored(String json, Schema schema) {
        try {
            JsonNode node = JSON.readTree(json);
            return FilterParser.parse(node, schema);
        } catch (IOException e) {
            throw new UncheckedIOException("stored filter is not valid JSON: " + json, e);
        }
    }
}
