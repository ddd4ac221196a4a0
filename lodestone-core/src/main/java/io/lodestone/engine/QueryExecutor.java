package io.lodestone.engine;

import io.lodestone.cache.ParallelReads;
import io.lodestone.doc.DocId;
import io.lodestone.doc.IndexConfig;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.filter.Filter;
import io.lodestone.index.AcceptOrds;
import io.lodestone.index.ExactScorer;
import io.lodestone.index.TopOrds;
import io.lodestone.index.clustered.ClusteredIndex;
import io.lodestone.index.hnsw.HnswGraphSearcher;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a {@link Query} over a namespace snapshot: every source (segments and tail) is searched and the
 * per-source results are merged by (score, id). Vector ranking scans distances in SIMD blocks and
 * evaluates the filter lazily (only for rows whose distance could still enter the top k).
 */
final class QueryExecutor {
    private final NamespaceState.Snapshot snap;
    private final List<DocSource> sources;
    private final Query query;
    private final Filter filter;
    private final TextIndexes textIndexes;
    private final AnnIndexes annIndexes;
    private final Cancellation cancel;
    private final SearchTally tally;
    private int matchCalls;

    private QueryExecutor(NamespaceState.Snapshot snap, Query query, TextIndexes textIndexes, AnnIndexes annIndexes,
                          Cancellation cancel, SearchTally tally) {
        this.snap = snap;
        this.cancel = cancel;
        this.tally = tally;
        this.textIndexes = textIndexes;
        this.annIndexes = annIndexes;
        this.sources = snap.sources();
        this.query = query;
        this.filter = query.filter() == null ? null : query.filter().bind(snap.view().schema());
    }

    static QueryResult run(NamespaceState.Snapshot snap, Query query, TextIndexes textIndexes, AnnIndexes annIndexes,
                           Cancellation cancel, SearchTally tally) {
        return new QueryExecutor(snap, query, textIndexes, annIndexes, cancel, tally).run();
    }

    /** Throws once the query is cancelled or past its deadline; loops call it every so often. */
    void checkCancelled() {
        cancel.check();
    }

    /** An executor over the snapshot for the query, to call its parts ({@link #nearestIn}) directly. */
    static QueryExecutor over(NamespaceState.Snapshot snap, Query query, AnnIndexes annIndexes) {
        return new QueryExecutor(snap, query, null, annIndexes, Cancellation.NONE, new SearchTally());
    }

    TextIndexes textIndexes() {
        return textIndexes;
    }

    /** Whether the row passes the filter; every 256 evaluations also checks for cancellation. */
    boolean matches(DocSource src, int row) {
        if (filter == null) return true;
        if ((++matchCalls & 255) == 0) cancel.check();
        return filter.matches(new SourceRow(src, row));
    }

    private QueryResult run() {
        boolean readsAllAttributes = filter != null || !query.aggregateBy().isEmpty()
                || query.rankBy() == null || query.rankBy() instanceof Query.RankBy.Attribute;
        if (readsAllAttributes) prefetch(DocSource::prefetchAllAttributes);
        if (!query.aggregateBy().isEmpty()) return aggregate();
        return switch (query.rankBy()) {
            case Query.RankBy.Vector v -> rows(nearest(v, query.topK()), false);
            case Query.RankBy.Attribute a -> byAttribute(a.attribute(), a.descending());
            case Query.RankBy.Hybrid h -> rows(new HybridRanker(this).rank(h, query.topK()), true);
            case null -> byAttribute("id", false);
            default -> rows(new TextRanker(this).rank(query.rankBy(), query.topK()), true);
        };
    }

    /** Runs {@code read} on every source read by ranges, all at once. */
    private void prefetch(java.util.function.Consumer<DocSource> read) {
        List<Runnable> reads = new ArrayList<>();
        for (DocSource src : sources) if (!src.complete()) reads.add(() -> read.accept(src));
        if (!reads.isEmpty()) ParallelReads.run(reads, true);
    }

    /** Whether the answer carries attributes of its rows (else ids only: nothing of the rows is read). */
    private boolean readsRowAttributes() {
        Query.AttributeSelection sel = query.attributes();
        return sel.all() || !sel.include().isEmpty();
    }

