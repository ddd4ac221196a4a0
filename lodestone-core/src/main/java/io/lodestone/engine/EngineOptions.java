package io.lodestone.engine;

import io.lodestone.doc.IndexConfig;

import java.nio.file.Path;

/**
 * Engine settings.
 *
 * @param tenantRoot           key prefix of this database's namespaces (e.g. {@code "default/"})
 * @param groupCommitWindowMs  how long a commit waits to gather more writes (0: only those already queued)
 * @param maxGroupBytes        a commit group closes when its writes reach this estimated size
 * @param maxDimensions        largest vector dimension accepted
 * @param indexing             background indexing settings
 * @param cacheDir             local directory for segment files fetched from a remote store and for builds
 * @param queries              how queries are scheduled: threads, admission queue, time limit
 * @param cache                budgets of the memory and disk cache tiers
 */
public record EngineOptions(String tenantRoot, long groupCommitWindowMs, long maxGroupBytes, int maxDimensions,
                            Indexing indexing, Path cacheDir, Queries queries, Cache cache) {

    /** Settings with the default query scheduling and cache budgets. */
    public EngineOptions(String tenantRoot, long groupCommitWindowMs, long maxGroupBytes, int maxDimensions,
                         Indexing indexing, Path cacheDir) {
        this(tenantRoot, groupCommitWindowMs, maxGroupBytes, maxDimensions, indexing, cacheDir, Queries.defaults());
    }

    /** Settings with the default cache budgets. */
    public EngineOptions(String tenantRoot, long groupCommitWindowMs, long maxGroupBytes, int maxDimensions,
                         Indexing indexing, Path cacheDir, Queries queries) {
        this(tenantRoot, groupCommitWindowMs, maxGroupBytes, maxDimensions, indexing, cacheDir, queries, Cache.defaults());
    }

    /**
     * Budgets of the cache tiers in front of a remote store (see {@link io.lodestone.cache.TieredCache}).
     *
     * @param memoryBytes heap for small immutable objects (deletion vectors), entry overhead included
     * @param diskBytes   local disk for copies of segment files that no open segment maps (those of open
     *                    segments are pinned and come on top)
     */
    public record Cache(long memoryBytes, long diskBytes) {
        public Cache {
            if (memoryBytes < 0) throw new IllegalArgumentException("cache memory budget must be >= 0; got " + memoryBytes);
            if (diskBytes < 0) throw new IllegalArgumentException("cache disk budget must be >= 0; got " + diskBytes);
        }

        /** 256 MiB of memory, 10 GiB of disk. */
        public static Cache defaults() {
            return new Cache(256L << 20, 10L << 30);
        }
    }

    /**
     * How queries run: CPU-bound query work runs on {@code threads} platform threads, at most
     * {@code queueDepth} more queries wait for one (beyond that a query is refused at once with
     * {@link OverloadedException}), and a query running longer than {@code timeoutMillis}, waiting
     * included, is cancelled ({@link QueryTimeoutException}).
     */
    public record Queries(int threads, int queueDepth, long timeoutMillis) {
        public Queries {
            if (threads < 1) throw new IllegalArgumentException("query threads must be >= 1; got " + threads);
            if (queueDepth < 0) throw new IllegalArgumentException("query queue depth must be >= 0; got " + queueDepth);
            if (timeoutMillis < 1) throw new IllegalArgumentException("query timeout must be >= 1 ms; got " + timeoutMillis);
        }

        /** {@link #defaultThreads()} threads, 128 waiting queries, 60 s. */
        public static Queries defaults() {
            return new Queries(defaultThreads(), 128, 60_000);
        }

        /**
         * One query thread per core but one (at least one): the remaining core accepts connections, parses
         * requests and commits writes, which keeps them responsive and, on small machines, even raises query
         * throughput (request parsing and responses need CPU too).
         */
        public static int defaultThreads() {
            return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        }
    }

    /**
     * When and how the background indexer runs.
     *
     * @param enabled             whether an indexer runs at all (off: everything stays in the log tail)
     * @param minUnindexedBytes   fold the tail once it holds this many bytes ...
     * @param idleMillis          ... or once it has been unchanged this long
     * @param backlogLimitBytes   writes get 429 while the unindexed tail is larger than this
     * @param maxSegments         merge when a namespace has more segments than this
     * @param gcGraceMillis       obsolete objects are deleted this long after they stop being referenced
     * @param newNamespaceIndex   index configuration of new namespaces
     * @param targetRecall        each segment's default ANN search width is adjusted until sampled queries
     *                            reach this recall@k, in (0, 1]
     * @param recallSampleEvery   one in this many ANN queries (unfiltered, default width) has its recall
     *                            measured in the background; 0 turns measuring and adjusting off
     * @param leaseMillis         how long a server's lease to index a namespace lasts unrenewed; another server
     *                            takes over this long after the holder stops
     * @param maxUnindexedAgeMillis fold the tail once its oldest entry is this old, however small and busy it is
     */
    public record Indexing(boolean enabled, long minUnindexedBytes, long idleMillis, long backlogLimitBytes,
                           int maxSegments, long gcGraceMillis, IndexConfig newNamespaceIndex, double targetRecall,
                           int recallSampleEvery, long leaseMillis, long maxUnindexedAgeMillis) {
        public static final double DEFAULT_TARGET_RECALL = 0.95;
        public static final int DEFAULT_RECALL_SAMPLE_EVERY = 100;
        public static final long DEFAULT_LEASE_MILLIS = 15_000;
        public static final long DEFAULT_MAX_UNINDEXED_AGE_MILLIS = 60_000;

        public Indexing {
            if (!(targetRecall > 0 && targetRecall <= 1)) {
                throw new IllegalArgumentException("targetRecall must be in (0, 1]; got " + targetRecall);
            }
            if (recallSampleEvery < 0) {
                throw new IllegalArgumentException("recallSampleEvery must be >= 0; got " + recallSampleEvery);
            }
            if (leaseMillis < 10) throw new IllegalArgumentException("leaseMillis must be >= 10; got " + leaseMillis);
            if (maxUnindexedAgeMillis < 1) {
                throw new IllegalArgumentException("maxUnindexedAgeMillis must be >= 1; got " + maxUnindexedAgeMillis);
            }
        }

        /** Settings with the default lease and tail age. */
        public Indexing(boolean enabled, long minUnindexedBytes, long idleMillis, long backlogLimitBytes,
                        int maxSegments, long gcGraceMillis, IndexConfig newNamespaceIndex, double targetRecall,
                        int recallSampleEvery) {
            this(enabled, minUnindexedBytes, idleMillis, backlogLimitBytes, maxSegments, gcGraceMillis, newNamespaceIndex,
                    targetRecall, recallSampleEvery, DEFAULT_LEASE_MILLIS, DEFAULT_MAX_UNINDEXED_AGE_MILLIS);
        }

        /** Settings with the default recall target and sampling. */
        public Indexing(boolean enabled, long minUnindexedBytes, long idleMillis, long backlogLimitBytes,
                        int maxSegments, long gcGraceMillis, IndexConfig newNamespaceIndex) {
            this(enabled, minUnindexedBytes, idleMillis, backlogLimitBytes, maxSegments, gcGraceMillis, newNamespaceIndex,
                    DEFAULT_TARGET_RECALL, DEFAULT_RECALL_SAMPLE_EVERY);
        }

        public static Indexing defaults() {
            return new Indexing(true, 8L << 20, 1000, 2L << 30, 8, 10 * 60_000L, IndexConfig.defaults());
        }

        /** A copy with another recall target and sampling rate. */
        public Indexing withRecall(double target, int sampleEvery) {
            return new Indexing(enabled, minUnindexedBytes, idleMillis, backlogLimitBytes, maxSegments, gcGraceMillis,
                    newNamespaceIndex, target, sampleEvery, leaseMillis, maxUnindexedAgeMillis);
        }

        /** A copy with another index for new namespaces. */
        public Indexing withNewNamespaceIndex(IndexConfig index) {
            return new Indexing(enabled, minUnindexedBytes, idleMillis, backlogLimitBytes, maxSegments, gcGraceMillis,
                    index, targetRecall, recallSampleEvery, leaseMillis, maxUnindexedAgeMillis);
        }

        /** A copy with another indexer lease and maximum tail age. */
        public Indexing withCoordination(long lease, long maxUnindexedAge) {
            return new Indexing(enabled, minUnindexedBytes, idleMillis, backlogLimitBytes, maxSegments, gcGraceMillis,
                    newNamespaceIndex, targetRecall, recallSampleEvery, lease, maxUnindexedAge);
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions("default/", 2, 64L << 20, 10_752, Indexing.defaults(),
                Path.of(System.getProperty("java.io.tmpdir"), "lodestone-cache"));
    }

    /** A copy with other indexing settings. */
    public EngineOptions withIndexing(Indexing i) {
        return new EngineOptions(tenantRoot, groupCommitWindowMs, maxGroupBytes, maxDimensions, i, cacheDir, queries, cache);
    }

    /** A copy with other query scheduling. */
    public EngineOptions withQueries(Queries q) {
        return new EngineOptions(tenantRoot, groupCommitWindowMs, maxGroupBytes, maxDimensions, indexing, cacheDir, q, cache);
    }

    /** A copy whose namespaces live under another key prefix. */
    public EngineOptions withTenantRoot(String root) {
        return new EngineOptions(root, groupCommitWindowMs, maxGroupBytes, maxDimensions, indexing, cacheDir, queries, cache);
    }

    /** A copy with another cache directory. */
    public EngineOptions withCacheDir(Path dir) {
        return new EngineOptions(tenantRoot, groupCommitWindowMs, maxGroupBytes, maxDimensions, indexing, dir, queries, cache);
    }

    /** A copy with other cache budgets. */
    public EngineOptions withCache(Cache c) {
        return new EngineOptions(tenantRoot, groupCommitWindowMs, maxGroupBytes, maxDimensions, indexing, cacheDir, queries, c);
    }

    public EngineOptions {
        if (groupCommitWindowMs < 0) throw new IllegalArgumentException("groupCommitWindowMs must be >= 0; got " + groupCommitWindowMs);
        if (maxDimensions < 1) throw new IllegalArgumentException("maxDimensions must be >= 1; got " + maxDimensions);
        if (!tenantRoot.isEmpty() && !tenantRoot.endsWith("/")) tenantRoot = tenantRoot + "/";
    }
}
