package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Measures the recall of a namespace's ANN queries on a sample of live queries, and tunes each
 * segment's default search width toward the target recall (as turbopuffer does). One in
 * {@code sampleEvery} ANN queries (at random) that use the default width and no filter is handed, after it has
 * been answered, to a background executor (one low-priority thread for the process, a short queue;
 * a sample that does not fit is dropped, so the request path never waits). There the query is run
 * again on the then-current state, per segment, both through the graph at the segment's default
 * width and by exact scan: each segment's recall@k feeds its {@link AnnTuning}, and the merged
 * lists give the query's recall, kept for metadata ({@link #measured()}) and metrics. A namespace with a segment
 * whose vectors are read by ranges (a walk on codes over a remote store) is not sampled: the exact answer would
 * download every vector.
 */
final class RecallSampler {
    /** Queries whose recall the namespace's reported figure averages. */
    static final int RECENT = 100;
    private static final Executor BACKGROUND = background();

    private final Namespace ns;
    private final double target;
    private final int sampleEvery;
    private final double[] recent = new double[RECENT];
    private long measuredCount;
    private volatile Executor executor = BACKGROUND;

    /** The recall measured over the latest sampled queries. */
    record Measured(double avgRecall, int queries) {
    }

    RecallSampler(Namespace ns, double target, int sampleEvery) {
        this.ns = ns;
        this.target = target;
        this.sampleEvery = sampleEvery;
    }

    /** Called after a query was answered: samples it for measuring if it qualifies and its turn has come. */
    void answered(Query query) {
        if (sampleEvery == 0 || query.filter() != null || query.mmr() != null) return;
        if (!(query.rankBy() instanceof Query.RankBy.Vector v) || !v.approximate() || v.ef() != 0) return;
        // At random rather than every n-th: no shared counter to contend on, and no aliasing with clients that cycle queries.
        if (sampleEvery > 1 && ThreadLocalRandom.current().nextInt(sampleEvery) != 0) return;
        float[] q = v.vector().clone();
        int k = query.topK();
        DistanceMetric metric = v.metric();
        try {
            executor.execute(() -> measureQuietly(q, k, metric));
        } catch (RejectedExecutionException busy) {
            // the background queue is full: skip this sample
        }
    }

    /** Runs samples on the calling thread from now on (tests drive tuning deterministically). */
    void runInline() {
        executor = Runnable::run;
    }

    /** The mean recall of the latest (up to {@value #RECENT}) sampled queries; empty until one was measured. */
    synchronized Optional<Measured> measured() {
        int n = (int) Math.min(measuredCount, RECENT);
        if (n == 0) return Optional.empty();
        double sum = 0;
        for (int i = 0; i < n; i++) sum += recent[i];
        return Optional.of(new Measured(sum / n, n));
    }

    /** Forgets the measurements (the namespace was deleted; a new one of the same name starts afresh). */
    synchronized void clear() {
        measuredCount = 0;
    }

    private synchronized void add(double recall) {
        recent[(int) (measuredCount++ % RECENT)] = recall;
    }

    private void measureQuietly(float[] q, int k, DistanceMetric metric) {
        try {
            measure(q, k, metric);
        } catch (RuntimeException e) {
            // the namespace was deleted or its storage failed meanwhile: this sample is lost, nothing else
        }
    }

    /** A result of a source: its distance and id. */
    private record Scored(float score, DocId id) implements Comparable<Scored> {
        @Override
        public int compareTo(Scored o) {
            int c = Float.compare(score, o.score);
            return c != 0 ? c : id.compareTo(o.id);
        }
    }

    /**
     * Measures one sampled query against the latest snapshot of the state (immutable, so writers never
     * wait for this); adjusts the segments it searched by graph.
     */
    private void measure(float[] q, int k, DistanceMetric requested) {
        if (!ns.exists()) return;
        NamespaceState.Snapshot snap = ns.state().snapshot();
        // The exact answer scans every vector: a segment read by ranges (a walk on codes over a remote store)
        // would download all of them for it, which is what ranged reads avoid. Such namespaces are not sampled.
        for (DocSource src : snap.sources()) if (!src.vectorsComplete()) return;
        List<Scored> approx = new ArrayList<>(), exact = new ArrayList<>();
        boolean graphSearched = false;
        for (int i = 0; i < snap.sources().size(); i++) {
            Boolean searched = measureSource(snap, i, q, k, requested, approx, exact);
            if (searched == null) return;
            graphSearched |= searched;
        }
        if (!graphSearched) return;
        double recall = overlap(top(approx, k), top(exact, k));
        add(recall);
        ns.stats().recordRecall(recall);
    }

    /**
     * Source {@code index}'s exact top k, and its graph's top k at the default width where it has a graph
     * (recorded in its tuning); returns whether it has a graph, or null when the metric or dimension no
     * longer fits.
     */
    private Boolean measureSource(NamespaceState.Snapshot snap, int index, float[] q, int k, DistanceMetric requested,
                                  List<Scored> approx, List<Scored> exact) {
        DistanceMetric metric = requested == null ? snap.view().metric() : requested;
        if (metric != snap.view().metric() || snap.view().dims() != q.length) return null;
        QueryExecutor ex = QueryExecutor.over(snap, Query.nearest(q, k), ns.annIndexes());
        DocSource src = ex.sources().get(index);
        float qn = VectorUtil.norm(q);
        List<Scored> truth = scored(ex.nearestIn(src, q, qn, metric, k, false, 0));
        exact.addAll(truth);
        Optional<AnnIndexes.Ann> ann = src instanceof SegmentSource s ? ex.annOf(s, metric) : Optional.empty();
        if (ann.isEmpty()) {
            approx.addAll(truth);
            return false;
        }
        List<Scored> found = scored(ex.nearestIn(src, q, qn, metric, k, true, 0));
        approx.addAll(found);
        ann.get().tuning().record(overlap(found, truth), target);
        return true;
    }

    private static List<Scored> scored(List<Hit> hits) {
        List<Scored> out = new ArrayList<>(hits.size());
        for (Hit h : hits) out.add(new Scored(h.score(), h.source().id(h.row())));
        return out;
    }

    private static List<Scored> top(List<Scored> hits, int k) {
        java.util.Collections.sort(hits);
        return hits.size() > k ? hits.subList(0, k) : hits;
    }

    /** |found ∩ truth| / |truth|, by document id; 1 when there is nothing to find. */
    static double overlap(List<Scored> found, List<Scored> truth) {
        if (truth.isEmpty()) return 1;
        Set<DocId> want = new HashSet<>();
        for (Scored h : truth) want.add(h.id());
        int hit = 0;
        for (Scored h : found) if (want.contains(h.id())) hit++;
        return (double) hit / want.size();
    }

    /** One daemon thread at minimum priority with a short queue; samples beyond it are dropped. */
    private static Executor background() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16),
                r -> {
                    Thread t = new Thread(r, "lodestone-recall-sampler");
                    t.setDaemon(true);
                    t.setPriority(Thread.MIN_PRIORITY);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
