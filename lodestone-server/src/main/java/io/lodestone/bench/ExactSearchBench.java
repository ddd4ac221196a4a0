package io.lodestone.bench;

import io.lodestone.doc.DocId;
import io.lodestone.engine.Lodestone;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.Query;
import io.lodestone.engine.WriteRequest;
import io.lodestone.store.MemoryObjectStore;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * Single-threaded exact-search QPS over {@code --rows} random {@code --dims}-d vectors through the
 * engine's query path. Run twice, with {@code -Dlodestone.vectorization=scalar} and without, to
 * compare the SIMD kernels with plain loops; the JSON line names the implementation used.
 */
@Command(name = "exact", description = "Exact kNN QPS, single thread (SIMD or scalar per -Dlodestone.vectorization).")
final class ExactSearchBench implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "100000")
    int rows;
    @Option(names = "--dims", defaultValue = "768")
    int dims;
    @Option(names = "--top-k", defaultValue = "10")
    int topK;
    @Option(names = "--metric", defaultValue = "cosine_distance")
    String metric;
    @Option(names = "--seconds", defaultValue = "5", description = "timed seconds per run (3 runs, median)")
    double seconds;
    @Option(names = "--tail", defaultValue = "false", description = "search the unindexed log tail instead of a segment")
    boolean tail;

    @Override
    public Integer call() throws Exception {
        Random random = new Random(7);
        DistanceMetric m = DistanceMetric.parse(metric);
        java.nio.file.Path cache = java.nio.file.Files.createTempDirectory("lodestone-exact-bench");
        try (MemoryObjectStore store = new MemoryObjectStore();
             Lodestone db = Lodestone.open(store, BenchSupport.engineOptions(cache, BenchSupport.Indexing.ON_FLUSH, 0))) {
            Namespace ns = db.namespace("exact-bench");
            for (int start = 0; start < rows; start += 5000) {
                WriteRequest.Builder b = WriteRequest.builder().distanceMetric(m);
                for (int i = start; i < Math.min(rows, start + 5000); i++) b.upsert(DocId.of(i), randomVector(random), Map.of());
                ns.write(b.build());
            }
            if (!tail) ns.flushIndex();
            List<float[]> queries = new ArrayList<>();
            for (int i = 0; i < 100; i++) queries.add(randomVector(random));
            runFor(ns, queries, 2.0); // warm-up
            double[] qps = new double[3];
            for (int r = 0; r < 3; r++) qps[r] = runFor(ns, queries, seconds);
            java.util.Arrays.sort(qps);
            System.out.printf("{\"bench\":\"exact\",\"source\":\"%s\",\"vectorization\":\"%s\",\"rows\":%d,\"dims\":%d,\"metric\":\"%s\","
                    + "\"top_k\":%d,\"qps_1t\":%.1f}%n", tail ? "tail" : "segment", VectorUtil.implementationName(), rows, dims, m.wireName(), topK, qps[1]);
        }
        return 0;
    }

    private double runFor(Namespace ns, List<float[]> queries, double secs) {
        long end = System.nanoTime() + (long) (secs * 1e9);
        long start = System.nanoTime();
        long n = 0;
        while (System.nanoTime() < end) {
            ns.query(new Query(new Query.RankBy.Vector(queries.get((int) (n % queries.size())), false), null, topK,
                    Query.AttributeSelection.NONE, Map.of(), List.of(), true));
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private float[] randomVector(Random random) {
        float[] v = new float[dims];
        for (int j = 0; j < dims; j++) v[j] = (float) random.nextGaussian();
        return v;
    }
}
