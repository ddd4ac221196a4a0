package io.lodestone.engine;

import io.lodestone.codec.CorruptObjectException;
import io.lodestone.doc.DocId;
import io.lodestone.doc.IndexConfig;
import io.lodestone.segment.SegmentKeys;
import io.lodestone.store.MemoryObjectStore;
import io.lodestone.store.ObjectStore;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ANN through segments with the clustered index: built by the indexer when the namespace asks for it, answering
 * the same results contract as HNSW (exact {@code $dist}, deletes and filters honoured, k results), and read by
 * ranges from a cold server: the probed postings and the reranked rows, never whole files.
 */
class TestClusteredSearch {
    private static final int N = 6000, DIMS = 32, CLUSTERS = 30, QUERIES = 40, PROBES = 24;
    private static final IndexConfig CLUSTERED = new IndexConfig(16, 200, "none", IndexConfig.CLUSTERED);

    private static EngineOptions options(Path dir) {
        EngineOptions.Indexing ix = new EngineOptions.Indexing(true, Long.MAX_VALUE, 3_600_000, 2L << 30, 8, 3_600_000,
                IndexConfig.defaults());
        return new EngineOptions("t/", 0, 64L << 20, 1024, ix, dir);
    }

    /** Fixed-seed clustered data: recall is a measured statistic, so the data is fixed. */
    private static float[][] clustered(long seed, int n) {
        return clustered(seed, n, DIMS);
    }

    private static float[][] clustered(long seed, int n, int dims) {
        Random r = new Random(seed);
        float[][] centers = new float[CLUSTERS][dims];
        for (float[] c : centers) for (int j = 0; j < dims; j++) c[j] = (float) r.nextGaussian() * 3;
        float[][] out = new float[n][dims];
        for (int i = 0; i < n; i++) {
            float[] c = centers[r.nextInt(CLUSTERS)];
            for (int j = 0; j < dims; j++) out[i][j] = c[j] + (float) r.nextGaussian();
        }
        return out;
    }

    private static Query query(float[] q, boolean approximate, FilterSpec filter, int probes) {
        return new Query(new Query.RankBy.Vector(q, approximate, null, approximate ? probes : 0), filter, 10,
                Query.AttributeSelection.ALL, Map.of(), List.of(), false);
    }

    private static List<DocId> ids(QueryResult r) {
        return r.rows().stream().map(QueryResult.Row::id).toList();
    }

    /** Writes the rows in one batch with the clustered index and folds them into one segment. */
    private static void load(Namespace ns, float[][] vs, DistanceMetric metric) {
        WriteRequest.Builder b = WriteRequest.builder().distanceMetric(metric).index(CLUSTERED);
        for (int i = 0; i < vs.length; i++) b.upsert(DocId.of(i), vs[i], Map.of("shard", (long) (i % 4), "sixteenth", (long) (i % 16)));
        ns.write(b.build());
        ns.flushIndex();
    }

