package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.doc.IndexConfig;
import io.lodestone.store.MemoryObjectStore;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recall measured on sampled live queries, and each segment's default search width adjusted toward the
 * target. The sampler runs inline (the test hook) so the sequence of measurements is fixed.
 */
class TestRecallTuning {
    private static final int N = 4000, DIMS = 48, K = 10;
    private static final double TARGET = 0.95;

    /** A sparse graph (M 4, build beam 16) over uniform random data: hard for ANN at the default width. */
    private static EngineOptions options(Path dir, int sampleEvery) {
        EngineOptions.Indexing ix = new EngineOptions.Indexing(true, Long.MAX_VALUE, 3_600_000, 2L << 30, 8, 3_600_000,
                new IndexConfig(4, 16, "none")).withRecall(TARGET, sampleEvery);
        return new EngineOptions("t/", 0, 64L << 20, 64, ix, dir);
    }

    private static float[] gaussian(Random r) {
        float[] v = new float[DIMS];
        for (int j = 0; j < DIMS; j++) v[j] = (float) r.nextGaussian();
        return v;
    }

    /** An indexed namespace of hard data whose sampler runs inline, and the random source of its queries. */
    private record Hard(Lodestone db, Namespace ns, Random r) implements AutoCloseable {
        static Hard open(Path dir, int sampleEvery, long seed) {
            Random r = new Random(seed);
            Lodestone db = Lodestone.open(new MemoryObjectStore(), options(dir, sampleEvery));
            Namespace ns = db.namespace("hard");
            WriteRequest.Builder b = WriteRequest.builder().distanceMetric(DistanceMetric.EUCLIDEAN_SQUARED);
            for (int i = 0; i < N; i++) b.upsert(DocId.of(i), gaussian(r), Map.of());
            ns.write(b.build());
            ns.flushIndex();
            ns.recallSampler().runInline();
            return new Hard(db, ns, r);
        }

        @Override
        public void close() throws Exception {
            db.close();
        }
    }

    private static Query query(float[] q, boolean approximate, int ef) {
        return new Query(new Query.RankBy.Vector(q, approximate, null, ef), null, K, Query.AttributeSelection.NONE,
                Map.of(), List.of(), false);
    }

    /** Mean recall@10 of default-width ANN against exact search over the queries. */
    private static double recall(Namespace ns, List<float[]> queries) {
        double sum = 0;
        for (float[] q : queries) {
            Set<DocId> exact = new HashSet<>(ids(ns.query(query(q, false, 0))));
            sum += ids(ns.query(query(q, true, 0))).stream().filter(exact::contains).count() / (double) K;
        }
        return sum / queries.size();
    }

    private static List<DocId> ids(QueryResult r) {
        return r.rows().stream().map(QueryResult.Row::id).toList();
    }

    private static AnnTuning tuning(Namespace ns) {
        SegmentSource s = ns.state().read(snap -> snap.segments().getFirst());
        return ns.annIndexes().forSegment(s.segment, DistanceMetric.EUCLIDEAN_SQUARED, false).orElseThrow().tuning();
    }

    @Test
    void sampledQueriesRaiseTheDefaultWidthUntilRecallReachesTheTarget(@TempDir Path dir) throws Exception {
        try (Hard h = Hard.open(dir, 1, 42)) {
            Namespace ns = h.ns();
            Random r = h.r();
            Lodestone db = h.db();
            List<float[]> probe = java.util.stream.Stream.generate(() -> gaussian(r)).limit(40).toList();
            assertThat(ns.metadata().annRecall()).as("nothing measured yet").isNull();
            assertThat(tuning(ns).ef()).isEqualTo(AnnTuning.INITIAL_EF);

            double before = recall(ns, probe); // these 40 queries are sampled too
            assertThat(before).as("the data is hard at the initial width").isLessThan(TARGET - 0.05);
            for (int i = 0; i < 400; i++) ns.query(query(gaussian(r), true, 0));

            assertThat(tuning(ns).ef()).isGreaterThan(AnnTuning.INITIAL_EF);
            double after = recall(ns, probe);
            assertThat(after).as("recall before %.3f, after %.3f at ef %d", before, after, tuning(ns).ef())
                    .isGreaterThan(before + 0.05).isGreaterThanOrEqualTo(TARGET - 0.03);
            NamespaceMetadata.AnnRecall measured = ns.metadata().annRecall();
            assertThat(measured.queries()).isEqualTo(RecallSampler.RECENT);
            assertThat(measured.avgRecall()).isGreaterThan(before).isLessThanOrEqualTo(1.0);
            assertThat(db.stats().recallSamples()).isEqualTo(40 + 400 + 40);
            assertThat(db.stats().recentRecall()).isEqualTo(measured.avgRecall(), org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void explicitEfAndFilteredQueriesAreNotSampledAndKeepTheirWidth(@TempDir Path dir) throws Exception {
        try (Hard h = Hard.open(dir, 1, 7)) {
            Namespace ns = h.ns();
            Random r = h.r();
            for (int i = 0; i < 50; i++) {
                ns.query(query(gaussian(r), true, 12));
                ns.query(new Query(new Query.RankBy.Vector(gaussian(r), true), FilterSpec.sql("id >= 0"), K,
                        Query.AttributeSelection.NONE, Map.of(), List.of(), false));
            }
            assertThat(h.db().stats().recallSamples()).isZero();
            assertThat(ns.metadata().annRecall()).isNull();
            assertThat(tuning(ns).ef()).isEqualTo(AnnTuning.INITIAL_EF);
        }
    }

    @Test
    void samplingOffMeasuresNothing(@TempDir Path dir) throws Exception {
        try (Hard h = Hard.open(dir, 0, 3)) {
            for (int i = 0; i < 50; i++) h.ns().query(query(gaussian(h.r()), true, 0));
            assertThat(h.db().stats().recallSamples()).isZero();
            assertThat(tuning(h.ns()).ef()).isEqualTo(AnnTuning.INITIAL_EF);
        }
    }

    @Test
    void easyDataNarrowsTheWidthButKeepsRecallAboveTheTarget() {
        AnnTuning t = new AnnTuning(AnnTuning.INITIAL_EF);
        for (int i = 0; i < AnnTuning.WINDOW; i++) t.record(1.0, TARGET);
        assertThat(t.ef()).isLessThan(AnnTuning.INITIAL_EF);
        int narrowed = t.ef();
        for (int i = 0; i < AnnTuning.WINDOW; i++) t.record(0.96, TARGET); // between target and the upper band
        assertThat(t.ef()).isEqualTo(narrowed);
        for (int i = 0; i < AnnTuning.WINDOW - 1; i++) t.record(0.5, TARGET);
        assertThat(t.ef()).as("only whole windows count").isEqualTo(narrowed);
        t.record(0.5, TARGET);
        assertThat(t.ef()).isGreaterThan(narrowed);
    }
}
