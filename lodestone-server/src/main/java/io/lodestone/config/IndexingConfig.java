package io.lodestone.config;

/**
 * {@code [indexing]}: when the background indexer folds the unindexed log tail into segments.
 *
 * @param enabled             {@code enabled}: run the indexer on this server; default true
 * @param unindexedBytesLimit {@code unindexed_bytes_limit}: when a namespace's unindexed tail is larger than this,
 *                            writes to it get 429 with Retry-After until the indexer catches up, a size; default 2 GiB
 * @param minRowsToIndex      {@code min_rows_to_index}: the indexer builds a segment once the tail has at least this
 *                            many rows; smaller tails are served by exact scan; default 1,000
 */
public record IndexingConfig(boolean enabled, long unindexedBytesLimit, int minRowsToIndex) {

    public static IndexingConfig defaults() {
        return new IndexingConfig(true, 2 * ByteSize.GiB, 1_000);
    }

    static IndexingConfig bind(Section s) {
        IndexingConfig d = defaults();
        return new IndexingConfig(
                s.bool("enabled", d.enabled()),
                s.size("unindexed_bytes_limit", d.unindexedBytesLimit(), 1),
                s.integer("min_rows_to_index", d.minRowsToIndex(), 1, Integer.MAX_VALUE));
    }
}
