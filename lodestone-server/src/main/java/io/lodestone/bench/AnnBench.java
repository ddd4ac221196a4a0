package io.lodestone.bench;

import io.lodestone.codec.FrameOutput;
import io.lodestone.codec.MappedFrame;
import io.lodestone.engine.QueryScheduler;
import io.lodestone.index.ArrayVectorValues;
import io.lodestone.index.ExactScorer;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.index.FloatVectorValues;
import io.lodestone.index.TopOrds;
import io.lodestone.index.clustered.ClusteredIndex;
import io.lodestone.index.clustered.ClusteredIndexWriter;
import io.lodestone.index.clustered.ClusteredParams;
import io.lodestone.index.clustered.RangeEnsurer;
import io.lodestone.index.hnsw.HnswGraph;
import io.lodestone.index.hnsw.HnswGraphBuilder;
import io.lodestone.index.hnsw.HnswGraphSearcher;
import io.lodestone.index.hnsw.HnswParams;
import io.lodestone.index.hnsw.OffHeapHnswGraph;
import io.lodestone.quant.Int8Vectors;
import io.lodestone.quant.ScalarQuantizer;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lodestone bench ann}: builds an HNSW index over a TEXMEX dataset ({@code base.fvecs},
 * {@code query.fvecs}, {@code groundtruth.ivecs}) and prints, for each {@code ef}, one JSON line:
 * recall@10 against the first 10 ground-truth ids, single-thread QPS, QPS on all threads, build
 * seconds, index bytes per vector and the process RSS. With {@code --path direct --index clustered}
 * (or {@code hnsw,clustered}, both in one run) it also builds a clustered index
 * ({@code io.lodestone.index.clustered}) into a framed temporary file, maps it and prints one line
 * per {@code --nprobe}: the same figures, with resident and file bytes per vector.
 *
 * <p>Timing follows the peer protocol ({@code shared/bench/README.md}): per ef, untimed passes over
 * all queries for at least {@code --warmup-s} seconds, then {@code --runs} timed runs of whole
 * passes lasting at least {@code --run-s} seconds each; {@code qps_1t} is the median run. One query
 * per call, on one thread. {@code qps_all_threads} runs the same passes on {@code --threads}
 * threads at once (the queries split between them), median of the runs. Context goes to stderr.
 */
@Command(name = "ann", description = "HNSW (one JSON line per ef) and clustered (one per nprobe) recall@10 and QPS"
        + " on a TEXMEX dataset.")
final class AnnBench implements Callable<Integer> {

    private static final int K = 10;
    /** The engine's quantizer training sample and seed (GraphIndexer), so build codes match a segment's. */
    private static final int INT8_TRAINING_SAMPLE = 20_000;
    private static final long INT8_SEED = 42;

