package io.lodestone.config;

/**
 * {@code [limits]}: server-wide caps on what one request may ask for. Requests over a cap are rejected with 400
 * (or 413 for sizes). Per-tenant quotas, where set, can only be lower.
 *
 * @param maxTopK                {@code max_top_k}: most rows one query may return; default 10,000
 * @param maxDimensions          {@code max_dimensions}: most dimensions of a vector, at most 10,752; default 10,752
 * @param maxBatchRows           {@code max_batch_rows}: most rows one write request may upsert, patch or delete;
 *                               default 100,000
 * @param maxNamespaceNameLength {@code max_namespace_name_length}: longest namespace name, at most 128; default 128
 * @param maxAttributeValueBytes {@code max_attribute_value_bytes}: largest single attribute value, a size;
 *                               default 8 MiB
 * @param maxQueriesPerRequest   {@code max_queries_per_request}: most queries in one multi-query request; default 16
 */
public record LimitsConfig(int maxTopK, int maxDimensions, int maxBatchRows, int maxNamespaceNameLength,
                           long maxAttributeValueBytes, int maxQueriesPerRequest) {

    /** The most dimensions any vector may have (the data model's bound). */
    public static final int DIMENSIONS_BOUND = 10_752;

    /** The longest namespace name the data model allows. */
    public static final int NAMESPACE_NAME_BOUND = 128;

    public static LimitsConfig defaults() {
        return new LimitsConfig(10_000, DIMENSIONS_BOUND, 100_000, NAMESPACE_NAME_BOUND, 8 * ByteSize.MiB, 16);
    }

    static LimitsConfig bind(Section s) {
        LimitsConfig d = defaults();
        return new LimitsConfig(
                s.integer("max_top_k", d.maxTopK(), 1, Integer.MAX_VALUE),
                s.integer("max_dimensions", d.maxDimensions(), 1, DIMENSIONS_BOUND),
                s.integer("max_batch_rows", d.maxBatchRows(), 1, Integer.MAX_VALUE),
                s.integer("max_namespace_name_length", d.maxNamespaceNameLength(), 1, NAMESPACE_NAME_BOUND),
                s.size("max_attribute_value_bytes", d.maxAttributeValueBytes(), 1),
                s.integer("max_queries_per_request", d.maxQueriesPerRequest(), 1, 1024));
    }
}
