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
        for (Map.Entry<String, Object> e : attributes.entrySet()) n += e.getKey().length() + valueBytes(e.getValue());
        return (int) Math.min(n, Integer.MAX_VALUE);
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
