package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.doc.IndexConfig;
import io.lodestone.store.MemoryObjectStore;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** ANN through segments: HNSW graphs built by the indexer, with and without quantized traversal. */
class TestAnnSearch {
    private static final int N = 6000, DIMS = 32, CLUSTERS = 30;
    /** Candidate list size per traversal: codes that rank coarsely need more candidates to rerank. */
    private static int ef(String quantization) {
        return quantization.equals("pq") || quantization.equals("rabitq") ? 128 : 64;
    }


    private static EngineOptions options(Path dir, String quantization) {
        EngineOptions.Indexing ix = new EngineOptions.Indexing(true, Long.MAX_VALUE, 3_600_000, 2L << 30, 8, 3_600_000,
                new IndexConfig(16, 100, quantization));
        return new EngineOptions("t/", 0, 64L << 20, 64, ix, dir);
    }

    /** Fixed-seed clustered data: recall is a measured statistic, so the data is fixed. */
    private static float[][] clustered(long seed, int n) {
        Random r = new Random(seed);
        float[][] centers = new float[CLUSTERS][DIMS];
        for (float[] c : centers) for (int j = 0; j < DIMS; j++) c[j] = (float) r.nextGaussian() * 3;
        float[][] out = new float[n][DIMS];
        for (int i = 0; i < n; i++) {
            float[] c = centers[r.nextInt(CLUSTERS)];
            for (int j = 0; j < DIMS; j++) out[i][j] = c[j] + (float) r.nextGaussian();
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "sq8", "pq", "rabitq"})
    void annRecallAgainstExact(String quantization, @TempDir Path dir) throws Exception {
        int ef = ef(quantization);
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), options(dir, quantization))) {
            Namespace ns = db.namespace("ann");
            float[][] all = clustered(11, N + 50); // queries come from the same clusters as the data
            float[][] vs = java.util.Arrays.copyOf(all, N);
            float[][] queries = java.util.Arrays.copyOfRange(all, N, N + 50);
            WriteRequest.Builder b = WriteRequest.builder().distanceMetric(DistanceMetric.COSINE_DISTANCE);
            for (int i = 0; i < N; i++) b.upsert(DocId.of(i), vs[i], Map.of("shard", (long) (i % 4)));
            ns.write(b.build());
            ns.flushIndex();
            assertThat(ns.state().manifest().segments().getFirst().hasAnnIndex()).isTrue();
            double recall = 0;
            for (float[] q : queries) {
                Set<DocId> exact = new HashSet<>(ids(ns.query(query(q, false, null, ef))));
                List<DocId> ann = ids(ns.query(query(q, true, null, ef)));
                assertThat(ann).hasSize(10);
                recall += ann.stream().filter(exact::contains).count() / 10.0;
            }
            assertThat(recall / queries.length).as("recall@10 with %s at ef %d", quantization, ef).isGreaterThanOrEqualTo(0.95);
            // A broad filter (1/4 of the rows) still yields k results, all matching.
            QueryResult filtered = ns.query(query(queries[0], true, FilterSpec.sql("shard = 2"), ef));
            assertThat(filtered.rows()).hasSize(10);
            assertThat(ns.query(new Query(new Query.RankBy.Vector(queries[0], true), FilterSpec.sql("shard = 2"), 10,
                    Query.AttributeSelection.ALL, Map.of(), List.of(), false)).rows())
                    .allMatch(r -> r.attributes().get("shard").equals(2L));
            // A selective filter (one id) is scanned exactly.
            assertThat(ids(ns.query(query(queries[0], true, FilterSpec.sql("id = 77"), ef)))).containsExactly(DocId.of(77));
            RecallCheck.Result check = RecallCheck.run(ns, List.of(), 20, 10, null, 7);
            assertThat(check.avgRecall()).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void aWriteChoosesTheNamespacesIndexSettings(@TempDir Path dir) throws Exception {
        MemoryObjectStore store = new MemoryObjectStore();
        try (Lodestone db = Lodestone.open(store, options(dir, "none"))) {
            Namespace ns = db.namespace("per-ns");
            float[][] vs = clustered(31, 2000);
            WriteRequest.Builder b = WriteRequest.builder().index(new io.lodestone.doc.IndexConfig(12, 64, "pq"));
            for (int i = 0; i < vs.length; i++) b.upsert(DocId.of(i), vs[i], Map.of());
            ns.write(b.build());
            ns.flushIndex();
            var m = ns.state().manifest();
            assertThat(m.index()).isEqualTo(new io.lodestone.doc.IndexConfig(12, 64, "pq"));
            String codes = io.lodestone.segment.SegmentKeys.codes(ns.prefix(), m.segments().getFirst().id());
            assertThat(store.size(codes)).as("pq codes were written").isPositive();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ns.write(WriteRequest.builder()
                    .index(new io.lodestone.doc.IndexConfig(16, 100, "lvq")).build()))
                    .hasMessageContaining("unknown quantization 'lvq'");
        }
    }

    @Test
    void deletedAndReplacedRowsNeverComeBackFromTheGraph(@TempDir Path dir) throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), options(dir, "none"))) {
            Namespace ns = db.namespace("ann-deletes");
            float[][] vs = clustered(21, 3000);
            WriteRequest.Builder b = WriteRequest.builder();
            for (int i = 0; i < vs.length; i++) b.upsert(DocId.of(i), vs[i], Map.of());
            ns.write(b.build());
            ns.flushIndex();
            float[] q = vs[5];
            List<DocId> before = ids(ns.query(query(q, true, null)));
            assertThat(before.getFirst()).isEqualTo(DocId.of(5));
            ns.write(WriteRequest.builder().delete(DocId.of(5)).upsert(DocId.of(before.get(1).toString().equals("5") ? 6 : 7), vs[0], Map.of()).build());
            List<DocId> after = ids(ns.query(query(q, true, null)));
            assertThat(after).doesNotContain(DocId.of(5)).hasSize(10);
        }
    }

    /**
     * An ANN result row reports kNN's {@code $dist} for that row, for every metric an index serves: the index's
     * candidates are rescored with the scan's kernel. To the bit: the kernels sum their lanes in one fixed order
     * ({@code PanamaVectorOps.sumLanes}), so a call site still interpreted and one already compiled agree (with
     * {@code reduceLanes(ADD)}, whose order the Vector API leaves open, they differed in the last bit, seen in CI).
     * 37 dimensions: not a multiple of any SIMD width, so the kernels' scalar tails count too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cosine_distance", "euclidean_squared", "dot_product"})
    void annDistancesAreTheExactScansDistances(String metricName, @TempDir Path dir) throws Exception {
        DistanceMetric metric = DistanceMetric.parse(metricName);
        Random r = new Random(41);
        int n = 1500, dims = 37;
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), options(dir, "none"))) {
            Namespace ns = db.namespace("ann-dist");
            WriteRequest.Builder b = WriteRequest.builder().distanceMetric(metric);
            for (int i = 0; i < n; i++) b.upsert(DocId.of(i), gaussian(r, dims), Map.of());
            ns.write(b.build());
            ns.flushIndex();
            assertThat(ns.state().manifest().segments().getFirst().hasAnnIndex()).isTrue();
            for (int t = 0; t < 20; t++) {
                float[] q = gaussian(r, dims);
                Map<DocId, Double> exact = new java.util.HashMap<>();
                for (QueryResult.Row row : ns.query(query(q, false, null, 0, n)).rows()) exact.put(row.id(), row.distance());
                List<QueryResult.Row> ann = ns.query(query(q, true, null, 64, 10)).rows();
                assertThat(ann).hasSize(10);
                for (QueryResult.Row row : ann) {
                    double expected = exact.get(row.id());
                    assertThat(row.distance()).as("%s $dist of %s", metricName, row.id()).isEqualTo(expected);
                }
            }
        }
    }

    private static float[] gaussian(Random r, int dims) {
        float[] v = new float[dims];
        for (int j = 0; j < dims; j++) v[j] = (float) r.nextGaussian();
        return v;
    }

    private static Query query(float[] q, boolean approximate, FilterSpec filter) {
        return query(q, approximate, filter, 64);
    }

    private static Query query(float[] q, boolean approximate, FilterSpec filter, int ef) {
        return query(q, approximate, filter, ef, 10);
    }

    private static Query query(float[] q, boolean approximate, FilterSpec filter, int ef, int topK) {
        return new Query(new Query.RankBy.Vector(q, approximate, null, ef), filter, topK, Query.AttributeSelection.NONE, Map.of(), List.of(), false);
    }

    private static List<DocId> ids(QueryResult r) {
        return r.rows().stream().map(QueryResult.Row::id).toList();
    }
}