    /**
     * Makes the first {@code n} hits' ids and attributes (and vectors when returned; ids only when no attribute is)
     * present at once, source by source.
     */
    private void prefetchRows(List<Hit> hits, int n) {
        boolean attributes = readsRowAttributes();
        Map<DocSource, List<Integer>> rowsBySource = null; // made only when a source is read by ranges
        for (Hit h : hits.subList(0, n)) {
            if (h.source().complete()) continue;
            if (rowsBySource == null) rowsBySource = new java.util.IdentityHashMap<>();
            rowsBySource.computeIfAbsent(h.source(), s -> new ArrayList<>()).add(h.row());
        }
        if (rowsBySource == null) return; // local files: nothing to fetch
        boolean vectors = query.attributes().includes("vector");
        List<Runnable> reads = new ArrayList<>();
        rowsBySource.forEach((src, rows) -> {
            int[] r = rows.stream().mapToInt(Integer::intValue).toArray();
            reads.add(attributes ? () -> src.prefetch(r, r.length, vectors) : () -> src.prefetchIds(r, r.length));
        });
        ParallelReads.run(reads, true);
    }

    /** Rows of the best {@code topK} hits; negated scores (text, fused) are reported as they are meant. */
    private QueryResult rows(List<Hit> hits, boolean negated) {
        int n = Math.min(hits.size(), query.topK());
        prefetchRows(hits, n);
        List<QueryResult.Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Hit h = hits.get(i);
            out.add(row(h.source(), h.row(), (double) (negated ? -h.score() : h.score())));
        }
        return new QueryResult(java.util.Collections.unmodifiableList(out), Map.of(), List.of());
    }

    DistanceMetric metric(Query.RankBy.Vector v) {
        DistanceMetric own = snap.view().metric();
        if (v.metric() == null || v.metric() == own) return own;
        if (v.approximate()) {
            throw new InvalidInputException("ANN uses the namespace's distance_metric " + own.wireName() + "; got "
                    + v.metric().wireName() + " (use kNN for another metric)");
        }
        return v.metric();
    }

    NamespaceState.Snapshot snapshot() {
        return snap;
    }

    List<DocSource> sources() {
        return sources;
    }

    /**
     * The {@code k} nearest live, matching rows over all sources, best first. ANN searches a segment's
     * graph unless the filter is selective (then the matches are scanned exactly); the tail and segments
     * without a graph are scanned.
     */
    List<Hit> nearest(Query.RankBy.Vector v, int k) {
        float[] q = v.vector();
        DistanceMetric metric = metric(v);
        int dims = snap.view().dims();
        if (dims == 0) throw new InvalidInputException("namespace has no vectors to rank by");
        if (q.length != dims) {
            throw new InvalidInputException("query vector has " + q.length + " dimensions; the namespace has " + dims);
        }
        float qn = VectorUtil.norm(q);
        // a NaN or infinite component makes the norm so: only then look for it (huge finite components overflow it too)
        if (!Float.isFinite(qn)) {
            for (float x : q) if (!Float.isFinite(x)) throw new InvalidInputException("query vector components must be finite; got " + x);
        }
        if (qn == 0 && metric == DistanceMetric.COSINE_DISTANCE) {
            throw new InvalidInputException("query vector is all zeros; cosine_distance is undefined for a zero vector");
        }
        if (v.approximate() && metric == snap.view().metric()) probeRemoteClusters(q, metric, k, v.ef());
        List<Hit> hits = new ArrayList<>();
        for (DocSource src : sources) {
            if (src.rowCount() == 0) continue; // an empty tail: nothing to rank
            hits.addAll(nearestIn(src, q, qn, metric, k, v.approximate(), v.ef()));
        }
        hits.sort(Hit.BY_SCORE_THEN_ID);
        return hits.size() > k ? hits.subList(0, k) : hits;
    }

    /**
     * The {@code k} nearest live, matching rows of one source, best first: by the segment's graph when
     * {@code approximate} and it has one (and the filter is not selective), else by an exact scan.
     * {@code ef} is the graph search width, 0 for the segment's default.
     */
    List<Hit> nearestIn(DocSource src, float[] q, float qn, DistanceMetric metric, int k, boolean approximate, int ef) {
        if (approximate && metric == snap.view().metric() && src instanceof SegmentSource s) {
            var ann = annOf(s, metric);
            // a segment probed ahead was already found not selective
            if (ann.isPresent() && (probed.containsKey(s) || !selective(s))) {
                return switch (ann.get()) {
                    case AnnIndexes.Graph g -> {
                        tally.graph(s.rowCount());
                        yield graphSearch(s, g, q, qn, metric, k, ef);
                    }
                    case AnnIndexes.Clustered c -> {
                        tally.clustered(s.rowCount());
                        yield clusteredSearch(s, c, q, qn, metric, k, ef);
                    }
                };
            }
        }
        tally.scanned(src.rowCount());
        return scan(src, q, qn, metric, k);
    }

    /** The segment's ANN index, of the kind the namespace builds looked for first. */
    Optional<AnnIndexes.Ann> annOf(SegmentSource s, DistanceMetric metric) {
        IndexConfig index = snap.view().index();
        return annIndexes.forSegment(s.segment, metric, index != null && index.clustered());
    }

    /** Searches begun ahead, for clustered segments read by ranges: see {@link #probeRemoteClusters}. */
    private Map<SegmentSource, Probed> probed = Map.of();

    /**
     * A clustered search begun ahead: the clusters probed and the rows selected to rerank, whose vectors are present;
     * {@code enough}: the probed postings held at least k accepted rows (the selection, narrowed across segments, may
     * hold fewer).
     */
    private record Probed(int[] clusters, ClusteredIndex.Selection selection, boolean enough) {
    }

    /**
     * For clustered segments read by ranges: probes each one here, makes every probed posting present in one
     * batch of ranged reads across the segments, selects each segment's rows to rerank, then makes all their
     * vectors present in a second batch (parallel on a remote store: two round trips, however many segments).
     * On a remote store the segments' ANN indexes are opened at once first.
     */
    private void probeRemoteClusters(float[] q, DistanceMetric metric, int k, int ef) {
        boolean remote = annIndexes.remote();
        if (remote) {
            List<Runnable> opens = new ArrayList<>(snap.segments().size());
            for (SegmentSource s : snap.segments()) if (s.segment.vectors() != null) opens.add(() -> annOf(s, metric));
            ParallelReads.run(opens, true);
        }
        record Probe(SegmentSource source, ClusteredIndex index, ClusteredIndex.PreparedQuery query, int[] clusters) {
        }
        List<Probe> probes = new ArrayList<>();
        for (SegmentSource s : snap.segments()) {
            if (!(annOf(s, metric).orElse(null) instanceof AnnIndexes.Clustered c) || c.complete() || selective(s)) continue;
            ClusteredIndex.PreparedQuery prepared = c.index().prepare(q); // rotated once, for the probe and the scoring
            probes.add(new Probe(s, c.index(), prepared, c.index().probe(prepared, probes(s, c, ef), ClusteredIndex.DEFAULT_PRUNE_EPSILON)));
        }
        if (probes.isEmpty()) return;
        List<Runnable> reads = new ArrayList<>(probes.size());
        for (Probe p : probes) reads.add(() -> p.index().ensurePostings(p.clusters()));
        ParallelReads.run(reads, remote);
        Map<SegmentSource, Probed> begun = new java.util.IdentityHashMap<>();
        List<ClusteredIndex.Selection> selections = new ArrayList<>(probes.size());
        for (Probe p : probes) {
            cancel.check();
            selections.add(p.index().select(p.query(), p.clusters(), k, accept(p.source())));
        }
        // Every reranked row is a request: only rows that may be among the k nearest of all segments are fetched.
        List<ClusteredIndex.Selection> narrowed = ClusteredIndex.narrowed(selections, k);
        List<Runnable> rows = new ArrayList<>(probes.size());
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            ClusteredIndex.Selection selected = narrowed.get(i);
            begun.put(p.source(), new Probed(p.clusters(), selected, selections.get(i).count() >= k));
            rows.add(() -> p.source().segment.vectors().ensureRows(selected.ords(), selected.count()));
            // the rows returned are among those reranked: their ids, and where their attributes lie, come in the same round trip
            rows.add(readsRowAttributes() ? () -> p.source().segment.prefetchRowOffsets(selected.ords(), selected.count())
                    : () -> p.source().segment.prefetchIds(selected.ords(), selected.count()));
        }
        ParallelReads.run(rows, remote);
        probed = begun;
    }

    /**
     * Postings to probe: {@code ef} when the query gives it; else the segment's tuned width, divided by the share of rows
     * the filter matches (sampled), so that a filtered probe meets about as many matching candidates as an unfiltered
     * one (debian-minilm, a filter matching 10%: recall@10 0.85 at the plain width; docs/benchmarks-ann.md).
     */
    private int probes(SegmentSource s, AnnIndexes.Clustered c, int ef) {
        if (ef > 0) return ef;
        int width = Math.max(1, c.tuning().ef());
        double share = Math.max(matchingFraction(s), SELECTIVE_FRACTION);
        return (int) Math.min(c.index().clusters(), Math.ceil(width / share));
    }

    /** The exact {@code k} nearest live, matching rows of a source, scanned in SIMD chunks. */
    private List<Hit> scan(DocSource src, float[] q, float qn, DistanceMetric metric, int k) {
        TopK top = new TopK(k, (a, b) -> src.id(a).compareTo(src.id(b)));
        if (!src.complete()) src.prefetchAllVectors();
        int rows = src.rowCount();
        float[] dist = new float[Math.min(DocTable.CHUNK_ROWS, rows)];
        for (int start = 0; start < rows; start += DocTable.CHUNK_ROWS) {
            int count = Math.min(DocTable.CHUNK_ROWS, rows - start);
            cancel.check();
            if (!anyLive(src, start, count)) continue;
            src.distances(metric, q, qn, start, count, dist);
            for (int i = 0; i < count; i++) {
                int row = start + i;
                if (!src.isLive(row) || !src.hasVector(row)) continue;
                float d = dist[i];
                if (Float.isNaN(d)) d = 1f; // cosine with a zero vector: defined as distance 1
                if (d <= top.threshold() && matches(src, row)) top.offer(d, row);
            }
        }
        TopK.Sorted sorted = top.sorted();
        List<Hit> hits = new ArrayList<>(sorted.rows().length);
        for (int i = 0; i < sorted.rows().length; i++) hits.add(new Hit(src, sorted.rows()[i], sorted.scores()[i]));
        return hits;
    }

    /** Graph searchers (visited set, heaps) shared by all query threads; request threads are never reused. */
    private static final ScratchPool<HnswGraphSearcher> SEARCHERS = ScratchPool.perCore(HnswGraphSearcher::new);
    /** Below this estimated fraction of matching rows, a filtered ANN query scans the matches exactly. */
    static final double SELECTIVE_FRACTION = 0.05;
    private static final int SELECTIVITY_SAMPLE = 256;

    /** Whether the filter matches so few rows of the segment that scanning them beats walking the graph. */
    private boolean selective(SegmentSource s) {
        return filter != null && matchingFraction(s) < SELECTIVE_FRACTION;
    }

    /** The filter's estimated share of the segment's rows, from a sample of evenly spaced rows (1 without a filter). */
    private double matchingFraction(SegmentSource s) {
        if (filter == null) return 1;
        Double known = matchingFractions.get(s);
        if (known != null) return known;
        int rows = s.rowCount(), n = Math.min(rows, SELECTIVITY_SAMPLE), matched = 0;
        for (int i = 0; i < n; i++) {
            int row = (int) ((long) i * rows / n);
            if (s.isLive(row) && matches(s, row)) matched++;
        }
        double fraction = n == 0 ? 1 : matched / (double) n;
        matchingFractions.put(s, fraction);
        return fraction;
    }

    /** {@link #matchingFraction} per segment, sampled once per query. */
    private final Map<SegmentSource, Double> matchingFractions = new java.util.IdentityHashMap<>();

    private List<Hit> graphSearch(SegmentSource s, AnnIndexes.Graph ann, float[] q, float qn, DistanceMetric metric, int k,
                                  int ef) {
        int width = Math.max(k, ef > 0 ? ef : Math.max(2 * k, ann.tuning().ef()));
        ExactScorer exact = ann.exactFor(q);
        HnswGraphSearcher searcher = SEARCHERS.borrow();
        TopOrds top;
        try {
            top = ann.codes() == null
                    ? searcher.search(ann.graph(), exact, k, width, accept(s))
                    : searcher.search(ann.graph(), ann.traversal(q), exact, k, width, accept(s));
        } finally {
            SEARCHERS.release(searcher);
        }
        return hits(s, top, q, qn, metric);
    }

    /** Probes the nearest clusters ({@code ef} of them, or the segment's tuned default), then reranks exactly. */
    private List<Hit> clusteredSearch(SegmentSource s, AnnIndexes.Clustered ann, float[] q, float qn, DistanceMetric metric,
                                      int k, int ef) {
        Probed ahead = probed.get(s);
        int[] clusters;
        ClusteredIndex index = ann.index();
        AcceptOrds accept = accept(s);
        ExactScorer exact = ann.exactFor(q);
        TopOrds top;
        if (ahead != null) {
            clusters = ahead.clusters();
            top = index.rerank(ahead.selection(), exact, k);
            if (ahead.enough()) return hits(s, top, q, qn, metric);
        } else {
            clusters = index.probe(q, probes(s, ann, ef));
            index.ensurePostings(clusters);
            cancel.check();
            top = index.search(q, clusters, k, accept, exact);
        }
        // A filter or deletes may leave fewer than k rows in the probed postings: probe 4 times wider (without
        // pruning), up to every posting, so that k come back whenever the segment has k.
        while (top.size() < k && accept != null && clusters.length < index.clusters()) {
            clusters = index.probe(index.prepare(q), Math.min(index.clusters(), 4 * clusters.length), Float.POSITIVE_INFINITY);
            index.ensurePostings(clusters);
            cancel.check();
            top = index.search(q, clusters, k, accept, exact);
        }
        return hits(s, top, q, qn, metric);
    }

    /** Rows an index may return: live and matching; null when that is every row. */
    private AcceptOrds accept(SegmentSource s) {
        boolean allLive = s.deleted.isEmpty() && s.masked.isEmpty();
        return allLive && filter == null ? null : ord -> s.isLive(ord) && matches(s, ord);
    }

    /** An index's results as hits, with the same distances an exact scan reports. */
    private static List<Hit> hits(SegmentSource s, TopOrds top, float[] q, float qn, DistanceMetric metric) {
        List<Hit> out = new ArrayList<>(top.size());
        float[] d = new float[top.size()];
        s.distancesOf(metric, q, qn, top.ords(), top.size(), d);
        for (int i = 0; i < top.size(); i++) out.add(new Hit(s, top.ords()[i], Float.isNaN(d[i]) ? 1f : d[i]));
        return out;
    }

    private static boolean anyLive(DocSource src, int start, int count) {
        for (int r = start; r < start + count; r++) if (src.isLive(r)) return true;
        return false;
    }

    private QueryResult byAttribute(String attribute, boolean descending) {
        List<Hit> hits = new ArrayList<>();
        for (DocSource src : sources) {
            for (int r = 0; r < src.rowCount(); r++) {
                if ((r & 4095) == 0) cancel.check();
                if (src.isLive(r) && matches(src, r)) hits.add(new Hit(src, r, 0));
            }
        }
        Comparator<Object> values = descending ? QueryExecutor::compareDescending : AttributeOrder.VALUES;
        Comparator<Hit> order = Comparator.<Hit, Object>comparing(h -> sortKey(h.source(), h.row(), attribute), values)
                .thenComparing(h -> h.source().id(h.row()));
        List<Hit> best = hits.stream().sorted(order).limit(query.topK()).toList();
        prefetchRows(best, best.size());
        List<QueryResult.Row> out = best.stream().map(h -> row(h.source(), h.row(), null)).toList();
        return new QueryResult(out, Map.of(), List.of());
    }

    /** Descending order that still puts missing values last. */
    private static int compareDescending(Object a, Object b) {
        if (a == null || b == null) return AttributeOrder.compare(a, b);
        return AttributeOrder.compare(b, a);
    }

    private static Object sortKey(DocSource src, int row, String attribute) {
        return attribute.equals("id") ? src.id(row) : src.attributes(row).get(attribute);
    }

    private QueryResult aggregate() {
        Map<List<Object>, long[]> groups = new LinkedHashMap<>();
        for (DocSource src : sources) {
            for (int r = 0; r < src.rowCount(); r++) {
                if ((r & 4095) == 0) cancel.check();
                if (!src.isLive(r) || !matches(src, r)) continue;
                List<Object> key = new ArrayList<>(query.groupBy().size());
                for (String g : query.groupBy()) key.add(sortKey(src, r, g));
                groups.computeIfAbsent(key, k -> new long[1])[0]++;
            }
        }
        if (query.groupBy().isEmpty()) {
            long count = groups.isEmpty() ? 0 : groups.values().iterator().next()[0];
            Map<String, Object> aggs = new LinkedHashMap<>();
            query.aggregateBy().keySet().forEach(name -> aggs.put(name, count));
            return new QueryResult(List.of(), aggs, List.of());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        groups.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .limit(query.topK())
                .forEach(e -> {
                    Map<String, Object> g = new LinkedHashMap<>();
                    for (int i = 0; i < query.groupBy().size(); i++) g.put(query.groupBy().get(i), e.getKey().get(i));
                    query.aggregateBy().keySet().forEach(name -> g.put(name, e.getValue()[0]));
                    out.add(g);
                });
        return new QueryResult(List.of(), Map.of(), out);
    }

    private QueryResult.Row row(DocSource src, int r, Double distance) {
        Query.AttributeSelection sel = query.attributes();
        Map<String, Object> attrs = Map.of();
        if (sel.all() || !sel.include().isEmpty()) { // nothing to decode (or allocate) when no attribute is asked for
            attrs = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : src.attributes(r).entrySet()) {
                if (sel.includes(e.getKey())) attrs.put(e.getKey(), e.getValue());
            }
        }
        float[] vector = sel.includes("vector") ? src.vector(r) : null;
        DocId id = src.id(r);
        return new QueryResult.Row(id, distance, vector, attrs);
    }
}
