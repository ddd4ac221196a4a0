package io.lodestone.http;

import io.lodestone.doc.Document;
import io.lodestone.engine.WriteRequest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Enforces {@code limits.max_attribute_value_bytes} on every attribute value a write sets (upserted rows, patched
 * rows, patch_by_filter), measured as stored: UTF-8 bytes of strings, 8 bytes per number, 1 per boolean, the sum
 * over an array's elements.
 */
public final class AttributeValueLimit {
    private final long maxBytes;

    public AttributeValueLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Throws 413 naming the attribute and the limit for the first value over it. */
    public void check(WriteRequest w) {
        for (Document d : w.upserts()) check(d.attributes(), "document " + d.id());
        for (WriteRequest.Patch p : w.patches()) check(p.attributes(), "document " + p.id());
        check(w.patchByFilterAttributes(), "patch_by_filter");
    }

    private void check(Map<String, Object> attributes, String where) {
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            long size = encodedSize(e.getValue());
            if (size > maxBytes) {
                throw new PayloadTooLargeException(where + ": attribute '" + e.getKey() + "' is " + size
                        + " bytes; the limit per value is " + maxBytes + " bytes (limits.max_attribute_value_bytes)");
            }
        }
    }

    static long encodedSize(Object v) {
        return switch (v) {
            case null -> 0;
            case String s -> utf8Length(s);
            case Boolean b -> 1;
            case Number n -> 8;
            case List<?> list -> list.stream().mapToLong(AttributeValueLimit::encodedSize).sum();
            default -> String.valueOf(v).getBytes(StandardCharsets.UTF_8).length;
        };
    }

    /** UTF-8 length without encoding the string (values may be megabytes). */
    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }
}
