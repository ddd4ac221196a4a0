package io.lodestone.engine;

import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;
import io.lodestone.doc.IndexConfig;
import io.lodestone.cache.ParallelReads;
import io.lodestone.codec.FrameOutput;
import io.lodestone.codec.MappedFrame;
import io.lodestone.index.ArrayVectorValues;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.index.TopOrds;
import io.lodestone.index.clustered.ClusteredIndex;
import io.lodestone.index.clustered.ClusteredIndexWriter;
import io.lodestone.index.clustered.ClusteredParams;
import io.lodestone.index.clustered.RangeEnsurer;
import io.lodestone.store.MemoryObjectStore;
import io.lodestone.store.ObjectStore;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.vector.DistanceMetric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Runs the query paths a server's first requests take, on a small private namespace, so that the JIT has compiled
 * them before a user's query arrives. On 1M × 768 behind 100 ms per request, a fresh process spent a third or more
 * of its first clustered answer in CPU between round trips: the SIMD kernels (the Vector API) run uncompiled at a
 * small fraction of their compiled speed, and so does the S3 client.
 *
 * <p>The namespaces live in a {@link MemoryObjectStore}, which the engine reads by ranges as it reads a remote
 * store, so each round opens the segments cold through the same sparse cache files, ranged reads and block checks
 * as a query on S3 does. One HNSW and one clustered namespace are written and indexed once; then each round opens
 * them with a fresh engine and runs ANN (with and without a filter), exact kNN and BM25 queries, until the time
 * budget is spent. First, a clustered index with more clusters than a flat probe scans is built and searched
 * directly, for the centroid-graph probe of large namespaces. Nothing touches the server's store or its cache
 * directory.
 */
public final class WarmUp {
    /** Rows per namespace: enough for several clusters and a graph with layers. */
    static final int ROWS = 4_000;
    /** Dimensions of the HNSW namespace and of the centroid-graph index. */
    static final int DIMS = 96;
    /**
     * Dimensions of the clustered namespace: wider than one SIMD register's worth of code words (the bit kernels take
     * another loop past 256 dimensions on AVX2, 512 on AVX-512), which 96 never reaches. A 1M × 768 first answer spent
     * 350 ms scoring its postings in that loop uncompiled when only 96 dimensions had been warmed.
     */
    static final int CLUSTERED_DIMS = 768;
    private static final int QUERIES_PER_KIND = 40;
    private static final String[] WORDS = {"river", "stone", "magnet", "north", "iron", "compass", "field", "storm",
            "harbor", "signal", "lantern", "ridge", "anchor", "valley", "copper", "beacon"};

    /**
     * What a warm-up did.
     *
     * @param rounds  fresh engines opened over the written namespaces
     * @param queries queries answered, all kinds together
     * @param elapsed wall time, writing and indexing included
     */
    public record Report(int rounds, int queries, Duration elapsed) {
    }

    private WarmUp() {
    }

    /** More warm-up work of the caller's (the server's HTTP path), run with a directory of its own; returns the requests it made. */
    @FunctionalInterface
    public interface Extra {
        int run(Path dir) throws IOException, InterruptedException;
    }

    /**
     * Writes, indexes and queries the warm-up namespaces until {@code budget} is spent (at least one round), with
     * the cache files under {@code scratch}, which it deletes afterwards.
     */
    public static Report run(Path scratch, Duration budget) {
        return run(scratch, budget, dir -> 0);
    }

