package io.lodestone.config;

import io.lodestone.doc.IndexConfig;

/**
 * {@code [indexing]}: when the background indexer folds the unindexed log tail into segments, and the
 * index settings of new namespaces.
 *
 * @param enabled             {@code enabled}: run the indexer on this server; default true
 * @param unindexedBytesLimit {@code unindexed_bytes_limit}: when a namespace's unindexed tail is larger than this,
 *                            writes to it get 429 with Retry-After until the indexer catches up, a size; default 2 GiB
 * @param minUnindexedBytes   {@code min_unindexed_bytes}: fold the tail into a segment once it holds this much, a
 *                            size; default 8 MiB
 * @param idleMillis          {@code idle_ms}: ... or once no write has arrived for this long; default 1000
 * @param maxSegments         {@code max_segments}: merge segments when a namespace has more; default 8
 * @param gcGraceSeconds      {@code gc_grace_seconds}: objects no longer referenced are deleted this long after;
 *                            default 600
 * @param hnswM               {@code hnsw_m}: HNSW neighbours per node for new namespaces; default 16
 * @param hnswEfConstruction  {@code hnsw_ef_construction}: HNSW build beam for new namespaces; default 200
 * @param quantization        {@code quantization}: {@code none}, {@code sq8}, {@code pq} or {@code rabitq}; default none
 * @param targetRecall        {@code target_recall}: each segment's default ANN search width is adjusted until the
 *                            recall@k measured on sampled queries reaches this, in (0, 1]; default 0.95
 * @param recallSampleEvery   {@code recall_sample_every}: one in this many ANN queries (no filter, no explicit
 *                            {@code ef}) is measured in the background; 0 turns measuring and adjusting off;
 *                            default 100
 * @param maxUnindexedAgeSeconds {@code max_unindexed_age_seconds}: ... or once its oldest entry is this old; default 60
 * @param leaseSeconds        {@code lease_seconds}: one server at a time indexes a namespace, under a lease that
 *                            lasts this long unrenewed (another server takes over this long after the holder
 *                            stops); default 15
 * @param indexType           {@code index_type}: the ANN index of new namespaces: {@code hnsw}, {@code clustered}, or
 *                            {@code auto} (the default): hnsw where the region's storage is local (a graph walk reads
 *                            the mapped files at memory speed), clustered where it is remote, S3 (a query reads only
 *                            the postings it probes and the rows it reranks, so a cold server answers after a few
 *                            ranged reads and the cache need not hold the whole index)
 */
public record IndexingConfig(boolean enabled, long unindexedBytesLimit, long minUnindexedBytes, int idleMillis,
                             int maxSegments, int gcGraceSeconds, int hnswM, int hnswEfConstruction, String quantization,
                             double targetRecall, int recallSampleEvery, int maxUnindexedAgeSeconds, int leaseSeconds,
                             String indexType) {
    public static final String AUTO = "auto";
    public static final java.util.List<String> INDEX_TYPES = java.util.List.of(AUTO, IndexConfig.HNSW, IndexConfig.CLUSTERED);

    /** With the default index type. */
    public IndexingConfig(boolean enabled, long unindexedBytesLimit, long minUnindexedBytes, int idleMillis, int maxSegments,
                          int gcGraceSeconds, int hnswM, int hnswEfConstruction, String quantization, double targetRecall,
                          int recallSampleEvery, int maxUnindexedAgeSeconds, int leaseSeconds) {
        this(enabled, unindexedBytesLimit, minUnindexedBytes, idleMillis, maxSegments, gcGraceSeconds, hnswM, hnswEfConstruction,
                quantization, targetRecall, recallSampleEvery, maxUnindexedAgeSeconds, leaseSeconds, AUTO);
    }

    /** The index of new namespaces on a store that is {@code local} or not. */
    public IndexConfig newNamespaceIndex(boolean local) {
        String type = indexType.equals(AUTO) ? (local ? IndexConfig.HNSW : IndexConfig.CLUSTERED) : indexType;
        return new IndexConfig(hnswM, hnswEfConstruction, quantization, type);
    }

    public static IndexingConfig defaults() {
        return new IndexingConfig(true, 2 * ByteSize.GiB, 8 * ByteSize.MiB, 1000, 8, 600, 16, 200, "none",
                io.lodestone.engine.EngineOptions.Indexing.DEFAULT_TARGET_RECALL,
                io.lodestone.engine.EngineOptions.Indexing.DEFAULT_RECALL_SAMPLE_EVERY,
                (int) (io.lodestone.engine.EngineOptions.Indexing.DEFAULT_MAX_UNINDEXED_AGE_MILLIS / 1000),
                (int) (io.lodestone.engine.EngineOptions.Indexing.DEFAULT_LEASE_MILLIS / 1000), AUTO);
    }

    static IndexingConfig bind(Section s) {
        IndexingConfig d = defaults();
        String q = s.string("quantization", d.quantization());
        if (!java.util.List.of("none", "sq8", "pq", "rabitq").contains(q)) {
            s.problem("quantization", "must be one of none, sq8, pq, rabitq; got \"" + q + "\"");
            q = d.quantization();
        }
        String type = s.string("index_type", d.indexType());
        if (!INDEX_TYPES.contains(type)) {
            s.problem("index_type", "must be one of auto, hnsw, clustered; got \"" + type + "\"");
            type = d.indexType();
        }
        return new IndexingConfig(
                s.bool("enabled", d.enabled()),
                s.size("unindexed_bytes_limit", d.unindexedBytesLimit(), 1),
                s.size("min_unindexed_bytes", d.minUnindexedBytes(), 1),
                s.integer("idle_ms", d.idleMillis(), 10, 3_600_000),
                s.integer("max_segments", d.maxSegments(), 1, 10_000),
                s.integer("gc_grace_seconds", d.gcGraceSeconds(), 0, 30 * 86_400),
                s.integer("hnsw_m", d.hnswM(), 2, 512),
                s.integer("hnsw_ef_construction", d.hnswEfConstruction(), 1, 10_000),
                q,
                s.decimal("target_recall", d.targetRecall(), 0, 1),
                s.integer("recall_sample_every", d.recallSampleEvery(), 0, 1_000_000),
                s.integer("max_unindexed_age_seconds", d.maxUnindexedAgeSeconds(), 1, 30 * 86_400),
                s.integer("lease_seconds", d.leaseSeconds(), 1, 3_600),
                type);
    }
}
