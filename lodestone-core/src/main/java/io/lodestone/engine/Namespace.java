package io.lodestone.engine;

import io.lodestone.cache.ParallelReads;
import io.lodestone.cache.CacheAccess;
import io.lodestone.cache.Tier;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.segment.Manifest;
import io.lodestone.segment.ManifestStore;
import io.lodestone.segment.Segment;
import io.lodestone.segment.OpenedFile;
import io.lodestone.segment.SegmentAnnFiles;
import io.lodestone.segment.SegmentKeys;
import io.lodestone.segment.SegmentFiles;
import io.lodestone.store.ObjectStore;
import io.lodestone.wal.WalCodec;
import io.lodestone.wal.WalEntry;
import io.lodestone.wal.WalKeys;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
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
    private final NamespaceRoot root;
    private final Catalog catalog;
    private final EngineOptions options;
    private final SegmentFiles files;
    private final EngineStats stats;
    private final Lodestone db;
    private final QueryScheduler queries;
    private final ReentrantLock logLock = new ReentrantLock();
    private final SharedRefresh freshness;
    /** When this handle last knew its manifest to be the newest, and whether a probe may still rely on that. */
    private final ManifestKnowledge manifestKnowledge;
    private final Map<String, Segment> openSegments = new HashMap<>();
    /** The ids of {@link #openSegments}, republished on each change: a query reads them without a lock or a copy. */
    private volatile java.util.Set<String> openSegmentIds = java.util.Set.of();
    /** Merged-away segments still mapped for queries on earlier snapshots. */
    private final RetiredSegments retired;
    /**
     * Set once this handle of a missing namespace left the database's map: it then never starts a writer
     * or indexer and hands every call to the database's current handle for the name.
     */
    private volatile boolean forgotten;
    /** When a request last used this handle ({@link System#nanoTime()}): idle handles may be unloaded. */
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile Catalog.Entry entry;
    /** Counts deletions of this namespace seen here (by this server or, through the log or catalog, another). */
    private volatile long deletions;
    private volatile NamespaceState state;
    private volatile boolean loaded;
    private GroupCommitter committer;
    private Indexer indexer;
    private final RecallSampler recall;

    Namespace(Lodestone db, String name, ObjectStore store, NamespaceRoot root, EngineOptions options, SegmentFiles files,
              EngineStats stats, QueryScheduler queries) {
        this.db = db;
        this.queries = queries;
        this.stats = stats;
        this.name = name;
        this.store = store;
        this.root = root;
        this.catalog = root.catalog();
        this.options = options;
        this.files = files;
        this.freshness = new SharedRefresh(store.changes().orElse(null));
        this.manifestKnowledge = new ManifestKnowledge(options.indexing().gcGraceMillis());
        this.recall = new RecallSampler(this, options.indexing().targetRecall(), options.indexing().recallSampleEvery());
        this.retired = new RetiredSegments(options.queries().timeoutMillis());
    }

    public String name() {
        return name;
    }

    /** The root (tenant) this namespace lives under. */
    public NamespaceRoot root() {
        return root;
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
        WriteTraffic.Scope traffic = WriteTraffic.begin(); // until committed or refused: background builds step aside
        try {
            CompletableFuture<WriteResult> f = submitWrite(request);
            f.whenComplete((r, e) -> traffic.close());
            return f;
        } catch (RuntimeException | Error e) {
            traffic.close();
            throw e;
        }
    }

    private CompletableFuture<WriteResult> submitWrite(WriteRequest request) {
        lastUsedNanos = System.nanoTime();
        load();
        EngineOptions.Indexing ix = options.indexing();
        NamespaceState s = state;
        if (ix.enabled() && s != null && s.unindexedBytes() > ix.backlogLimitBytes()) {
            throw new BackpressureException(name, s.unindexedBytes(), ix.backlogLimitBytes(), 1);
        }
        GroupCommitter c = null;
        synchronized (this) {
            if (!forgotten) {
                if (committer == null) committer = new GroupCommitter(this, options.groupCommitWindowMs(), options.maxGroupBytes());
                c = committer;
            }
        }
        return c == null ? root.namespace(name).writeAsync(request) : c.submit(request);
    }

    /**
     * Runs a query; sees every acknowledged write unless the query asks for eventual consistency. The
     * freshness probe (I/O) runs on the calling thread; the search itself on the database's query threads,
     * over an immutable snapshot, so it never holds up writers.
     *
     * @throws OverloadedException   when every query thread is busy and the admission queue is full
     * @throws QueryTimeoutException when the query runs past the time limit (it is cancelled)
     */
    public QueryResult query(Query query) {
        if (query.topK() < 1) throw new InvalidInputException("top_k must be >= 1; got " + query.topK());
        if (forgotten) return root.namespace(name).query(query);
        long start = System.nanoTime();
        lastUsedNanos = start;
        return unlessDeleted(() -> {
            CacheAccess access = new CacheAccess();
            java.util.Set<String> openBefore = openSegmentIds();
            // One binding for all the calling thread does (a first query's load, the probe, and the search itself
            // unless it is handed to a query thread), where two bindings were made before.
            Answer a = access.during(() -> answer(query, access, start));
            if (query.mmr() == null) recall.answered(query);
            warmAfterRangedReads(a.snap());
            // Segments open before the query were read from memory (mapped), as was the tail.
            access.add(Tier.MEMORY, 1 + openBefore(a.snap(), openBefore));
            return a.result().withStats(QueryStats.of(access, a.snap().table().liveCount(), a.snap().liveCount(),
                    a.executionNanos(), approxBytes(a.snap()), LogicalSize.ofRows(a.result().rows()), a.searched()));
        });
    }

    /** A query's result, the snapshot it read, the time it took here (catch-up and search) and how it searched. */
    private record Answer(QueryResult result, NamespaceState.Snapshot snap, long executionNanos, QueryStats.VectorSearch searched) {
    }

    /** Catches up unless the query asks for eventual consistency, then runs it on a snapshot; {@code start}: when it arrived. */
    private Answer answer(Query query, CacheAccess access, long start) {
        requireExists(); // a first query loads the namespace: its segment files are this query's lookups
        // a load (or another query's catch-up) that began after this query did already saw every write
        // acknowledged before it: the probe would find nothing newer to promise
        if (!query.eventual() && !readToEndSince(start)) catchUp();
        long catchUpNanos = System.nanoTime() - start;
        stats.queries.increment();
        NamespaceState.Snapshot snap = existingState().snapshot();
        TextIndexes text = textIndexes();
        AnnIndexes ann = annIndexes();
        try {
            long[] searchNanos = {0};
            SearchTally tally = new SearchTally();
            QueryResult result = queries.run(cancel -> {
                long began = System.nanoTime();
                try { // binds the recorder on a query thread; on the calling thread it is bound already
                    return access.during(() -> query.mmr() != null
                            ? diversified(snap, query, text, ann, cancel, tally)
                            : QueryExecutor.run(snap, query, text, ann, cancel, tally));
                } finally {
                    searchNanos[0] = System.nanoTime() - began;
                }
            });
            return new Answer(result, snap, catchUpNanos + searchNanos[0], tally.result());
        } catch (OverloadedException e) {
            stats.queriesRefused.increment();
            throw e;
        } catch (QueryTimeoutException e) {
            stats.queriesTimedOut.increment();
            throw e;
        }
    }

    /**
     * Runs a read; when the namespace was deleted while it ran (segments closed, state dropped), whatever
     * that broke is answered as for any request to a missing namespace.
     */
    private <T> T unlessDeleted(java.util.function.Supplier<T> read) {
        long before = deletions;
        try {
            return read.get();
        } catch (NamespaceNotFoundException | InvalidInputException | OverloadedException | QueryTimeoutException e) {
            throw e;
        } catch (RuntimeException e) {
            if (deletions != before) throw new NamespaceNotFoundException(name, "was deleted while the request ran");
            throw e;
        }
    }

    private NamespaceState existingState() {
        NamespaceState s = state;
        if (s == null) throw new NamespaceNotFoundException(name);
        return s;
    }

    /** Runs the query for the MMR candidate pool with vectors, then picks top_k diversely. */
    private static QueryResult diversified(NamespaceState.Snapshot snap, Query query, TextIndexes text, AnnIndexes ann,
                                           Cancellation cancel, SearchTally tally) {
        Query.AttributeSelection sel = query.attributes();
        Query pool = new Query(query.rankBy(), query.filter(), Math.max(query.topK(), query.mmr().candidates()),
                new Query.AttributeSelection(sel.all(), withVector(sel.include()), without(sel.exclude(), "vector")),
                query.aggregateBy(), query.groupBy(), true, null);
        QueryResult candidates = QueryExecutor.run(snap, pool, text, ann, cancel, tally);
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

    /** Set once this handle started a background warm after ranged reads. */
    private volatile boolean warmedAfterRangedReads;

    /**
     * After a query read segments by ranges from a remote store, fetches the rest of their files in the background,
     * once per handle and within the disk budget ({@link #warmCache}): the first answers cost only the ranges they
     * read, and later ones stop paying round trips for rows and posting lists once the files are local.
     */
    private void warmAfterRangedReads(NamespaceState.Snapshot snap) {
        if (warmedAfterRangedReads || files.store().local()) return;
        boolean ranged = false;
        for (SegmentSource src : snap.segments()) ranged |= !src.complete();
        if (!ranged) return;
        warmedAfterRangedReads = true;
        warmCache();
    }

    /**
     * Starts warming the cache for this namespace and returns at once (see {@link CacheWarmer}). A namespace
     * that does not exist warms nothing. The future completes when the prefetch is done (tests).
     */
    public CompletableFuture<Void> warmCache() {
        return CacheWarmer.warm(store, files, this::latestToWarm);
    }

    /** The data prefix and latest manifest of this namespace, or null when there is nothing to warm. */
    private CacheWarmer.Target latestToWarm() throws IOException {
        Catalog.Entry e = entry != null ? entry : catalog.find(name);
        if (e == null) {
            if (!loaded) forgetIfUnused(); // a hint for a missing name holds no memory
            return null;
        }
        String p = catalog.dataPrefix(e);
        Manifest m = new ManifestStore(store, p).latest();
        return m == null ? null : new CacheWarmer.Target(p, m);
    }

    /** Whether the namespace exists (has been written and not deleted). */
    public boolean exists() {
        if (forgotten) return root.namespace(name).exists();
        load();
        return entry != null;
    }

    public NamespaceMetadata metadata() {
        if (forgotten) return root.namespace(name).metadata();
        return unlessDeleted(() -> {
            requireExists();
            refresh(() -> probeAndCatchUp(true));
            Catalog.Entry e = entry;
            if (e == null) throw new NamespaceNotFoundException(name);
            long created = e.createdAtMillis();
            return existingState().read(s -> new NamespaceMetadata(s.liveCount(), approxBytes(s),
                    s.createdAtMillis() == 0 ? created : s.createdAtMillis(),
                    s.updatedAtMillis() == 0 ? created : s.updatedAtMillis(),
                    s.view().schema(), s.view().metricSet() ? s.view().metric() : null, s.view().dims(), s.tailBytes(),
                    recall.measured().map(r -> new NamespaceMetadata.AnnRecall(r.avgRecall(), r.queries())).orElse(null),
                    s.segments().stream().mapToLong(SegmentSource::liveCount).sum()));
        });
    }

    /** How many of the snapshot's segments were open before the query (a loop: this runs on every query). */
    private static int openBefore(NamespaceState.Snapshot snap, java.util.Set<String> openBefore) {
        int n = 0;
        for (SegmentSource src : snap.segments()) if (openBefore.contains(src.segment.id())) n++;
        return n;
    }

    private static long approxBytes(NamespaceState.Snapshot s) {
        long n = s.table().liveBytes();
        for (Manifest.SegmentInfo info : s.manifest().segments()) {
            n += info.rows() == 0 ? 0 : info.bytes() * info.liveRows() / info.rows();
        }
        return n;
    }

    /**
     * Deletes the namespace and all its data. Writes still waiting to commit fail with
     * {@link NamespaceNotFoundException}; queries running on the old data finish or fail the same way.
     */
    public void delete() {
        if (forgotten) {
            root.namespace(name).delete();
            return;
        }
        requireExists();
        logLock.lock();
        try {
            if (entry == null) throw new NamespaceNotFoundException(name);
            markDeletedInLog();
            closeBackground();
            catalog.delete(entry);
            forgetIncarnationLocked();
        } catch (IOException e) {
            throw new StorageException("deleting namespace '" + name + "' failed: " + e.getMessage(), e);
        } finally {
            logLock.unlock();
        }
    }

    /**
     * Takes the next log slot for the deletion mark, so that every other server's next commit to this incarnation
     * fails over to the mark and its next probe finds it. Caller holds the log lock.
     */
    private void markDeletedInLog() throws IOException {
        catchUpLocked();
        while (true) {
            NamespaceState s = state;
            if (s == null) throw new NamespaceNotFoundException(name, "was deleted by another request");
            long seq = s.lastSeq() + 1;
            if (store.putIfAbsent(walKey(seq), WalCodec.encode(WalEntry.namespaceDeleted(seq, System.currentTimeMillis())))) return;
            catchUpLocked();
        }
    }

    /**
     * Another server deleted this incarnation (its log holds the deletion mark, or its catalog marker is gone):
     * forget it. Requests then answer 404, and a later write creates a new incarnation. Caller holds the log lock.
     */
    private void dropDeletedLocked() {
        closeIndexer();
        forgetIncarnationLocked();
    }

    /** Drops everything this handle holds of the current incarnation, which is gone. Caller holds the log lock. */
    private void forgetIncarnationLocked() {
        deletions++;
        String deadPrefix = prefix();
        entry = null;
        closeSegments();
        files.forget(deadPrefix); // the incarnation's objects are dead: they leave the cache (unpinned now)
        state = null;
        recall.clear();
    }

    private void requireExists() {
        if (!exists()) {
            forgetIfUnused();
            throw new NamespaceNotFoundException(name);
        }
    }

    /**
     * Drops this handle from the database's map when the namespace does not exist and no write was ever
     * queued here, so names that 404 hold no memory; a later request makes a fresh handle (which also sees
     * a namespace another server created since).
     */
    private void forgetIfUnused() {
        synchronized (this) {
            if (committer != null || indexer != null) return;
            forgotten = true;
        }
        db.forget(this);
    }

    /** When a request last used this handle ({@link System#nanoTime()}). */
    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /**
     * Lets go of a namespace no request has used for {@code idleNanos}, so that its segment files unpin and the
     * disk tier may evict them: the handle leaves the database's map (a later request loads a fresh one, from
     * the cache where the blocks are still there), its indexer stops now, and its segments and committer close
     * {@code graceMillis} later, when no request that started on this handle can still be running. A namespace
     * holding unindexed writes is kept (its indexer folds them). Returns whether the handle was dropped.
     */
    boolean unloadIfIdle(long idleNanos, long graceMillis) {
        if (System.nanoTime() - lastUsedNanos < idleNanos) return false;
        logLock.lock();
        try {
            NamespaceState s = state;
            if (s == null || s.unindexedBytes() > 0) return false;
            synchronized (this) {
                if (forgotten) return false;
                forgotten = true; // requests arriving now go to a fresh handle
                closeIndexer();
            }
        } finally {
            logLock.unlock();
        }
        db.forget(this);
        java.util.concurrent.CompletableFuture.delayedExecutor(graceMillis, java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(this::close);
        return true;
    }

    /** Loads the namespace when it exists; a handle without one looks in the catalog again (another server may have created it). */
    private void load() {
        if (loaded && entry != null) return;
        logLock.lock();
        try {
            if (loaded && entry != null) return;
            Catalog.Found found = catalog.findWithHead(name, !store.local());
            entry = found.entry();
            if (entry != null) {
                openState(found.head());
                catchUpLocked(true);
                if (entry != null) startIndexer(); // else its log said it was deleted meanwhile
            }
            loaded = true;
        } catch (IOException e) {
            unloadAfterFailure();
            throw new StorageException("loading namespace '" + name + "' failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            unloadAfterFailure();
            throw e;
        } finally {
            logLock.unlock();
        }
    }

    /**
     * Opens the latest manifest's segments and an empty tail after it. On a remote store the first log entry after
     * the manifest is read beside the segments, for the catch-up that follows; given the namespace's {@code head}
     * (see {@link Catalog}), its segments are opened while the manifests are listed, and kept when the listing shows
     * none newer. Caller holds the log lock.
     */
    private void openState(Manifest head) throws IOException {
        long t0 = System.nanoTime();
        if (head != null && openHead(head)) {
            manifestKnowledge.known(t0);
            return;
        }
        Manifest m = manifests().latest();
        if (m == null) m = Manifest.initial(entry.createdAtMillis(), options.indexing().newNamespaceIndex());
        logAhead = store.local() ? null : new LogReader(store, prefix()).readAhead(m.lastIndexedSeq() + 1);
        state = new NamespaceState(m, sourcesFor(m));
        manifestKnowledge.known(t0);
    }

    /**
     * Opens {@code head}'s segments, the log entry after it and a listing of the manifests at once; true (the state
     * set) when the listing shows no newer manifest. Otherwise, or when a segment it names is gone, false: the caller
     * opens the newest (segments opened here stay open, as dropped ones do, and the newest may share them).
     */
    private boolean openHead(Manifest head) throws IOException {
        java.util.concurrent.FutureTask<Long> listing = new java.util.concurrent.FutureTask<>(manifests()::newestListed);
        Thread.ofVirtual().name("manifest-listing").start(listing);
        LogReader.ReadAhead ahead = new LogReader(store, prefix()).readAhead(head.lastIndexedSeq() + 1);
        List<SegmentSource> sources = null;
        IOException unopened = null;
        try {
            sources = sourcesFor(head);
        } catch (IOException e) {
            unopened = e;
        }
        long newest = IoFutures.await(listing, "the manifest listing of " + name);
        if (newest != head.version() || sources == null) {
            if (unopened != null && newest == head.version()) throw unopened; // the newest manifest's segments are unreadable
            ahead.task().cancel(true);
            return false;
        }
        logAhead = ahead;
        state = new NamespaceState(head, sources);
        return true;
    }

    /** The log entry after the opened manifest, read ahead by {@link #openState}; used by the next catch-up only. */
    private LogReader.ReadAhead logAhead;

    private java.util.Set<String> openSegmentIds() {
        return openSegmentIds;
    }

    /** After {@link #openSegments} changed (its monitor held): publishes its ids for queries. */
    private void openSegmentsChanged() {
        openSegmentIds = java.util.Set.copyOf(openSegments.keySet());
    }

    /**
     * Segment sources for a manifest, reusing open segments (segments it no longer names stay open: see below).
     * On a remote store the deletion vectors, the segments not open yet and the ends of their clustered indexes
     * (which a first ANN query reads next) are all read at once.
     */
    List<SegmentSource> sourcesFor(Manifest m) throws IOException {
        boolean remote = !files.store().local();
        // One opener at a time (the indexer and a catch-up may both get here): each segment is mapped once.
        // Segments dropped by this manifest stay mapped until the namespace closes: queries
        // started on an earlier snapshot may still read them.
        synchronized (openSegments) {
            List<Manifest.SegmentInfo> segments = m.segments();
            BitSet[] deletes = new BitSet[segments.size()];
            Segment[] opened = new Segment[segments.size()];
            List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Runnable> reads = new ArrayList<>();
            for (int i = 0; i < segments.size(); i++) {
                int at = i;
                Manifest.SegmentInfo info = segments.get(i);
                reads.add(failingInto(failures, () -> deletes[at] = Segment.readDeletes(files, info.deletesKey(), info.rows())));
                if (openSegments.containsKey(info.id())) continue;
                files.learn(prefix(), info);
                reads.add(failingInto(failures, () -> opened[at] = Segment.open(files, prefix(), info.id())));
                if (remote && info.hasAnnIndex() && m.index().clustered()) {
                    reads.add(failingInto(failures, () -> prefetchClustered(SegmentKeys.clustered(prefix(), info.id()))));
                }
            }
            ParallelReads.run(reads, remote);
            for (int i = 0; i < segments.size(); i++) {
                if (opened[i] != null) openSegments.put(segments.get(i).id(), opened[i]); // the next call reuses it
            }
            openSegmentsChanged();
            if (!failures.isEmpty()) {
                if (failures.getFirst() instanceof IOException io) throw io;
                throw (RuntimeException) failures.getFirst();
            }
            List<SegmentSource> out = new ArrayList<>();
            for (int i = 0; i < segments.size(); i++) {
                out.add(new SegmentSource(openSegments.get(segments.get(i).id()), deletes[i], new BitSet()));
            }
            return out;
        }
    }

    /**
     * Brings a clustered index's metadata (centroids, directory: its end, and more when they outgrow the end a
     * remote open reads) into the disk cache without parsing it, if the segment has one (a segment built before the
     * namespace changed index kind has the other), so that the first query's open finds it present.
     */
    private void prefetchClustered(String key) throws IOException {
        OpenedFile<?> opened = OpenedFile.open(files, key, true, pin -> {
            SegmentAnnFiles.prefetchClusteredMetadata(pin.path(), pin.residency(), key);
            return () -> { };
        });
        if (opened != null) opened.close();
    }

    /** A read whose failure is collected rather than thrown (the reads of a batch run on other threads). */
    private interface Read {
        void run() throws IOException;
    }

    private static Runnable failingInto(List<Exception> failures, Read read) {
        return () -> {
            try {
                read.run();
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        };
    }

    /**
     * Switches the state to a manifest this server just published. Segments are opened before taking the
     * log lock (that may download); under it, a state that has meanwhile moved past the manifest (a catch-up
     * applied it or a newer one) is left alone, and a state behind it catches up first.
     */
    void rebase(Manifest m) throws IOException {
        List<SegmentSource> sources = sourcesFor(m);
        logLock.lock();
        try {
            NamespaceState s = state;
            if (s == null || s.manifest().version() >= m.version()) return;
            if (m.lastIndexedSeq() > s.lastSeq()) {
                catchUpLocked();
                return;
            }
            Manifest before = s.manifest();
            s.rebase(m, sources);
            retireDropped(before, m);
        } finally {
            logLock.unlock();
        }
    }

    /**
     * Applies manifests and log entries other writers (or servers) committed, so the caller sees every
     * write acknowledged before it arrived. Probes without the lock; concurrent callers share a probe.
     */
    private void catchUp() {
        refresh(() -> freshness.await(this::probeAndCatchUp));
    }

    /**
     * Runs a probe and catch-up; a storage failure becomes {@link StorageException} (503). When the catch-up
     * found the namespace deleted by another server, a new incarnation the catalog names is loaded instead.
     */
    private void refresh(SharedRefresh.Refresh r) {
        try {
            r.run();
            if (entry == null) load();
        } catch (IOException e) {
            throw new StorageException("reading the log of namespace '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * Checks for the next log entry (one existence check), and at most every the probe interval ({@link ManifestKnowledge})
     * for the next manifest, both at once on a remote store (one round trip); catches up under the lock if
     * either exists. The log entry alone decides what a query sees: a write is acknowledged once its entry
     * exists, and a manifest only re-splits documents already in the log between segments and tail. When the
     * last manifest check is older than half the GC grace ({@link ManifestKnowledge}) (an idle server), the catch-up lists the
     * manifests first: the entry after ours may have been folded and garbage-collected meanwhile.
     */
    private void probeAndCatchUp() throws IOException {
        probeAndCatchUp(freshness.tracksChanges()); // with a change counter it runs only after a change: look at all
    }

    /** As {@link #probeAndCatchUp()}; {@code everything} also checks for a newer manifest now (metadata reports the split). */
    private void probeAndCatchUp(boolean everything) throws IOException {
        NamespaceState s = state;
        if (s == null) return; // deleted meanwhile: the caller answers 404
        long t0 = System.nanoTime();
        if (manifestKnowledge.stale(t0)) {
            catchUpUnderLock();
            return;
        }
        boolean probeManifest = everything || manifestKnowledge.probeDue(t0);
        if (probeManifest ? nextEntryOrManifestExists(s) : walExists(s.lastSeq() + 1)) {
            catchUpUnderLock();
        } else if (probeManifest) {
            manifestKnowledge.known(t0);
        }
    }

    /** Whether the next log entry or the next manifest exists; on a remote store the two checks run at once. */
    private boolean nextEntryOrManifestExists(NamespaceState s) throws IOException {
        ManifestStore m = manifests();
        long version = s.manifest().version() + 1;
        if (store.local()) return walExists(s.lastSeq() + 1) || m.exists(version);
        java.util.concurrent.FutureTask<Boolean> manifest = new java.util.concurrent.FutureTask<>(() -> m.exists(version));
        Thread.ofVirtual().name("probe-" + name).start(manifest);
        boolean wal = walExists(s.lastSeq() + 1);
        try {
            return manifest.get() || wal;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while checking for a newer manifest of " + name);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new StorageException("checking for a newer manifest of '" + name + "' failed: " + e.getCause(), e.getCause());
        }
    }

    /** {@link #catchUpLocked} under the log lock. */
    void catchUpUnderLock() throws IOException {
        logLock.lock();
        try {
            catchUpLocked();
        } finally {
            logLock.unlock();
        }
    }

    /**
     * Applies newer manifests, then the log entries after the state. Caller holds the log lock.
     *
     * <p>Why a stale server never misses an entry nor reuses a log slot (docs/ARCHITECTURE.md, "Stale servers"):
     * garbage collection deletes log entries up to the {@code lastIndexedSeq} of a manifest published more than
     * the grace period ago, and never the newest manifest. So if this server knew its manifest {@code v} to be
     * the newest within half the grace period, no entry after its state can have been collected: a manifest
     * covering one would have been published before that knowledge, i.e. be {@code v} or older. Knowledge is
     * kept fresh by probing {@code manifest/v+1} (a chain of probes each within half the grace of the last is
     * sound: {@code v+1} cannot appear and be collected in between); once it is older, it is renewed by a
     * listing, which always shows the newest manifest.
     */
    void catchUpLocked() throws IOException {
        catchUpLocked(false);
    }

    /**
     * As {@link #catchUpLocked()}; {@code manifestJustRead}: the state was opened from a listing of the manifests a
     * moment ago, so the next manifest is not probed again (one found now would be younger than the GC grace,
     * and the log after the state is then still there to read).
     */
    private void catchUpLocked(boolean manifestJustRead) throws IOException {
        if (state == null) return;
        Manifest before = state.manifest();
        long t0 = System.nanoTime();
        ManifestStore manifests = manifests();
        Manifest latest;
        if (manifestKnowledge.stale(t0)) {
            // Stale: the namespace may even have been deleted, and its data swept, meanwhile.
            Catalog.Entry current = catalog.find(name);
            if (current == null || !current.incarnation().equals(entry.incarnation())) {
                dropDeletedLocked();
                return;
            }
            latest = manifests.latest();
        } else if (manifestJustRead) {
            latest = null;
        } else {
            latest = manifests.exists(state.manifest().version() + 1) ? manifests.latest() : null;
        }
        if (latest != null && latest.version() > state.manifest().version()) {
            if (latest.lastIndexedSeq() > state.lastSeq()) {
                state = new NamespaceState(latest, sourcesFor(latest)); // we are behind the index: start over from it
            } else {
                state.rebase(latest, sourcesFor(latest));
            }
        }
        manifestKnowledge.known(t0);
        retireDropped(before, state.manifest());
        if (entry == null) return;
        NamespaceState target = state;
        LogReader.ReadAhead ahead = logAhead;
        logAhead = null;
        // with a read-ahead entry, the log was seen as of when that read began
        long seenFrom = ahead != null && ahead.seq() == target.lastSeq() + 1 ? Math.min(t0, ahead.startedNanos()) : t0;
        new LogReader(store, prefix()).forEachFrom(target.lastSeq() + 1,
                (seq, bytes) -> target.apply(WalCodec.decode(bytes, walKey(seq)), bytes), ahead);
        if (target.deleted()) {
            dropDeletedLocked();
            return;
        }
        readToEndFrom = seenFrom;
        readToEnd = true;
    }

    /**
     * When the latest catch-up that read the log to its end began ({@link System#nanoTime()}): it saw every write
     * acknowledged before then, so a query that started before it needs no probe of its own.
     */
    private volatile long readToEndFrom;
    private volatile boolean readToEnd;

    /** Whether a catch-up that began after {@code nanos} has read the log to its end. */
    private boolean readToEndSince(long nanos) {
        return readToEnd && readToEndFrom - nanos >= 0;
    }

    /**
     * Before a commit: catches up only when the manifest knowledge is stale. Otherwise the commit just tries the
     * next slot; create-if-absent fails if another writer took it, and the catch-up runs then.
     */
    void catchUpIfStaleLocked() throws IOException {
        if (manifestKnowledge.stale(System.nanoTime())) catchUpLocked();
    }

    /**
     * After this server created log entry {@code seq}: whether the slot was really free. A slot that was used,
     * folded and collected could be created again; that cannot happen while the manifest knowledge is fresh
     * (see {@link #catchUpLocked}), so only a commit that took longer than that lists the manifests to make sure
     * no manifest covers {@code seq} yet.
     */
    boolean committedSlotIsNew(long seq) throws IOException {
        if (!manifestKnowledge.stale(System.nanoTime())) return true;
        Manifest latest = manifests().latest();
        return latest == null || latest.lastIndexedSeq() < seq;
    }

    /** Catches up with other servers before an indexing round, so their writes are folded too. */
    void refreshForIndexing() throws IOException {
        probeAndCatchUp(false);
    }

    /**
     * Segments that {@code before} names and {@code after} does not were merged away: they leave the cache
     * now (a mapped file stays readable) and close once no query on an earlier snapshot can still run.
     * Caller holds the log lock.
     */
    private void retireDropped(Manifest before, Manifest after) {
        if (before == after) return;
        java.util.Set<String> live = new java.util.HashSet<>();
        for (Manifest.SegmentInfo info : after.segments()) live.add(info.id());
        List<Segment> dropped = new ArrayList<>();
        synchronized (openSegments) {
            for (Manifest.SegmentInfo info : before.segments()) {
                if (live.contains(info.id())) continue;
                Segment seg = openSegments.remove(info.id());
                if (seg != null) dropped.add(seg);
                files.forgetSegment(prefix(), info.id());
            }
            openSegmentsChanged();
        }
        retired.closeLater(dropped);
    }

    private boolean walExists(long seq) throws IOException {
        return entry != null && store.exists(walKey(seq));
    }

    /** Whether the namespace exists; caller holds the log lock. */
    boolean existsLocked() {
        load();
        return entry != null;
    }

    void ensureCreated() throws IOException {
        load();
        if (entry == null) {
            try {
                entry = catalog.create(name);
                openState(null);
                catchUpLocked();
            } catch (IOException | RuntimeException e) {
                unloadAfterFailure(); // the next request starts over rather than meet half a namespace
                throw e;
            }
            if (entry == null) throw new StorageException("namespace '" + name + "' was deleted while being created; retry", null);
            startIndexer();
        }
    }

    /** A load or creation failed part-way (storage fault): forget what it set, so the next request starts over. */
    private void unloadAfterFailure() {
        entry = null;
        state = null;
        loaded = false;
    }

    private synchronized void startIndexer() {
        if (indexer == null && !forgotten && options.indexing().enabled()) indexer = new Indexer(this, options.indexing());
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
        if (forgotten) {
            root.namespace(name).flushIndex();
            return;
        }
        requireExists();
        Indexer i;
        synchronized (this) {
            i = indexer;
        }
        if (i == null) throw new IllegalStateException("indexing is disabled");
        i.runNow();
    }

    /** The current manifest's version and segment count, and the unindexed tail (benchmarks wait for a quiet index). */
    public IndexState indexState() {
        requireExists();
        return state.read(s -> new IndexState(s.manifest().version(), s.manifest().segments().size(), s.tailBytes()));
    }

    String prefix() {
        return catalog.dataPrefix(entry);
    }

    /** Records {@code m}, which this server just published, as the namespace's head (best effort; see {@link Catalog}). */
    void recordHead(Manifest m) {
        Catalog.Entry e = entry;
        if (e != null) catalog.writeHead(e, m);
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

    /** This server's identity in indexer leases. */
    String instanceId() {
        return db.instanceId();
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
            committer.close(() -> new NamespaceNotFoundException(name, "was deleted before this write was committed; nothing was written"));
            committer = null;
        }
        closeIndexer();
    }

    private synchronized void closeIndexer() {
        if (indexer != null) {
            indexer.close();
            indexer = null;
        }
    }

    private void closeSegments() {
        synchronized (openSegments) {
            openSegments.values().forEach(Segment::close);
            openSegments.clear();
            openSegmentsChanged();
        }
        retired.closeAll();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (committer != null) {
                committer.close(() -> new IllegalStateException("the database was closed before this write was committed"));
                committer = null;
            }
            closeIndexer();
        }
        closeSegments();
    }
}