    /** As {@link #run(Path, Duration)}, then {@code extra} in a directory under {@code scratch} (its requests counted as queries). */
    public static Report run(Path scratch, Duration budget, Extra extra) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        Random random = new Random(42);
        Map<String, float[][]> vectors = Map.of(IndexConfig.HNSW, randomVectors(random, DIMS),
                IndexConfig.CLUSTERED, randomVectors(random, CLUSTERED_DIMS));
        int rounds = 0, queries = 0;
        try {
            Files.createDirectories(scratch);
            queries += centroidGraph(scratch.resolve("graph"), random);
            MemoryObjectStore store = new MemoryObjectStore();
            write(store, scratch.resolve("writer"), vectors, random);
            do {
                queries += queryRound(store, scratch.resolve("round-" + rounds), vectors, random);
                rounds++;
            } while (System.nanoTime() < deadline);
            queries += extra.run(Files.createDirectories(scratch.resolve("extra")));
        } catch (IOException e) {
            throw new UncheckedIOException("warm-up under " + scratch + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("warm-up interrupted", e);
        } finally {
            deleteTree(scratch);
        }
        return new Report(rounds, queries, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Rows of the index {@link #centroidGraph} builds: with postings of 8, past the centroid-graph threshold. */
    static final int GRAPH_ROWS = 9_000;
    private static final String GRAPH_FORMAT = "lodestone.warm-up.clustered";

    /**
     * A clustered index of more than {@code CentroidSearcher.FLAT_LIMIT} clusters probes through a graph over its
     * centroids, which the namespaces above (a few dozen clusters) never reach: builds one of {@link #GRAPH_ROWS}
     * rows with postings of 8 rows directly, and searches it. Returns the searches run.
     */
    private static int centroidGraph(Path file, Random random) throws IOException {
        float[] data = new float[GRAPH_ROWS * DIMS];
        for (int i = 0; i < data.length; i++) data[i] = (float) random.nextGaussian();
        ArrayVectorValues values = ArrayVectorValues.wrap(data, DIMS);
        ClusteredParams d = ClusteredParams.defaults();
        try (FrameOutput out = FrameOutput.create(file, GRAPH_FORMAT, 1)) {
            ClusteredIndexWriter.write(values, DistanceMetric.COSINE_DISTANCE,
                    new ClusteredParams(8, d.maxReplicas(), d.closureEpsilon(), d.codeBits(), d.seed()), 1, out);
            out.finish();
        }
        FloatVectorScorerSupplier exact = FloatVectorScorerSupplier.create(DistanceMetric.COSINE_DISTANCE, values);
        try (MappedFrame frame = MappedFrame.open(file, file.toString(), GRAPH_FORMAT, 1, 1)) {
            for (int i = 0; i < QUERIES_PER_KIND; i++) {
                // opened for each query: an open's loops (the centroids' int8 codes to floats: 7,800 × 768 at 1M rows)
                // run once per segment, too rarely for the JIT unless warmed
                ClusteredIndex index = ClusteredIndex.open(frame.body(), RangeEnsurer.NONE, file.toString());
                if (index.clusters() <= 1_024) throw new IllegalStateException("the warm-up index has only " + index.clusters() + " clusters");
                float[] q = new float[DIMS];
                System.arraycopy(data, random.nextInt(GRAPH_ROWS) * DIMS, q, 0, DIMS);
                ClusteredIndex.PreparedQuery prepared = index.prepare(q);
                int[] clusters = index.probe(prepared, 32, Float.POSITIVE_INFINITY); // unpruned: 32 postings of 8 hold 10 rows
                TopOrds top = index.rerank(index.select(prepared, clusters, 10, null), exact.forQuery(q), 10);
                if (top.size() != 10) throw new IllegalStateException("a warm-up graph search returned " + top.size() + " rows");
            }
        }
        return QUERIES_PER_KIND;
    }

    /** Parallel ranged reads per batch of {@link #warmStore}: as many as a cold clustered query's batch, about. */
    static final int STORE_BATCH = 64;

    /**
     * Warms a remote store's request path: {@code batches} batches of {@link #STORE_BATCH} parallel ranged reads of
     * the first bytes of {@code key} (an object that exists), so that the HTTP client's code is compiled and its pool
     * holds connections, as a cold query's batch of ranged reads finds them. Returns the reads made; none on a local
     * store.
     */
    public static int warmStore(ObjectStore store, String key, int batches) throws IOException {
        if (store.local()) return 0;
        long size = store.size(key);
        int length = (int) Math.min(size, 64);
        if (length == 0) return 0;
        List<Integer> batch = java.util.stream.IntStream.range(0, STORE_BATCH).boxed().toList();
        for (int b = 0; b < batches; b++) ParallelReads.map(batch, true, i -> store.getRange(key, 0, length));
        return batches * STORE_BATCH;
    }

    private static void write(MemoryObjectStore store, Path cache, Map<String, float[][]> vectors, Random random) throws IOException {
        try (Lodestone db = Lodestone.open(store, options(cache, true))) {
            for (IndexConfig index : List.of(IndexConfig.defaults(), clustered())) {
                Namespace ns = db.namespace(index.type());
                for (int start = 0; start < ROWS; start += 1_000) {
                    WriteRequest.Builder w = WriteRequest.builder().distanceMetric(DistanceMetric.COSINE_DISTANCE).index(index);
                    if (start == 0) w.schema("text", new AttributeSchema(AttributeType.STRING, false, FullTextOptions.defaults()));
                    for (int i = start; i < start + 1_000; i++) {
                        w.upsert(DocId.of(i), vectors.get(index.type())[i], Map.of("text", sentence(random), "group", (long) (i % 10)));
                    }
                    ns.write(w.build());
                }
                ns.flushIndex();
            }
        }
    }

    private static IndexConfig clustered() {
        IndexConfig d = IndexConfig.defaults();
        return new IndexConfig(d.m(), d.efConstruction(), d.quantization(), IndexConfig.CLUSTERED);
    }

    private static int queryRound(MemoryObjectStore store, Path cache, Map<String, float[][]> vectors, Random random) throws IOException {
        int answered = 0;
        try (Lodestone db = Lodestone.open(store, options(cache, false))) {
            FilterSpec group = FilterSpec.sql("group = 3");
            for (String name : List.of(IndexConfig.HNSW, IndexConfig.CLUSTERED)) {
                Namespace ns = db.namespace(name);
                for (int i = 0; i < QUERIES_PER_KIND; i++) {
                    float[] q = perturbed(vectors.get(name)[random.nextInt(ROWS)], random);
                    expectTen(ns.query(Query.nearest(q, 10)), name);
                    expectTen(ns.query(new Query(new Query.RankBy.Vector(q, true), group, 10, Query.AttributeSelection.ALL,
                            Map.of(), List.of(), false)), name);
                    expectTen(ns.query(new Query(new Query.RankBy.Vector(q, false), null, 10, Query.AttributeSelection.NONE,
                            Map.of(), List.of(), false)), name);
                    expectTen(ns.query(new Query(new Query.RankBy.Text("text", sentence(random)), null, 10,
                            Query.AttributeSelection.NONE, Map.of(), List.of(), false)), name);
                    answered += 4;
                }
            }
        }
        return answered;
    }

    /** Every warm-up query matches at least 10 rows: fewer means it ran a path other than the one it warms. */
    private static void expectTen(QueryResult result, String namespace) {
        if (result.rows().size() != 10) {
            throw new IllegalStateException("a warm-up query on " + namespace + " returned " + result.rows().size() + " rows, not 10");
        }
    }

    /** An engine over the warm-up store: indexing only for the writer, no recall sampling, its own cache. */
    private static EngineOptions options(Path cache, boolean indexing) {
        EngineOptions d = EngineOptions.defaults();
        EngineOptions.Indexing ix = d.indexing();
        ix = new EngineOptions.Indexing(indexing, Long.MAX_VALUE, 3_600_000, Long.MAX_VALUE, ix.maxSegments(),
                ix.gcGraceMillis(), ix.newNamespaceIndex()).withRecall(ix.targetRecall(), 0);
        return new EngineOptions("warm-up/", 0, d.maxGroupBytes(), d.maxDimensions(), ix, cache,
                new EngineOptions.Queries(1, 16, 60_000), new EngineOptions.Cache(16L << 20, 64L << 20));
    }

    private static float[][] randomVectors(Random random, int dims) {
        float[][] vectors = new float[ROWS][dims];
        for (float[] v : vectors) for (int j = 0; j < dims; j++) v[j] = (float) random.nextGaussian();
        return vectors;
    }

    private static float[] perturbed(float[] v, Random random) {
        float[] q = v.clone();
        for (int j = 0; j < q.length; j++) q[j] += 0.1f * (float) random.nextGaussian();
        return q;
    }

    private static String sentence(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = 3 + random.nextInt(6); i < n; i++) sb.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        return sb.toString();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the warm-up files under " + root + ": " + e.getMessage(), e);
        }
    }
}
