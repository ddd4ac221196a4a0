package io.lodestone.engine;

import io.lodestone.cache.DiskTier;
import io.lodestone.cache.MemoryTier;
import io.lodestone.cache.TieredCache;
import io.lodestone.segment.SegmentFiles;
import io.lodestone.store.LocalObjectStore;
import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Lodestone database: the namespaces stored on one object store. The embedded entry point.
 *
 * <pre>{@code
 * try (Lodestone db = Lodestone.open(Path.of("data"))) {
 *     Namespace ns = db.namespace("docs");
 *     ns.write(WriteRequest.builder().upsert(DocId.of(1), new float[] {0.1f, 0.2f}, Map.of("title", "hello")).build());
 *     QueryResult r = ns.query(Query.nearest(new float[] {0.1f, 0.2f}, 10));
 * }
 * }</pre>
 * Thread-safe.
 */
public final class Lodestone implements AutoCloseable {
    private final ObjectStore store;
    private final EngineOptions options;
    private final NamespaceRoot defaultRoot;
    /** Roots used by this process (the default one and every tenant's asked for); the trash sweeper visits each. */
    private final ConcurrentHashMap<String, NamespaceRoot> roots = new ConcurrentHashMap<>();
    private final SegmentFiles files;
    private final EngineStats stats = new EngineStats();
    /** Loaded namespace handles by root prefix + name (names hold no '/', so keys are unique). */
    private final ConcurrentHashMap<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final boolean ownsStore;
    private final QueryScheduler queries;
    private final boolean ownsQueries;
    /** This process's identity in indexer leases: unique per open database. */
    private final String instanceId = java.util.UUID.randomUUID().toString();
    private final Thread sweeper;
    private final Thread unloader;

    private Lodestone(ObjectStore store, EngineOptions options, boolean ownsStore, QueryScheduler sharedQueries) {
        this.ownsQueries = sharedQueries == null;
        this.queries = ownsQueries ? new QueryScheduler(options.queries()) : sharedQueries;
        this.store = store;
        this.options = options;
        this.defaultRoot = new NamespaceRoot(this, options.tenantRoot(), new Catalog(store, options.tenantRoot()));
        roots.put(options.tenantRoot(), defaultRoot);
        this.files = new SegmentFiles(openCache(store, options), options.cacheDir().resolve(".build"));
        this.ownsStore = ownsStore;
        this.sweeper = Thread.ofVirtual().name("trash-sweeper").start(this::sweepTrash);
        this.unloader = Thread.ofVirtual().name("namespace-unloader").start(this::unloadWhileOverBudget);
    }

    /** How often the unloader compares the disk tier's pinned bytes with its budget. */
    private static final long UNLOAD_CHECK_MILLIS = 5_000;