    @Option(names = "--dataset", required = true, description = "directory with base.fvecs, query.fvecs, groundtruth.ivecs")
    Path dataset;
    @Option(names = "--metric", description = "cosine_distance | euclidean_squared | dot_product (default: meta.json, else cosine)")
    String metric;
    @Option(names = "--quantization", defaultValue = "none", description = "none (sq8, pq, rabitq: not yet)")
    String quantization;
    @Option(names = "--m", defaultValue = "16")
    int m;
    @Option(names = "--ef-construction", defaultValue = "200")
    int efConstruction;
    @Option(names = "--ef", defaultValue = "10,20,40,80,160,320", split = ",")
    List<Integer> efs;
    @Option(names = "--threads", defaultValue = "2", description = "build threads, and query threads for qps_all_threads")
    int threads;
    @Option(names = "--seed", defaultValue = "42")
    long seed;
    @Option(names = "--nq", defaultValue = "0", description = "use the first N queries (0: all with ground truth)")
    int nq;
    @Option(names = "--warmup-s", defaultValue = "2")
    double warmupS;
    @Option(names = "--runs", defaultValue = "3")
    int runs;
    @Option(names = "--run-s", defaultValue = "1")
    double runS;
    @Option(names = "--vectors", defaultValue = "heap",
            description = "heap: a float[]; mmap: a little-endian float32 file mapped with java.lang.foreign")
    String vectors;
    @Option(names = "--graph", defaultValue = "heap",
            description = "heap: the built graph; offheap: written with HnswGraphWriter, mapped, read in place")
    String graphStorage;
    @Option(names = "--graph-file", hidden = true,
            description = "development: load the graph from this file if it exists (build_s is then -1), else build and save it")
    Path graphFile;
    @Option(names = "--build-scoring", defaultValue = "int8-search",
            description = "int8-search: the builder's neighbour searches on int8 codes, neighbour selection on floats"
                    + " (the codes are dropped after the build unless --quantization sq8); exact: floats throughout;"
                    + " int8: codes throughout")
    String buildScoring;
    @Option(names = "--path", defaultValue = "engine",
            description = "engine: build through the server's write and indexing path and search with Namespace.query;"
                    + " direct: build and search the graph in memory (a diagnostic of the index alone);"
                    + " paired: build through the engine, then per ef alternate timed runs of Namespace.query and of a bare"
                    + " graph search over the same segment files (what the engine path adds per query, in one process)")
    String path;
    @Option(names = "--consistency", defaultValue = "strong",
            description = "engine path: strong (each query probes the log for newer writes first, as the server does"
                    + " by default) or eventual (no probe)")
    String consistency;
    @Option(names = "--caller", defaultValue = "platform",
            description = "paired path: the thread that calls Namespace.query: platform (an embedding program's thread;"
                    + " the query runs on it) or virtual (as the server's request threads; the query is handed to the"
                    + " query threads). Use the wall clock with virtual")
    String caller;
    @Option(names = "--index", defaultValue = "hnsw", split = ",",
            description = "direct path: hnsw (float32 graph), clustered (SPANN-style postings of RaBitQ codes, exact"
                    + " rerank), or both (hnsw,clustered) one after the other on the same data")
    List<String> indexes;
    @Option(names = "--nprobe", defaultValue = "8,16,32,64", split = ",",
            description = "clustered: clusters probed per query (before query-aware pruning)")
    List<Integer> nprobes;
    @Option(names = "--posting-size", defaultValue = "128", description = "clustered: target rows per posting")
    int postingSize;
    @Option(names = "--replicas", defaultValue = "4", description = "clustered: most postings a row is stored in")
    int replicas;
    @Option(names = "--closure-epsilon", description = "clustered: closure assignment factor (default: the index's)")
    Float closureEpsilon;
    @Option(names = "--prune-epsilon", description = "clustered: query-aware pruning factor (default: the index's)")
    Float pruneEpsilon;
    @Option(names = "--code-bits", defaultValue = "1", description = "clustered: RaBitQ bits per dimension")
    int codeBits;
    @Option(names = "--clock", defaultValue = "wall",
            description = "wall (the protocol) or cpu: qps_1t from the thread's CPU time, a diagnostic on loaded machines")
    String clock;

