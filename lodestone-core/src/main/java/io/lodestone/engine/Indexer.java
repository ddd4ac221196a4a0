package io.lodestone.engine;

import io.lodestone.doc.Document;
import io.lodestone.index.hnsw.BuildPacer;
import io.lodestone.segment.DeletionVector;
import io.lodestone.segment.Manifest;
import io.lodestone.segment.SegmentKeys;
import io.lodestone.segment.SegmentWriter;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The background indexer of one namespace: a virtual thread that waits for work and runs each round on
 * {@link #ROUNDS}, a small pool of platform threads shared by every namespace. Each round, step by step:
 * <ol>
 *   <li>fold: when the tail is large enough (or idle long enough), snapshot it at its last sequence
 *       number S, write its live documents as a new segment and the rows it replaced in older segments
 *       as new deletion vectors;</li>
 *   <li>publish manifest version v+1 (create-if-absent); if another server published v+1 first, drop
 *       the work and catch up instead;</li>
 *   <li>rebase the in-memory state on the new manifest (the tail after S is re-applied over it);</li>
 *   <li>merge segments that {@link MergePolicy} selects, publishing the same way;</li>
 *   <li>collect garbage older than the grace period ({@link GarbageCollector}).</li>
 * </ol>
 * Only this indexer, one round at a time, changes a namespace's segment list on this server; across servers one
 * {@link IndexerLease} decides which server indexes (the others only write and read), and the create-if-absent
 * publish keeps even a lapsed lease harmless. A round with a tail first catches up with the other servers, so the
 * holder folds their writes too; the tail is folded when it is large, idle, or older than {@code max_unindexed_age}.
 *
 * <p>Indexing yields to ingestion. Rounds are CPU-heavy for seconds (graph builds, segment encoding): on a
 * virtual thread they would hold one of the few carrier threads that request handlers and commit loops
 * share, so they run on {@link #ROUNDS}, one thread fewer than the machine has cores (at least one). While
 * writes are flowing (one committed within the last {@code idle_ms}), a fold builds its graph on one core
 * fewer too, and merges wait until the writes pause unless the namespace has more than
 * {@link #MERGE_ANYWAY_FACTOR} times {@code max_segments} segments: a merge rebuilds the graph of every
 * row it takes, so merging during a long ingest would rebuild the same rows again and again. And while write
 * requests are in flight ({@link WriteTraffic}), graph builds step aside between insertions ({@link IngestPacer}),
 * keeping a quarter of their time so that they finish, and not at all once the tail is half the backlog limit.
 */
final class Indexer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Indexer.class.getName());

    private final Namespace ns;
    private final EngineOptions.Indexing options;
    private final LinkedBlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    /** Runs indexing rounds of all namespaces; daemon threads, so they never keep the JVM alive. */
    private static final ExecutorService ROUNDS = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
            Thread.ofPlatform().name("indexer-round-", 0).daemon().factory());

    /** While writes flow, merges wait unless the namespace has more than this many times max_segments segments. */
    static final int MERGE_ANYWAY_FACTOR = 4;

    private final Thread thread;
    private final IndexerLease lease;
    private volatile boolean closed;
    /** When the last commit woke this indexer. */
    private volatile long lastWriteNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

    /** A reason to run a round: a commit happened, or someone wants everything indexed now. */
    private record Signal(boolean force, CompletableFuture<Void> done) {
    }

    Indexer(Namespace ns, EngineOptions.Indexing options) {
        this.ns = ns;
        this.options = options;
        this.lease = new IndexerLease(ns.store(), ns.prefix(), ns.instanceId(), options.leaseMillis());
        this.thread = Thread.ofVirtual().name("indexer-" + ns.name()).start(this::loop);
    }

    /** A write was committed. */
    void wake() {
        lastWriteNanos = System.nanoTime();
        signals.offer(new Signal(false, null));
    }

    /** Whether a write was committed within the idle period. */
    private boolean writesFlowing() {
        return System.nanoTime() - lastWriteNanos < TimeUnit.MILLISECONDS.toNanos(options.idleMillis());
    }

    /** Graph build threads: every core, less one while writes flow (so ingestion keeps a core). */
    private int buildThreads(boolean force) {
        int cores = Runtime.getRuntime().availableProcessors();
        return !force && writesFlowing() ? Math.max(1, cores - 1) : cores;
    }

    /** Folds everything now and waits until done. */
    void runNow() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        signals.offer(new Signal(true, done));
        done.join();
    }

    private void loop() {
        while (!closed) {
            List<Signal> batch = new ArrayList<>();
            try {
                Signal first = signals.poll(Math.max(50, options.idleMillis()), TimeUnit.MILLISECONDS);
                if (first != null) batch.add(first);
            } catch (InterruptedException e) {
                return;
            }
            signals.drainTo(batch);
            boolean force = batch.stream().anyMatch(Signal::force);
            try {
                runRound(force);
                batch.forEach(sig -> {
                    if (sig.done() != null) sig.done().complete(null);
                });
            } catch (Throwable t) {
                batch.forEach(sig -> {
                    if (sig.done() != null) sig.done().completeExceptionally(t);
                });
                if (closed) return;
                LOG.log(Level.WARNING, "indexing namespace " + ns.name() + " failed; will retry", t);
                sleepQuietly(1000);
            }
        }
    }

    /** Runs a round on {@link #ROUNDS} and waits for it; its failure is rethrown as it was. */
    private void runRound(boolean force) throws Throwable {
        Future<?> f = ROUNDS.submit(() -> {
            round(force);
            return null;
        });
        try {
            // A fold or merge can run longer than the lease: renew it meanwhile (I/O, on this waiting thread).
            while (true) {
                try {
                    f.get(Math.max(5, options.leaseMillis() / 4), TimeUnit.MILLISECONDS);
                    return;
                } catch (java.util.concurrent.TimeoutException e) {
                    lease.renewIfDue();
                }
            }
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long lastTailChange = System.nanoTime();
    private long lastSeenSeq = -1;

    private void round(boolean force) throws IOException {
        NamespaceState state = ns.state();
        if (state == null) return;
        boolean gcDue = System.nanoTime() - lastCollection > TimeUnit.MILLISECONDS.toNanos(Math.min(60_000, options.gcGraceMillis()));
        boolean hasTail = state.unindexedBytes() > 0;
        if (!force && !hasTail && !gcDue && MergePolicy.select(state.manifest().segments(), options.maxSegments()).isEmpty()) {
            return; // nothing to do: touch no object
        }
        if (hasTail) {
            ns.refreshForIndexing(); // other servers' writes and manifests: fold what they wrote too, never what they folded
            state = ns.state();
            if (state == null) return;
        }
        if (!lease.acquire()) return; // another server indexes this namespace
        long seq = state.lastSeq();
        if (seq != lastSeenSeq) {
            lastSeenSeq = seq;
            lastTailChange = System.nanoTime();
        }
        long tailBytes = state.unindexedBytes();
        boolean idle = (System.nanoTime() - lastTailChange) / 1_000_000 >= options.idleMillis();
        long version = ns.state().manifest().version();
        long oldest = state.oldestUnindexedMillis();
        boolean old = oldest > 0 && System.currentTimeMillis() - oldest >= options.maxUnindexedAgeMillis();
        if (tailBytes > 0 && (force || idle || old || tailBytes >= options.minUnindexedBytes())) fold(force);
        merge(force);
        // Garbage appears with publishes and ripens with the grace period: look after each publish and now and then.
        boolean published = ns.state().manifest().version() != version;
        if (published || force || gcDue) {
            new GarbageCollector(ns.store(), ns.prefix(), options.gcGraceMillis()).collect(ns.state().manifest());
            lastCollection = System.nanoTime();
        }
    }

    private long lastCollection = System.nanoTime();

    /** What a fold needs from the state, taken from one snapshot. */
    private record FoldInput(Manifest base, long lastSeq, List<Document> docs, List<BitSet> deletes, NamespaceView view,
                             long createdAt, long updatedAt) {
    }

    private void fold(boolean force) throws IOException {
        FoldInput in = ns.state().read(s -> {
            List<Document> docs = new ArrayList<>();
            s.table().forEachLive(r -> docs.add(s.table().document(r)));
            List<BitSet> deletes = new ArrayList<>();
            for (SegmentSource src : s.segments()) {
                if (src.masked.isEmpty()) {
                    deletes.add(null);
                } else {
                    BitSet d = (BitSet) src.deleted.clone();
                    d.or(src.masked);
                    deletes.add(d);
                }
            }
            return new FoldInput(s.manifest(), s.lastSeq(), docs, deletes, s.view(), s.createdAtMillis(), s.updatedAtMillis());
        });
        Manifest base = in.base();
        long version = base.version() + 1;
        List<Manifest.SegmentInfo> segments = new ArrayList<>();
        for (int i = 0; i < base.segments().size(); i++) {
            Manifest.SegmentInfo info = base.segments().get(i);
            BitSet d = in.deletes().get(i);
            if (d == null) {
                segments.add(info);
                continue;
            }
            int live = info.rows() - d.cardinality();
            if (live == 0) continue; // every row replaced: the segment leaves the manifest
            String key = SegmentKeys.deletes(ns.prefix(), info.id(), version);
            ns.store().put(key, DeletionVector.encode(d, info.rows()));
            segments.add(info.withDeletes(live, key));
        }
        if (!in.docs().isEmpty()) {
            SegmentWriter.Written w = built(SegmentWriter.write(ns.files(), ns.prefix(), in.docs(), in.view().dims(),
                    graphIndexer(in.view().metric(), index(in.view(), base), force), TextIndexes.textAttributes(in.view().schema())));
            segments.add(w.info(base.lastIndexedSeq() + 1, in.lastSeq()));
        }
        NamespaceView v = in.view();
        publish(new Manifest(version, in.lastSeq(), in.createdAt(), in.updatedAt(), System.currentTimeMillis(),
                v.metric(), v.metricSet(), v.dims(), v.schema(), index(v, base), segments));
    }

    private void merge(boolean force) throws IOException {
        Manifest base = ns.state().manifest();
        if (!force && writesFlowing() && base.segments().size() <= MERGE_ANYWAY_FACTOR * options.maxSegments()) return;
        List<String> chosen = MergePolicy.select(base.segments(), options.maxSegments());
        if (chosen.isEmpty()) return;
        List<Document> docs = ns.state().read(s -> {
            List<Document> out = new ArrayList<>();
            for (SegmentSource src : s.segments()) {
                if (!chosen.contains(src.segment.id())) continue;
                src.prefetchAllAttributes(); // a remote segment's rows arrive in one batch, not row by row
                src.prefetchAllVectors();
                for (int r = 0; r < src.rowCount(); r++) {
                    if (!src.deleted.get(r)) out.add(new Document(src.id(r), src.vector(r), src.attributes(r)));
                }
            }
            return out;
        });
        List<Manifest.SegmentInfo> segments = new ArrayList<>();
        long minSeq = Long.MAX_VALUE, maxSeq = 0;
        for (Manifest.SegmentInfo info : base.segments()) {
            if (chosen.contains(info.id())) {
                minSeq = Math.min(minSeq, info.minSeq());
                maxSeq = Math.max(maxSeq, info.maxSeq());
            } else {
                segments.add(info);
            }
        }
        if (!docs.isEmpty()) {
            SegmentWriter.Written w = built(SegmentWriter.write(ns.files(), ns.prefix(), docs, base.dims(),
                    graphIndexer(base.metric(), base.index(), force), TextIndexes.textAttributes(base.schema())));
            segments.add(w.info(minSeq, maxSeq));
        }
        publish(new Manifest(base.version() + 1, base.lastIndexedSeq(), base.createdAtMillis(), base.updatedAtMillis(),
                System.currentTimeMillis(), base.metric(), base.metricSet(), base.dims(), base.schema(), base.index(), segments));
    }

    /**
     * Builds on {@link #buildThreads} threads; unless forced, paced by {@link IngestPacer} while the tail is under half
     * the backlog limit (past it, writes would soon get 429: the build no longer steps aside).
     */
    private GraphIndexer graphIndexer(io.lodestone.vector.DistanceMetric metric, io.lodestone.doc.IndexConfig index, boolean force) {
        BuildPacer pacer = force ? BuildPacer.NONE : new IngestPacer(() -> {
            NamespaceState s = ns.state();
            return s == null || s.unindexedBytes() > options.backlogLimitBytes() / 2;
        });
        return new GraphIndexer(metric, index, buildThreads(force), pacer);
    }

    /** The index settings a write set, else the manifest's. */
    private static io.lodestone.doc.IndexConfig index(NamespaceView v, Manifest base) {
        return v.index() != null ? v.index() : base.index();
    }

    private SegmentWriter.Written built(SegmentWriter.Written w) {
        EngineStats stats = ns.stats();
        stats.segmentsBuilt.increment();
        stats.rowsIndexed.add(w.rows());
        stats.bytesIndexed.add(w.bytes());
        return w;
    }

    private void publish(Manifest m) throws IOException {
        if (!lease.holds(0)) {
            // The lease lapsed while this fold or merge ran: another server may be folding the same entries.
            // Drop the work (its files are garbage-collected) and let the holder publish.
            LOG.log(Level.INFO, "indexer lease of " + ns.name() + " lapsed; manifest " + m.version() + " not published");
            return;
        }
        if (ns.manifests().publish(m)) {
            ns.rebase(m);
            ns.recordHead(m);
        } else {
            LOG.log(Level.INFO, "manifest " + m.version() + " of " + ns.name() + " was published by another server");
            ns.catchUpUnderLock();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            lease.release(); // another server may take over at once
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "releasing the indexer lease of " + ns.name() + " failed; it expires on its own", e);
        }
    }
}
