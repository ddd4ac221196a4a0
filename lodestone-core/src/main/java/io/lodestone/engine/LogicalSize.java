package io.lodestone.engine;

import io.lodestone.doc.DocId;

import java.util.List;
import java.util.Map;

/** Approximate logical size of a document, as reported by {@code approx_logical_bytes}. */
final class LogicalSize {
    private LogicalSize() {
    }

    static int of(DocId id, float[] vector, Map<String, Object> attributes) {
        long n = idBytes(id) + (vector == null ? 0 : 4L * vector.length);
        if (!attributes.isEmpty()) { // result rows without attributes: no iterator per row
            for (Map.Entry<String, Object> e : attributes.entrySet()) n += e.getKey().length() + valueBytes(e.getValue());
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** Logical bytes of result rows: ids, and the vectors and attributes they carry. */
    static long ofRows(List<QueryResult.Row> rows) {
        long n = 0;
        for (int i = 0; i < rows.size(); i++) { // by index: result lists are random-access, and no iterator per query
            QueryResult.Row r = rows.get(i);
            n += of(r.id(), r.vector(), r.attributes() == null ? Map.of() : r.attributes());
        }
        return n;
    }

    /** Logical bytes of a write request: its upserted documents, patches and deleted ids. */
    static long ofWrite(WriteRequest w) {
        long n = 0;
        for (io.lodestone.doc.Document d : w.upserts()) n += of(d.id(), d.vector(), d.attributes());
        for (WriteRequest.Patch p : w.patches()) n += of(p.id(), null, p.attributes());
        for (DocId id : w.deletes()) n += idBytes(id);
        return n;
    }

    private static int idBytes(DocId id) {
        return switch (id) {
            case DocId.U64 u -> 8;
            case DocId.Uuid u -> 16;
            case DocId.Str s -> s.value().length();
        };
    }

    private static long valueBytes(Object v) {
        return switch (v) {
            case null -> 0;
            case String s -> s.length();
            case List<?> list -> list.stream().mapToLong(LogicalSize::valueBytes).sum();
            case Boolean b -> 1;
            case java.util.UUID u -> 16;
            default -> 8;
        };
    }
}