    @Override
    public Integer call() throws Exception {
        DistanceMetric distance = DistanceMetric.parse(metric != null ? metric : metricFromMeta(dataset));
        if (path.equals("paired") && !quantization.equals("none")) {
            System.err.println("error: --path paired compares float32 searches; use --quantization none");
            return 2;
        }
        if (caller.equals("virtual") && clock.equals("cpu")) {
            // the query runs on a query thread: the calling thread's CPU clock would count only its waiting
            System.err.println("error: --caller virtual needs --clock wall");
            return 2;
        }
        if (!caller.equals("virtual") && !caller.equals("platform")) {
            System.err.println("error: --caller must be platform or virtual; got " + caller);
            return 2;
        }
        if (path.equals("engine") || path.equals("paired")) {
            if (indexes.size() != 1 || (path.equals("paired") && !indexes.getFirst().equals("hnsw"))
                    || !io.lodestone.doc.IndexConfig.TYPES.contains(indexes.getFirst())) {
                System.err.println("error: --path engine takes one --index (hnsw or clustered), --path paired only hnsw; got "
                        + indexes);
                return 2;
            }
            return runThroughEngine(distance);
        }
        for (String index : indexes) {
            if (!index.equals("hnsw") && !index.equals("clustered")) {
                System.err.println("error: --index must be hnsw, clustered or both (hnsw,clustered); got " + index);
                return 2;
            }
        }
        if (!quantization.equals("none") && !quantization.equals("sq8")) {
            System.err.println("error: --quantization " + quantization
                    + " is not supported yet by bench ann; use none (float32) or sq8 (int8 traversal, float rerank)");
            return 2;
        }
        TexmexFiles.FloatRows base = TexmexFiles.readFvecs(dataset.resolve("base.fvecs"), Integer.MAX_VALUE);
        TexmexFiles.IntRows truth = TexmexFiles.readIvecs(dataset.resolve("groundtruth.ivecs"), Integer.MAX_VALUE);
        int queryLimit = nq > 0 ? Math.min(nq, truth.count()) : truth.count();
        TexmexFiles.FloatRows queryRows = TexmexFiles.readFvecs(dataset.resolve("query.fvecs"), queryLimit);
        if (queryRows.dim() != base.dim()) {
            throw new IllegalArgumentException("query dimension " + queryRows.dim() + " != base dimension " + base.dim());
        }
        if (truth.dim() < K) {
            throw new IllegalArgumentException("ground truth has " + truth.dim() + " ids per query; need " + K);
        }
        float[][] queries = new float[queryRows.count()][];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = Arrays.copyOfRange(queryRows.data(), i * base.dim(), (i + 1) * base.dim());
        }
        HnswParams params = new HnswParams(m, efConstruction, seed);
        System.err.printf(Locale.ROOT, "# lodestone ann: dataset=%s n=%d dim=%d nq=%d metric=%s m=%d efC=%d"
                        + " build_threads=%d kernels=%s warmup>=%.1fs runs=%d x >=%.1fs (qps_1t = median run)%n",
                dataset, base.count(), base.dim(), queries.length, distance.wireName(), m, efConstruction, threads,
                VectorUtil.implementationName(), warmupS, runs, runS);

