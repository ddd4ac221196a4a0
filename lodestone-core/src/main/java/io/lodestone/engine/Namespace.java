package io.lodestone.engine;

import io.lodestone.doc.InvalidInputException;
import io.lodestone.segment.Manifest;
import io.lodestone.segment.ManifestStore;
import io.lodestone.segment.Segment;
import io.lodestone.segment.SegmentFiles;
import io.lodestone.store.ObjectNotFoundException;
import io.lodestone.store.ObjectStore;
import io.lodestone.wal.WalCodec;
import io.lodestone.wal.WalKeys;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One namespace of a {@link Lodestone} database: writes go through group commit to the log, queries
 * run over the state that the latest manifest and the log after it materialize, and a background
 * {@link Indexer} folds the log into segments. Thread-safe. Obtain with {@link Lodestone#namespace(String)}.
 */
public final class Namespace implements AutoCloseable {
    private final String name;
    private final ObjectStore store;
    private final Catalog catalog;
    private final EngineOptions options;
    private final SegmentFiles files;
    private final EngineStats stats;
    private final ReentrantLock logLock = new ReentrantLock();
    private final SharedRefresh freshness = new SharedRefresh();
    /** At most this long between checks for a newer manifest: 1 s, or half the GC grace period if shorter. */
    private final long manifestProbeNanos;
    private volatile long manifestProbedAt = System.nanoTime() - Long.MAX_VALUE / 2;
    private final Map<String, Segment> openSegments = new HashMap<>();
    private volatile Catalog.Entry entry;
    private volatile NamespaceState state;
    private volatile boolean loaded;
    private GroupCommitter committer;
    private Indexer indexer;
    private final RecallSampler recall;

    Namespace(String name, ObjectStore store, Catalog catalog, EngineOptions options, SegmentFiles files, EngineStats stats) {
        this.stats = stats;
        this.name = name;
        this.store = store;
        this.catalog = catalog;
        this.options = options;
        this.files = files;
        this.manifestProbeNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
                Math.min(1000, options.indexing().gcGraceMillis() / 2));
        this.recall = new RecallSampler(this, options.indexing().targetRecall(), options.indexing().recallSampleEvery());
    }

    public String name() {
        return name;
    }

    /** Writes atomically and returns once the write is durable and visible. */
    public WriteResult write(WriteRequest request) {
        try {
            return writeAsync(request).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for commit", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new StorageException("write to namespace '" + name + "' failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Queues a write; the future completes once it is durable and visible.
     *
     * @throws BackpressureException when the unindexed backlog is over its limit
     */
    public CompletableFuture<WriteResult> writeAsync(WriteRequest request) {
        load();
        EngineOptions.Indexing ix = options.indexing();
        NamespaceState s = state;
        if (ix.enabled() && s != null && s.unindexedBytes() > ix.backlogLimitBytes()) {
            throw new BackpressureException(name, s.unindexedBytes(), ix.backlogLimitBytes(), 1);
        }
        GroupCommitter c;
        synchronized (this) {
            if (committer == null) committer = new GroupCommitter(this, options.groupCommitWindowMs(), options.maxGroupBytes());
            c = committer;
        }
        return c.submit(request);
    }

    /** Runs a query; sees every acknowledged write unless the query asks for eventual consistency. */
    public QueryResult query(Query query) {
        if (query.topK() < 1) throw new InvalidInputException("top_k must be >= 1; got " + query.topK());
        requireExists();
        if (!query.eventual()) catchUp();
        stats.queries.increment();
        if (query.mmr() != null) return diversified(query);
        QueryResult result = state.read(snap -> QueryExecutor.run(snap, query, textIndexes(), annIndexes()));
        recall.answered(query);
        return result;
    }

    /** Runs the query for the MMR candidate pool with vectors, then picks top_k diversely. */
    private QueryResult diversified(Query query) {
        Query.AttributeSelection sel = query.attributes();
        Query pool = new Query(query.rankBy(), query.filter(), Math.max(query.topK(), query.mmr().candidates()),
                new Query.AttributeSelection(sel.all(), withVector(sel.include()), without(sel.exclude(), "vector")),
                query.aggregateBy(), query.groupBy(), true, null);
        QueryResult candidates = state.read(snap -> QueryExecutor.run(snap, pool, textIndexes(), annIndexes()));
        List<QueryResult.Row> picked = query.mmr().select(candidates.rows(), query.topK());
        boolean keepVectors = sel.includes("vector");
        List<QueryResult.Row> out = picked.stream().map(r -> keepVectors ? r
                : new QueryResult.Row(r.id(), r.distance(), null, r.attributes())).toList();
        return new QueryResult(out, candidates.aggregations(), candidates.aggregationGroups());
    }

    private static java.util.Set<String> withVector(java.util.Set<String> s) {
        java.util.Set<String> out = new java.util.HashSet<>(s);
        out.add("vector");
        return out;
    }

    private static java.util.Set<String> without(java.util.Set<String> s, String name) {
        java.util.Set<String> out = new java.util.HashSet<>(s);
        out.remove(name);
        return out;
    }

    /** Whether the namespace exists (has been written and not deleted). */
    public boolean exists() {
        load();
        return entry != null;
    }

    public NamespaceMetadata metadata() {
        requireExists();
        try {
            probeAndCatchUp(true);
        } catch (IOException e) {
            throw new StorageException("reading the log of namespace '" + name + "' failed: " + e.getMessage(), e);
        }
        long created = entry.createdAtMillis();
        return state.read(s -> new NamespaceMetadata(s.liveCount(), approxBytes(s),
                s.createdAtMillis() == 0 ? created : s.createdAtMillis(),
                s.updatedAtMillis() == 0 ? created : s.updatedAtMillis(),
                s.view().schema(), s.view().metricSet() ? s.view().metric() : null, s.view().dims(), s.tailBytes(),
                recall.measured().map(r -> new NamespaceMetadata.AnnRecall(r.avgRecall(), r.queries())).orElse(null)));
    }

    private static long approxBytes(NamespaceState.Snapshot s) {
        long n = s.table().liveBytes();
        for (Manifest.SegmentInfo info : s.manifest().segments()) {
            n += info.rows() == 0 ? 0 : info.bytes() * info.liveRows() / info.rows();
        }
        return n;
    }

    /** Deletes the namespace and all its data. */
    public void delete() {
        requireExists();
        logLock.lock();
        try {
            closeBackground();
            catalog.delete(entry);
            entry = null;
            closeSegments();
            state = null;
            recall.clear();
        } catch (IOException e) {
            throw new StorageException("deleting namespace '" + name + "' failed: " + e.getMessage(), e);
        } finally {
            logLock.unlock();
        }
    }

    private void requireExists() {
        if (!exists()) throw new NamespaceNotFoundException(name);
    }

    private void load() {
        if (loaded) return;
        logLock.lock();
        try {
            if (loaded) return;
            entry = catalog.find(name);
            if (entry != null) {
                openState();
                catchUpLocked();
                startIndexer();
            }
            loaded = true;
        } catch (IOException e) {
            throw new StorageException("loading namespace '" + name + "' failed: " + e.getMessage(), e);
        } finally {
            logLock.unlock();
        }
    }

    /** Opens the latest manifest's segments and an empty tail after it. Caller holds the log lock. */
    private void openState() throws IOException {
        Manifest m = manifests().latest();
        if (m == null) m = Manifest.initial(entry.createdAtMillis(), options.indexing().newNamespaceIndex());
        state = new NamespaceState(m, sourcesFor(m));
    }

    /** Segment sources for a manifest, reusing open segments and closing those it no longer names. */
    List<SegmentSource> sourcesFor(Manifest m) throws IOException {
        List<SegmentSource> out = new ArrayList<>();
        Map<String, Segment> keep = new HashMap<>();
        for (Manifest.SegmentInfo info : m.segments()) {
            Segment seg = openSegments.get(info.id());
            if (seg == null) seg = Segment.open(files, prefix(), info.id());
            keep.put(info.id(), seg);
            out.add(new SegmentSource(seg, Segment.readDeletes(files, info.deletesKey(), info.rows())));
        }
        synchronized (openSegments) {
            // Segments dropped by this manifest stay mapped until the namespace closes: queries
            // started on the previous state may still read them.
            openSegments.putAll(keep);
        }
        return out;
    }

    /** Switches the state to a newly published manifest. */
    void rebase(Manifest m) throws IOException {
        List<SegmentSource> sources = sourcesFor(m);
        logLock.lock();
        try {
            state.rebase(m, sources);
        } finally {
            logLock.unlock();
        }
    }

    /**
     * Applies manifests and log entries other writers (or servers) committed, so the caller sees every
     * write acknowledged before it arrived. Probes without the lock; concurrent callers share a probe.
     */
    private void catchUp() {
        try {
            freshness.await(this::probeAndCatchUp);
        } catch (IOException e) {
            throw new StorageException("reading the log of namespace '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * Checks for the next log entry (one existence check), and at most every {@link #manifestProbeNanos}
     * for the next manifest; catches up under the lock if either exists. The log entry alone decides
     * what a query sees: a write is acknowledged once its entry exists, and a manifest only re-splits
     * documents already in the log between segments and tail. The manifest check lets this server move
     * to another server's segments (and a catch-up reads any newer manifest first); it runs well within
     * the GC grace period, before the log entries a newer manifest covers may be deleted.
     */
    private void probeAndCatchUp() throws IOException {
        probeAndCatchUp(false);
    }

    /** As {@link #probeAndCatchUp()}; {@code everything} also checks for a newer manifest now (metadata reports the split). */
    private void probeAndCatchUp(boolean everything) throws IOException {
        NamespaceState s = state;
        long now = System.nanoTime();
        boolean probeManifest = everything || now - manifestProbedAt >= manifestProbeNanos;
        if (walExists(s.lastSeq() + 1) || (probeManifest && manifests().exists(s.manifest().version() + 1))) {
            logLock.lock();
            try {
                catchUpLocked();
            } finally {
                logLock.unlock();
            }
        }
        if (probeManifest) manifestProbedAt = now;
    }

    /** Applies newer manifests, then the log entries after the state. Caller holds the log lock. */
    void catchUpLocked() throws IOException {
        Manifest newer = manifests().find(state.manifest().version() + 1);
        if (newer != null) {
            Manifest latest = manifests().latest();
            if (latest.lastIndexedSeq() > state.lastSeq()) {
                state = new NamespaceState(latest, sourcesFor(latest)); // we are behind the index: start over from it
            } else {
                state.rebase(latest, sourcesFor(latest));
            }
        }
        long next;
        byte[] bytes;
        while ((bytes = readWal(next = state.lastSeq() + 1)) != null) {
            state.apply(WalCodec.decode(bytes, walKey(next)), bytes.length);
        }
    }

    private boolean walExists(long seq) throws IOException {
        return entry != null && store.exists(walKey(seq));
    }

    private byte[] readWal(long seq) throws IOException {
        if (entry == null) return null;
        try {
            return store.get(walKey(seq));
        } catch (ObjectNotFoundException e) {
            return null;
        }
    }

    /** Whether the namespace exists; caller holds the log lock. */
    boolean existsLocked() {
        load();
        return entry != null;
    }

    void ensureCreated() throws IOException {
        load();
        if (entry == null) {
            entry = catalog.create(name);
            openState();
            catchUpLocked();
            startIndexer();
        }
    }

    private synchronized void startIndexer() {
        if (indexer == null && options.indexing().enabled()) indexer = new Indexer(this, options.indexing());
    }

    /** Called after a commit so the indexer can check its thresholds. */
    void committed() {
        Indexer i;
        synchronized (this) {
            i = indexer;
        }
        if (i != null) i.wake();
    }

    /** Runs the indexer once, now, and waits for it (tests and benchmarks). */
    public void flushIndex() {
        requireExists();
        Indexer i;
        synchronized (this) {
            i = indexer;
        }
        if (i == null) throw new IllegalStateException("indexing is disabled");
        i.runNow();
    }

    String prefix() {
        return catalog.dataPrefix(entry);
    }

    /** Index accessors of the current incarnation (remade when the namespace is re-created). */
    private record Indexes(Catalog.Entry entry, AnnIndexes ann, TextIndexes text) {
    }

    private volatile Indexes indexes;

    private Indexes indexes() {
        Indexes i = indexes;
        if (i == null || i.entry() != entry) {
            String p = prefix();
            i = new Indexes(entry, new AnnIndexes(files, p), new TextIndexes(files, p));
            indexes = i;
        }
        return i;
    }

    AnnIndexes annIndexes() {
        return indexes().ann();
    }

    TextIndexes textIndexes() {
        return indexes().text();
    }

    ManifestStore manifests() {
        return new ManifestStore(store, prefix());
    }

    String walKey(long seq) {
        return WalKeys.key(prefix(), seq);
    }

    ReentrantLock logLock() {
        return logLock;
    }

    NamespaceState state() {
        return state;
    }

    ObjectStore store() {
        return store;
    }

    EngineStats stats() {
        return stats;
    }

    RecallSampler recallSampler() {
        return recall;
    }

    /** Unindexed bytes when loaded, else 0 (never loads). */
    long loadedUnindexedBytes() {
        NamespaceState s = state;
        return loaded && s != null ? s.unindexedBytes() : 0;
    }

    SegmentFiles files() {
        return files;
    }

    int maxDimensions() {
        return options.maxDimensions();
    }

    private synchronized void closeBackground() {
        if (committer != null) {
            committer.close();
            committer = null;
        }
        if (indexer != null) {
            indexer.close();
            indexer = null;
        }
    }

    private void closeSegments() {
        synchronized (openSegments) {
            openSegments.values().forEach(Segment::close);
            openSegments.clear();
        }
    }

    @Override
    public void close() {
        closeBackground();
        closeSegments();
    }
}