    @ParameterizedTest
    @EnumSource(value = DistanceMetric.class, names = {"COSINE_DISTANCE", "EUCLIDEAN_SQUARED", "DOT_PRODUCT"})
    void recallAndExactDistancesAgainstAScan(DistanceMetric metric, @TempDir Path dir) throws Exception {
        MemoryObjectStore store = new MemoryObjectStore();
        try (Lodestone db = Lodestone.open(store, options(dir))) {
            Namespace ns = db.namespace("clustered");
            float[][] all = clustered(11, N + QUERIES); // queries come from the same clusters as the data
            load(ns, Arrays.copyOf(all, N), metric);
            var segment = ns.state().manifest().segments().getFirst();
            assertThat(segment.hasAnnIndex()).isTrue();
            assertThat(store.size(SegmentKeys.clustered(ns.prefix(), segment.id()))).isPositive();
            assertThat(store.list(SegmentKeys.segmentPrefix(ns.prefix(), segment.id()), null, 100))
                    .as("no HNSW files").noneMatch(k -> k.endsWith("/" + SegmentKeys.GRAPH));
            double recall = 0;
            for (int i = N; i < N + QUERIES; i++) {
                QueryResult exact = ns.query(query(all[i], false, null, 0));
                QueryResult ann = ns.query(query(all[i], true, null, PROBES));
                assertThat(ann.rows()).hasSize(10);
                Map<DocId, Double> exactDistance = new java.util.HashMap<>();
                for (QueryResult.Row row : exact.rows()) exactDistance.put(row.id(), row.distance());
                for (QueryResult.Row row : ann.rows()) {
                    if (exactDistance.containsKey(row.id())) {
                        assertThat(row.distance()).as("$dist is exact").isEqualTo(exactDistance.get(row.id()));
                    }
                }
                Set<DocId> truth = new HashSet<>(ids(exact));
                recall += ids(ann).stream().filter(truth::contains).count() / 10.0;
            }
            assertThat(recall / QUERIES).as("recall@10, %s, %d probes", metric, PROBES).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void deletesUpdatesAndFiltersAreHonoured(@TempDir Path dir) throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), options(dir))) {
            Namespace ns = db.namespace("honoured");
            float[][] vs = clustered(21, 3000);
            load(ns, vs, DistanceMetric.EUCLIDEAN_SQUARED);
            float[] q = vs[5];
            assertThat(ids(ns.query(query(q, true, null, PROBES))).getFirst()).isEqualTo(DocId.of(5));
            float[] far = new float[DIMS];
            Arrays.fill(far, 1000f);
            ns.write(WriteRequest.builder().delete(DocId.of(5)).upsert(DocId.of(6), far, Map.of()).build());
            ns.flushIndex();
            List<DocId> after = ids(ns.query(query(q, true, null, PROBES)));
            assertThat(after).hasSize(10).doesNotContain(DocId.of(5), DocId.of(6));
            // a broad filter (a quarter of the rows) still yields k results, all matching
            QueryResult filtered = ns.query(query(q, true, FilterSpec.sql("shard = 2"), PROBES));
            assertThat(filtered.rows()).hasSize(10).allMatch(row -> row.attributes().get("shard").equals(2L));
            // a filter just above the exact-scan threshold (6% of the rows), one probe: the search widens to find k
            QueryResult narrow = ns.query(query(q, true, FilterSpec.sql("sixteenth = 3"), 1));
            assertThat(narrow.rows()).hasSize(10).allMatch(row -> row.attributes().get("sixteenth").equals(3L));
            // a selective filter (one id) is scanned exactly
            assertThat(ids(ns.query(query(q, true, FilterSpec.sql("id = 77"), PROBES)))).containsExactly(DocId.of(77));
        }
    }

    @Test
    void aNamespaceCanMoveFromHnswToClustered(@TempDir Path dir) throws Exception {
        MemoryObjectStore store = new MemoryObjectStore();
        try (Lodestone db = Lodestone.open(store, options(dir))) {
            Namespace ns = db.namespace("moved");
            float[][] vs = clustered(31, 4000);
            WriteRequest.Builder first = WriteRequest.builder().distanceMetric(DistanceMetric.EUCLIDEAN_SQUARED);
            for (int i = 0; i < 2000; i++) first.upsert(DocId.of(i), vs[i], Map.of());
            ns.write(first.build());
            ns.flushIndex();
            WriteRequest.Builder second = WriteRequest.builder().index(CLUSTERED);
            for (int i = 2000; i < 4000; i++) second.upsert(DocId.of(i), vs[i], Map.of());
            ns.write(second.build());
            ns.flushIndex();
            var m = ns.state().manifest();
            assertThat(m.index().type()).isEqualTo(IndexConfig.CLUSTERED);
            List<String> kinds = m.segments().stream().map(s -> store.exists(SegmentKeys.clustered(ns.prefix(), s.id()))
                    ? "clustered" : store.exists(SegmentKeys.graph(ns.prefix(), s.id())) ? "hnsw" : "none").toList();
            assertThat(kinds).as("segments of both kinds, or one merged into the new kind").contains("clustered");
            for (int i : new int[] {10, 1500, 2500, 3900}) {
                assertThat(ids(ns.query(query(vs[i], true, null, PROBES))).getFirst()).isEqualTo(DocId.of(i));
            }
        }
    }

    @Test
    void theWidthIsTunedFromMeasuredRecall(@TempDir Path dir) throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), options(dir))) {
            Namespace ns = db.namespace("tuned");
            load(ns, clustered(41, 3000), DistanceMetric.COSINE_DISTANCE);
            RecallCheck.Result check = RecallCheck.run(ns, List.of(), 20, 10, null, 7);
            assertThat(check.avgRecall()).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void aColdServerReadsTheProbedPostingsAndTheRerankedRowsOnly(@TempDir Path dir) throws Exception {
        MemoryObjectStore bucket = new MemoryObjectStore();
        float[][] vs = clustered(51, 40_000, 128);
        String prefix;
        List<String> there;
        try (Lodestone writer = Lodestone.open(bucket, options(dir.resolve("a")))) {
            Namespace ns = writer.namespace("cold");
            load(ns, vs, DistanceMetric.COSINE_DISTANCE);
            prefix = ns.prefix();
            there = ns.query(query(vs[7], true, null, 8)).rows().stream().map(r -> r.id() + " " + r.distance()).toList();
        }
        TestRangedReads.WatchedStore watched = new TestRangedReads.WatchedStore(bucket);
        try (Lodestone cold = Lodestone.open(watched, options(dir.resolve("b")))) {
            List<String> here = cold.namespace("cold").query(query(vs[7], true, null, 8)).rows().stream()
                    .map(r -> r.id() + " " + r.distance()).toList();
            assertThat(here).isEqualTo(there);
        }
        long clusteredBytes = sizeOf(bucket, prefix, "/" + SegmentKeys.CLUSTERED);
        long vectorBytes = sizeOf(bucket, prefix, "/vectors");
        assertThat(watched.wholeReads.get()).as("no segment file read whole").isLessThanOrEqualTo(TestRangedReads.countSmall(bucket, prefix));
        assertThat(watched.read("/vectors")).as("norms and the reranked rows of a %d-byte vectors file", vectorBytes)
                .isLessThan(vectorBytes / 2);
        assertThat(clusteredBytes).as("an index larger than the end a cold open reads").isGreaterThan(1 << 20);
        assertThat(watched.read("/" + SegmentKeys.CLUSTERED)).as("the end (512 KiB), the head and 8 probed postings of a %d-byte index",
                clusteredBytes).isLessThan((512 + 4 + 8 * 16) * 1024);
    }

    @Test
    void aColdServerSearchesSeveralSegmentsAsTheWriterDoes(@TempDir Path dir) throws Exception {
        MemoryObjectStore bucket = new MemoryObjectStore();
        float[][] vs = clustered(71, 9000);
        List<List<String>> there = new java.util.ArrayList<>();
        try (Lodestone writer = Lodestone.open(bucket, options(dir.resolve("a")))) {
            Namespace ns = writer.namespace("segments");
            for (int part = 0; part < 3; part++) { // three folds: three segments, probed and reranked together when cold
                float[][] slice = java.util.Arrays.copyOfRange(vs, part * 3000, (part + 1) * 3000);
                WriteRequest.Builder b = WriteRequest.builder().distanceMetric(DistanceMetric.COSINE_DISTANCE).index(CLUSTERED);
                for (int i = 0; i < slice.length; i++) b.upsert(DocId.of(part * 3000 + i), slice[i], Map.of("shard", (long) (i % 4)));
                ns.write(b.build());
                ns.flushIndex();
            }
            assertThat(ns.state().manifest().segments()).hasSize(3);
            for (int i = 0; i < 10; i++) there.add(view(ns.query(query(vs[i * 811], true, null, 8))));
        }
        try (Lodestone cold = Lodestone.open(new TestRangedReads.WatchedStore(bucket), options(dir.resolve("b")))) {
            Namespace ns = cold.namespace("segments");
            for (int i = 0; i < 10; i++) assertThat(view(ns.query(query(vs[i * 811], true, null, 8)))).isEqualTo(there.get(i));
        }
    }

    private static List<String> view(QueryResult r) {
        return r.rows().stream().map(row -> row.id() + " " + row.distance()).toList();
    }

    @Test
    void aCorruptPostingIsRefusedNeverServed(@TempDir Path dir) throws Exception {
        MemoryObjectStore bucket = new MemoryObjectStore();
        float[][] vs = clustered(61, 20_000);
        String key;
        try (Lodestone writer = Lodestone.open(bucket, options(dir.resolve("a")))) {
            Namespace ns = writer.namespace("corrupt");
            load(ns, vs, DistanceMetric.COSINE_DISTANCE);
            key = SegmentKeys.clustered(ns.prefix(), ns.state().manifest().segments().getFirst().id());
        }
        // flip one byte in the middle of the postings region (postings come first in the file)
        byte[] bytes = bucket.get(key);
        bytes[bytes.length / 4] ^= 0x10;
        bucket.put(key, bytes);
        try (Lodestone cold = Lodestone.open(bucket, options(dir.resolve("b")))) {
            Namespace ns = cold.namespace("corrupt");
            int refused = 0;
            for (int i = 0; i < 40; i++) {
                try {
                    ns.query(query(vs[i * 97], true, null, 64));
                } catch (RuntimeException e) {
                    assertThat(e).satisfiesAnyOf(x -> assertThat(x).isInstanceOf(CorruptObjectException.class),
                            x -> assertThat(x).hasCauseInstanceOf(CorruptObjectException.class));
                    refused++;
                }
            }
            assertThat(refused).as("queries probing the corrupt block are refused").isPositive();
        }
    }

    private static long sizeOf(ObjectStore store, String prefix, String part) throws IOException {
        long n = 0;
        for (String k : store.list(SegmentKeys.segments(prefix), null, 10_000)) if (k.contains(part)) n += store.size(k);
        return n;
    }
}