    private void unloadWhileOverBudget() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(UNLOAD_CHECK_MILLIS);
                unloadIdleNamespaces();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                System.getLogger(Lodestone.class.getName()).log(System.Logger.Level.WARNING, "unloading idle namespaces failed", e);
            }
        }
    }

    /**
     * When the files of open segments pin more of the disk tier than its budget, unloads the namespaces no request
     * has used for twice the query time limit plus a second (least recently used first), so their files unpin
     * (that long again later) and can be evicted. Returns how many were unloaded.
     */
    int unloadIdleNamespaces() {
        var disk = files.cache().disk();
        if (disk.pinnedBytes() <= disk.budgetBytes()) return 0;
        long grace = 2 * options.queries().timeoutMillis() + 1_000;
        List<Namespace> idleFirst = new ArrayList<>(namespaces.values());
        idleFirst.sort(java.util.Comparator.comparingLong(Namespace::lastUsedNanos));
        int n = 0;
        for (Namespace ns : idleFirst) if (ns.unloadIfIdle(grace * 1_000_000L, grace)) n++;
        return n;
    }

    /** Removes the data of deleted namespaces once the grace period has passed (I/O only: a virtual thread). */
    private void sweepTrash() {
        long grace = options.indexing().gcGraceMillis();
        long every = Math.max(1_000, Math.min(grace, 60_000));
        while (!Thread.currentThread().isInterrupted()) {
            try {
                for (NamespaceRoot root : roots.values()) root.catalog().sweep(grace);
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (e instanceof java.io.InterruptedIOException || Thread.currentThread().isInterrupted()) return; // closing
                System.getLogger(Lodestone.class.getName()).log(System.Logger.Level.WARNING,
                        "sweeping deleted namespaces failed; will retry", e);
                try {
                    Thread.sleep(every);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** The cache tiers: the disk tier lives in {@code objects/} under the cache directory and survives restarts. */
    private static TieredCache openCache(ObjectStore store, EngineOptions options) {
        try {
            return new TieredCache(store, new MemoryTier(options.cache().memoryBytes()),
                    new DiskTier(options.cacheDir().resolve("objects"), options.cache().diskBytes()));
        } catch (IOException e) {
            throw new StorageException("opening the disk cache in " + options.cacheDir() + " failed: " + e.getMessage(), e);
        }
    }

    /** Opens (or creates) a database in a local directory. */
    public static Lodestone open(Path directory) throws IOException {
        EngineOptions o = EngineOptions.defaults();
        o = new EngineOptions(o.tenantRoot(), o.groupCommitWindowMs(), o.maxGroupBytes(), o.maxDimensions(), o.indexing(),
                directory.resolve(".cache"), o.queries(), o.cache());
        return new Lodestone(new LocalObjectStore(directory), o, true, null);
    }

    /** Opens a database on any object store (S3, memory, ...); the caller keeps ownership of the store. */
    public static Lodestone open(ObjectStore store, EngineOptions options) {
        return new Lodestone(store, options, false, null);
    }

    /**
     * Opens a database on any object store whose queries run on {@code queries}, which other databases of the
     * process may share (the caller keeps ownership of the store and of the scheduler, and closes the scheduler
     * after every database on it). {@link #queuedQueries()} and {@link #runningQueries()} then count the
     * queries of them all.
     *
     * @throws IllegalArgumentException when {@code queries} applies other settings than {@code options.queries()}
     */
    public static Lodestone open(ObjectStore store, EngineOptions options, QueryScheduler queries) {
        if (!queries.options().equals(options.queries())) {
            throw new IllegalArgumentException("the shared query scheduler runs with " + queries.options()
                    + " but the database is configured with " + options.queries());
        }
        return new Lodestone(store, options, false, queries);
    }

    /**
     * The namespace handle (the namespace itself is created by its first write). Handles of namespaces that
     * turn out not to exist are not kept, so asking about arbitrary names holds no memory.
     */
    public Namespace namespace(String name) {
        return defaultRoot.namespace(name);
    }

    Namespace namespace(NamespaceRoot root, String name) {
        return namespaces.computeIfAbsent(root.prefix() + name,
                k -> new Namespace(this, name, store, root, options, files, stats, queries));
    }

    /**
     * The namespaces under another key prefix of the store (a tenant's), e.g. {@code "tenants/acme/"}: 1-4 segments
     * of {@code [a-z0-9][a-z0-9_-]{0,63}} each ending in '/'. The root of {@link #namespace(String)} is
     * {@link EngineOptions#tenantRoot()}.
     */
    public NamespaceRoot root(String prefix) {
        if (prefix.equals(defaultRoot.prefix())) return defaultRoot;
        return roots.computeIfAbsent(NamespaceRoot.validPrefix(prefix), p -> new NamespaceRoot(this, p, new Catalog(store, p)));
    }

    /** Drops the handle of a missing namespace (see {@link Namespace}). */
    void forget(Namespace ns) {
        namespaces.remove(ns.root().prefix() + ns.name(), ns);
    }

    /** Handles held now (namespaces loaded by this process). */
    public int loadedNamespaces() {
        return namespaces.size();
    }

    /** Queries waiting for a query thread now. */
    public int queuedQueries() {
        return queries.queued();
    }

    /** Queries running on the query threads now. */
    public int runningQueries() {
        return queries.running();
    }

    /** How hand-offs of queries from virtual threads to the query threads went so far (shared with other databases on the same scheduler). */
    public QueryScheduler.HandOffCounts queryHandOffs() {
        return queries.handOffCounts();
    }

    /** Names of existing namespaces starting with {@code prefix}, after {@code cursor}, ascending. */
    public List<String> listNamespaces(String prefix, String cursor, int limit) {
        return defaultRoot.listNamespaces(prefix, cursor, limit);
    }

    /** Counters for metrics. */
    public EngineStats stats() {
        return stats;
    }

    /** Segment files and the cache tiers they go through. */
    public SegmentFiles segmentFiles() {
        return files;
    }

    /** The memory and disk cache tiers in front of the store. */
    public TieredCache cache() {
        return files.cache();
    }

    /** Unindexed log bytes summed over the namespaces this database has loaded. */
    public long unindexedBytes() {
        long n = 0;
        for (Namespace ns : namespaces.values()) n += ns.loadedUnindexedBytes();
        return n;
    }

    public ObjectStore store() {
        return store;
    }

    /** This database's identity among the servers sharing its store (random per open). */
    String instanceId() {
        return instanceId;
    }

    @Override
    public void close() throws IOException {
        sweeper.interrupt();
        unloader.interrupt();
        namespaces.values().forEach(Namespace::close);
        if (ownsQueries) queries.close();
        if (ownsStore) store.close();
    }
}