        Arena arena = Arena.ofShared();
        FloatVectorValues values = vectors.equals("mmap")
                ? IndexFiles.mapVectors(base.data(), base.dim(), arena)
                : ArrayVectorValues.wrap(base.data(), base.dim());
        for (String index : indexes) {
            if (index.equals("hnsw")) {
                runHnsw(values, distance, params, arena, queries, truth);
            } else {
                runClustered(values, distance, queries, truth);
            }
        }
        return 0;
    }

    /** The direct path's HNSW lines. */
    private void runHnsw(FloatVectorValues values, DistanceMetric distance, HnswParams params, Arena arena,
                         float[][] queries, TexmexFiles.IntRows truth) throws Exception {
        boolean sq8 = quantization.equals("sq8");
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        AnnIndex index;
        double buildS;
        if (graphFile != null && Files.exists(graphFile)) {
            index = new AnnIndex(IndexFiles.mapGraph(graphFile, arena), FloatVectorScorerSupplier.create(distance, values),
                    sq8 ? int8Codes(distance, values) : null);
            buildS = -1;
        } else {
            index = buildIndex(values, distance, params, threads, sq8, buildScoring);
            buildS = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "# build: %.2f s wall, %.2f s process CPU, %d levels%n", buildS,
                    (processCpuNanos() - cpu0) / 1e9, index.graph().numLevels());
            if (graphFile != null) {
                IndexFiles.writeGraph(index.graph(), graphFile);
            }
        }
        if (graphStorage.equals("offheap") && !(index.graph() instanceof OffHeapHnswGraph)) {
            Path tmp = Files.createTempFile("lodestone-ann", ".hnsw");
            tmp.toFile().deleteOnExit();
            IndexFiles.writeGraph(index.graph(), tmp);
            index = new AnnIndex(IndexFiles.mapGraph(tmp, arena), index.scorers(), index.codes());
        }
        System.err.printf(Locale.ROOT, "# vectors: %s, graph: %s%n", values.getClass().getSimpleName(),
                index.graph().getClass().getSimpleName());

        report(index, queries, truth, buildS);
    }

    /** The direct path's clustered lines: built into a framed temporary file, mapped, one line per nprobe. */
    private void runClustered(FloatVectorValues values, DistanceMetric distance, float[][] queries,
                              TexmexFiles.IntRows truth) throws Exception {
        ClusteredParams defaults = ClusteredParams.defaults();
        ClusteredParams params = new ClusteredParams(postingSize, replicas,
                closureEpsilon != null ? closureEpsilon : defaults.closureEpsilon(), codeBits, seed);
        float prune = pruneEpsilon != null ? pruneEpsilon : ClusteredIndex.DEFAULT_PRUNE_EPSILON;
        Path file = Files.createTempFile("lodestone-ann", ".clustered");
        file.toFile().deleteOnExit();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        try (FrameOutput out = FrameOutput.create(file, "bench-clustered", 1)) {
            ClusteredIndexWriter.write(values, distance, params, threads, out);
            out.finish();
        }
        double buildS = (System.nanoTime() - t0) / 1e9;
        try (MappedFrame frame = MappedFrame.open(file, file.toString(), "bench-clustered", 1, 1)) {
            ClusteredIndex index = ClusteredIndex.open(frame.body(), RangeEnsurer.NONE, file.toString());
            long entries = 0;
            for (int c = 0; c < index.clusters(); c++) {
                entries += index.postingSize(c);
            }
            System.err.printf(Locale.ROOT, "# clustered build: %.2f s wall, %.2f s process CPU; %s, %d clusters,"
                            + " %.2f postings per row, prune epsilon %.2f%n", buildS,
                    (processCpuNanos() - cpu0) / 1e9, params, index.clusters(), (double) entries / values.size(), prune);
            double fileBytesPerVector = (double) Files.size(file) / values.size();
            FloatVectorScorerSupplier scorers = FloatVectorScorerSupplier.create(distance, values);
            ClusteredSearch search = new ClusteredSearch(index, scorers, prune);
            for (int nprobe : nprobes) {
                Measured m = measure(search, queries, truth, nprobe);
                System.out.printf(Locale.ROOT, "{\"index\": \"clustered\", \"posting_size\": %d, \"replicas\": %d, "
                                + "\"closure_epsilon\": %.2f, \"prune_epsilon\": %.2f, \"code_bits\": %d, \"nprobe\": %d, "
                                + "\"recall_at_10\": %.4f, \"qps_1t\": %.1f, \"qps_all_threads\": %.1f, \"build_s\": %.2f, "
                                + "\"resident_bytes_per_vector\": %.1f, \"file_bytes_per_vector\": %.1f, \"rss_mb\": %.0f}%n",
                        postingSize, replicas, params.closureEpsilon(), prune, codeBits, nprobe, m.recall(), m.qps1t(),
                        m.qpsAll(), buildS, search.bytesPerVector(), fileBytesPerVector, rssMb());
                System.out.flush();
            }
        }
    }

    /** A clustered index searched as the engine would: probe, one ensure, search with the exact scorer. */
    record ClusteredSearch(ClusteredIndex index, FloatVectorScorerSupplier scorers, float pruneEpsilon)
            implements Searchable {

        /** {@code ef} is nprobe here. */
        @Override
        public void search(HnswGraphSearcher searcher, float[] query, int ef, int[] ids, float[] distances) {
            ClusteredIndex.PreparedQuery q = index.prepare(query);
            int[] clusters = index.probe(q, ef, pruneEpsilon);
            index.ensurePostings(clusters);
            TopOrds top = index.search(q, clusters, K, null, scorers.forQuery(query));
            System.arraycopy(top.ords(), 0, ids, 0, top.size());
            Arrays.fill(ids, top.size(), K, -1);
        }

        /** What stays in memory to serve: centroids (and their int8 copies), directory, centroid graph, rotation. */
        @Override
        public double bytesPerVector() {
            return (double) index.residentBytes() / index.size();
        }
    }

    /** One setting's recall and throughput under the protocol. */
    record Measured(double recall, double qps1t, double qpsAll) {
    }

    /** Warm-up, timed single-thread runs (median), then all threads. */
    private Measured measure(Searchable index, float[][] queries, TexmexFiles.IntRows truth, int ef) throws Exception {
        QueryRunner runner = new QueryRunner(index, queries, ef);
        boolean cpu = clock.equals("cpu");
        runner.runFor(warmupS, cpu);
        double[] qps = new double[runs];
        for (int r = 0; r < runs; r++) {
            qps[r] = runner.runFor(runS, cpu);
        }
        double recall = recall(runner.lastIds(), truth);
        double qpsAll = QueryRunner.parallelQps(index, queries, ef, threads, runs, runS);
        return new Measured(recall, median(qps), qpsAll);
    }

    /** The protocol over an index built and searched through the engine (any quantization). */
    private int runThroughEngine(DistanceMetric distance) throws Exception {
        TexmexFiles.FloatRows base = TexmexFiles.readFvecs(dataset.resolve("base.fvecs"), Integer.MAX_VALUE);
        TexmexFiles.IntRows truth = TexmexFiles.readIvecs(dataset.resolve("groundtruth.ivecs"), Integer.MAX_VALUE);
        int queryLimit = nq > 0 ? Math.min(nq, truth.count()) : truth.count();
        TexmexFiles.FloatRows queryRows = TexmexFiles.readFvecs(dataset.resolve("query.fvecs"), queryLimit);
        float[][] queries = new float[queryRows.count()][];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = Arrays.copyOfRange(queryRows.data(), i * base.dim(), (i + 1) * base.dim());
        }
        System.err.printf(Locale.ROOT, "# lodestone ann (engine path): dataset=%s n=%d dim=%d nq=%d metric=%s m=%d efC=%d"
                        + " quantization=%s consistency=%s kernels=%s build threads=all cores%n", dataset, base.count(),
                base.dim(), queries.length, distance.wireName(), m, efConstruction, quantization, consistency,
                VectorUtil.implementationName());
        long t0 = System.nanoTime();
        try (EngineAnnIndex index = EngineAnnIndex.build(base.data(), base.dim(), distance,
                new io.lodestone.doc.IndexConfig(m, efConstruction, quantization, indexes.getFirst()), consistency.equals("eventual"))) {
            double buildS = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "# build (log writes + fold + graph%s): %.2f s%n",
                    quantization.equals("none") ? "" : " + codes", buildS);
            if (path.equals("paired")) reportPaired(index, index.segmentIndex(distance), queries, truth);
            else report(index, queries, truth, buildS);
        }
        return 0;
    }

    /**
     * Per ef, timed runs of the engine path and of the bare index over the same segment, alternated so a
     * drifting machine affects both alike; {@code ratio} is the median of the per-pair QPS ratios. With a virtual
     * caller, also how the timed hand-offs went: how many the waiter caught spinning, and spins the budget refused.
     */
    private void reportPaired(EngineAnnIndex engine, Searchable direct, float[][] queries, TexmexFiles.IntRows truth) {
        boolean cpu = clock.equals("cpu");
        for (int ef : efs) {
            QueryRunner e = new QueryRunner(engine, queries, ef), d = new QueryRunner(direct, queries, ef);
            runEngine(e, warmupS, cpu);
            d.runFor(warmupS, cpu);
            double[] qe = new double[runs], qd = new double[runs], ratio = new double[runs];
            QueryScheduler.HandOffCounts before = engine.handOffs();
            for (int r = 0; r < runs; r++) {
                qe[r] = runEngine(e, runS, cpu);
                qd[r] = d.runFor(runS, cpu);
                ratio[r] = qe[r] / qd[r];
            }
            QueryScheduler.HandOffCounts h = engine.handOffs().minus(before);
            System.out.printf(Locale.ROOT, "{\"path\": \"paired\", \"caller\": \"%s\", \"consistency\": \"%s\", \"ef\": %d, "
                            + "\"recall_at_10_engine\": %.4f, \"recall_at_10_direct\": %.4f, \"qps_1t_engine\": %.1f, "
                            + "\"qps_1t_direct\": %.1f, \"engine_over_direct\": %.3f, \"clock\": \"%s\", \"hand_offs\": %d, "
                            + "\"caught_spinning\": %d, \"spins_refused_others_busy\": %d, \"spins_refused_no_free_core\": %d}%n",
                    caller, consistency, ef, recall(e.lastIds(), truth), recall(d.lastIds(), truth), median(qe), median(qd),
                    median(ratio), clock, h.handOffs(), h.caughtSpinning(), h.refusedOthersBusy(), h.refusedNoFreeCore());
            System.out.flush();
        }
    }

    /** Times the engine path on the {@code --caller} kind of thread. */
    private double runEngine(QueryRunner engine, double seconds, boolean cpu) {
        if (!caller.equals("virtual")) return engine.runFor(seconds, cpu);
        double[] qps = new double[1];
        try {
            Thread.ofVirtual().start(() -> qps[0] = engine.runFor(seconds, cpu)).join();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        return qps[0];
    }

    /** Runs every ef and prints one JSON line each. */
    private void report(Searchable index, float[][] queries, TexmexFiles.IntRows truth, double buildS) throws Exception {
        String type = indexes.getFirst();
        // the clustered index's width is the postings it probes: --nprobe gives the engine query's ef
        for (int ef : type.equals("clustered") ? nprobes : efs) {
            Measured m = measure(index, queries, truth, ef);
            // HNSW's build settings only on HNSW lines: the clustered index does not use them
            String settings = type.equals("clustered") ? "" : String.format(Locale.ROOT,
                    "\"quantization\": \"%s\", \"m\": %d, \"ef_construction\": %d, ", quantization, this.m, efConstruction);
            System.out.printf(Locale.ROOT, "{\"index\": \"%s\", %s\"ef\": %d, \"recall_at_10\": %.4f, \"qps_1t\": %.1f, "
                            + "\"qps_all_threads\": %.1f, \"build_s\": %.2f, \"bytes_per_vector\": %.1f, \"rss_mb\": %.0f}%n",
                    type, settings, ef, m.recall(), m.qps1t(), m.qpsAll(), buildS, index.bytesPerVector(), rssMb());
            System.out.flush();
        }
    }

    /** Builds the index the direct path searches. */
    static AnnIndex buildIndex(FloatVectorValues vectors, DistanceMetric metric, HnswParams params, int threads,
                               boolean sq8, String buildScoring) {
        FloatVectorScorerSupplier scorers = FloatVectorScorerSupplier.create(metric, vectors);
        String mode = buildScoring;
        Int8Vectors codes = sq8 || !mode.equals("exact") ? int8Codes(metric, vectors) : null;
        HnswGraph graph = switch (mode) {
            case "exact" -> HnswGraphBuilder.build(scorers, params, threads);
            case "int8-search" -> HnswGraphBuilder.build(scorers, codes, params, threads);
            case "int8" -> HnswGraphBuilder.build(codes, params, threads);
            default -> throw new IllegalArgumentException("--build-scoring " + buildScoring);
        };
        return new AnnIndex(graph, scorers, sq8 ? codes : null);
    }

    /** int8 codes of every vector, the quantizer trained as the engine trains it (same sample size and seed). */
    static Int8Vectors int8Codes(DistanceMetric metric, FloatVectorValues vectors) {
        ScalarQuantizer int8 = ScalarQuantizer.Config.AUTO.train(metric,
                Int8Vectors.sample(vectors, INT8_TRAINING_SAMPLE, INT8_SEED), INT8_SEED);
        return Int8Vectors.encode(int8, vectors);
    }

    /** What the benchmark searches: an index built through the engine, or built directly (diagnostics). */
    interface Searchable {
        /** The top-{@link #K} ordinals (row numbers of base.fvecs) for {@code query} into {@code ids}, -1 padded. */
        void search(HnswGraphSearcher searcher, float[] query, int ef, int[] ids, float[] distances);

        /** Bytes held in memory per vector to search: graph plus the vectors or codes traversal reads. */
        double bytesPerVector();
    }

    /** The graph, the exact scorers and, with sq8, the traversal codes. */
    record AnnIndex(HnswGraph graph, FloatVectorScorerSupplier scorers, Int8Vectors codes) implements Searchable {

        /** The top-{@link #K} ordinals for {@code query} into {@code ids}. */
        @Override
        public void search(HnswGraphSearcher searcher, float[] query, int ef, int[] ids, float[] distances) {
            ExactScorer scorer = scorers.forQuery(query);
            if (codes != null) {
                TopOrds top = searcher.search(graph, codes.scorer(query), scorer, K, ef, null);
                System.arraycopy(top.ords(), 0, ids, 0, top.size());
                Arrays.fill(ids, top.size(), K, -1);
                return;
            }
            int n = searcher.search(graph, scorer, K, ef, null, ids, distances);
            Arrays.fill(ids, n, K, -1);
        }

        /** Vector bytes plus graph bytes (as {@code HnswGraphWriter} lays them out), per vector. */
        @Override
        public double bytesPerVector() {
            int n = graph.size();
            long vectorBytes = (4L * scorers.values().dimension() + (codes != null ? codes.bytesPerVector() : 0)) * n;
            long graphBytes = 4L * (1 + graph.maxConn(0)) * n;
            for (int level = 1; level < graph.numLevels(); level++) {
                graphBytes += 4L * (1 + graph.maxConn(level) + 1) * graph.nodesOnLevel(level).length;
            }
            return n == 0 ? 0 : (double) (vectorBytes + graphBytes) / n;
        }
    }

    private static double recall(int[] ids, TexmexFiles.IntRows truth) {
        int nq = ids.length / K;
        long hits = 0;
        for (int q = 0; q < nq; q++) {
            Set<Integer> expected = new HashSet<>();
            for (int j = 0; j < K; j++) {
                expected.add(truth.data()[q * truth.dim() + j]);
            }
            for (int j = 0; j < K; j++) {
                if (expected.contains(ids[q * K + j])) {
                    hits++;
                }
            }
        }
        return nq == 0 ? 0 : (double) hits / ((double) K * nq);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int h = v.length / 2;
        return v.length % 2 == 1 ? v[h] : (v[h - 1] + v[h]) / 2;
    }

    private static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Double.parseDouble(line.substring(6).replace("kB", "").strip()) / 1024.0;
                }
            }
        } catch (Exception e) {
            // not Linux: no figure
        }
        return -1;
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The {@code metric} of a dataset's {@code meta.json}; cosine when there is none. */
    static String metricFromMeta(Path dataset) {
        try {
            Matcher mm = Pattern.compile("\"metric\"\\s*:\\s*\"([A-Za-z0-9_]+)\"")
                    .matcher(Files.readString(dataset.resolve("meta.json")));
            if (mm.find()) {
                return mm.group(1);
            }
        } catch (Exception e) {
            // no meta.json: default below
        }
        return "cosine_distance";
    }
}
