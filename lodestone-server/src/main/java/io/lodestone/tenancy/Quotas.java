package io.lodestone.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lodestone.doc.InvalidInputException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A tenant's quotas by name; a quota that is not set is not enforced (the server's own limits still are). Hard
 * limits hold across every server of the bucket; rates and concurrency per server.
 */
public record Quotas(Map<String, Long> limits) {
    public static final String MAX_NAMESPACES = "max_namespaces";
    public static final String MAX_ROWS = "max_rows";
    public static final String MAX_STORAGE_BYTES = "max_storage_bytes";
    public static final String MAX_DIMENSIONS = "max_dimensions";
    public static final String MAX_BATCH_ROWS = "max_batch_rows";
    public static final String MAX_TOP_K = "max_top_k";
    public static final String WRITES_PER_SECOND = "writes_per_second";
    public static final String QUERIES_PER_SECOND = "queries_per_second";
    public static final String MAX_CONCURRENT_QUERIES = "max_concurrent_queries";
    /** Every quota name, in the order responses list them. */
    public static final List<String> NAMES = List.of(MAX_NAMESPACES, MAX_ROWS, MAX_STORAGE_BYTES, MAX_DIMENSIONS,
            MAX_BATCH_ROWS, MAX_TOP_K, WRITES_PER_SECOND, QUERIES_PER_SECOND, MAX_CONCURRENT_QUERIES);

    public static final Quotas NONE = new Quotas(Map.of());

    public Quotas {
        limits = Collections.unmodifiableMap(new LinkedHashMap<>(limits));
    }

    /** The quota's limit, if set. */
    public OptionalLong get(String name) {
        Long v = limits.get(name);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /**
     * These quotas with the changes of a request applied: each named quota is set to its value, or removed when the
     * value is null. Unknown names and values that are not integers >= 0 (>= 1 for rates) are refused with 400.
     */
    public Quotas with(JsonNode changes) {
        if (changes == null || changes.isNull()) return this;
        if (!changes.isObject()) throw new InvalidInputException("quotas must be an object of quota names to integers");
        Map<String, Long> next = new LinkedHashMap<>(limits);
        for (var e : changes.properties()) {
            String name = e.getKey();
            if (!NAMES.contains(name)) {
                throw new InvalidInputException("unknown quota '" + name + "'; quotas are " + String.join(", ", NAMES));
            }
            JsonNode v = e.getValue();
            if (v.isNull()) {
                next.remove(name);
            } else if (v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= minimum(name)) {
                next.put(name, v.longValue());
            } else {
                throw new InvalidInputException("quota " + name + " must be an integer >= " + minimum(name) + " or null; got " + v);
            }
        }
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (String n : NAMES) if (next.containsKey(n)) ordered.put(n, next.get(n));
        return new Quotas(ordered);
    }

    private static long minimum(String name) {
        return name.equals(MAX_NAMESPACES) || name.equals(MAX_ROWS) || name.equals(MAX_STORAGE_BYTES) ? 0 : 1;
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        limits.forEach(o::put);
        return o;
    }
}
