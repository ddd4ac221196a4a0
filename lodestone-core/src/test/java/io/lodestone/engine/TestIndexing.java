package io.lodestone.engine;

import io.lodestone.codec.CorruptObjectException;
import io.lodestone.doc.DocId;
import io.lodestone.doc.IndexConfig;
import io.lodestone.segment.Manifest;
import io.lodestone.segment.ManifestStore;
import io.lodestone.segment.SegmentKeys;
import io.lodestone.store.LocalObjectStore;
import io.lodestone.store.MemoryObjectStore;
import io.lodestone.store.ObjectStore;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The indexer folds the log into segments without changing what queries see. */
@ExtendWith(Seeded.class)
class TestIndexing {

    static EngineOptions options(Path cache, long graceMillis, int maxSegments) {
        EngineOptions.Indexing ix = new EngineOptions.Indexing(true, Long.MAX_VALUE, 3_600_000, 2L << 30, maxSegments,
                graceMillis, IndexConfig.defaults());
        return new EngineOptions("t/", 0, 1 << 20, 64, ix, cache);
    }

    private static Query everything() {
        return new Query(new Query.RankBy.Attribute("id", false), null, 10_000, Query.AttributeSelection.ALL, Map.of(), List.of(), false);
    }

    /** The whole visible state: id → (value attribute, first vector component). */
    private static Map<DocId, List<Object>> dump(Namespace ns) {
        Map<DocId, List<Object>> out = new HashMap<>();
        for (QueryResult.Row r : ns.query(everything()).rows()) {
            out.put(r.id(), List.of(r.attributes().getOrDefault("v", "none"), r.vector() == null ? "none" : r.vector()[0]));
        }
        return out;
    }

    @Test
    void objectsThatAreNotOursInTheNamespacesPrefixesAreSkipped(@TempDir Path dir) throws Exception {
        MemoryObjectStore store = new MemoryObjectStore();
        try (Lodestone db = Lodestone.open(store, options(dir, 0, 2))) {
            Namespace ns = db.namespace("foreign");
            for (int round = 0; round < 3; round++) {
                ns.write(WriteRequest.builder().upsert(DocId.of(round), new float[] {round, 1}, Map.of()).build());
                // What an S3-compatible server's in-progress upload or an operator's file looks like in a listing.
                String p = ns.prefix();
                store.put(p + "manifest/0000000000000000000" + round + "-3af2ebed-f596-48bc-bae5-478018ad3abe", new byte[] {1});
                store.put(p + "lease/0000000000000000000" + round + "-tmp", new byte[] {1});
                store.put(p + "manifest/notes.txt", new byte[] {1});
                ns.flushIndex();
            }
            assertThat(dump(ns)).hasSize(3);
            assertThat(ns.indexState().unindexedBytes()).isZero();
            assertThat(store.list(ns.prefix() + "manifest/", null, 100)).as("never deleted: not ours")
                    .contains(ns.prefix() + "manifest/notes.txt");
        }
        try (Lodestone again = Lodestone.open(store, options(dir.resolve("b"), 0, 2))) {
            assertThat(dump(again.namespace("foreign"))).hasSize(3);
        }
    }

    @Test
    void queryStatsFollowTheData(Random random, @TempDir Path dir) throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), options(dir, 3_600_000, 8))) {
            Namespace ns = db.namespace("stats");
            int first = 20 + random.nextInt(40);
            WriteRequest.Builder w = WriteRequest.builder();
            for (int i = 0; i < first; i++) w.upsert(DocId.of(i), new float[] {i, 1, random.nextFloat()}, Map.of("v", "x".repeat(i)));
            ns.write(w.build());
            QueryStats tail = ns.query(Query.nearest(new float[] {0, 1, 0}, 5)).stats();
            assertThat(tail.unindexedRows()).as("every row is in the tail").isEqualTo(first);
            assertThat(tail.namespaceRows()).isEqualTo(first);
            assertThat(tail.logicalBytesQueried()).isEqualTo(ns.metadata().approxLogicalBytes());
            assertThat(tail.cacheTemperature()).as("the tail is in memory").isEqualTo("hot");

            ns.flushIndex();
            ns.write(WriteRequest.builder().upsert(DocId.of(1000), new float[] {1, 1, 1}, Map.of()).delete(DocId.of(0)).build());
            QueryStats folded = ns.query(Query.nearest(new float[] {0, 1, 0}, 5)).stats();
            assertThat(folded.unindexedRows()).as("only the new row is unindexed").isEqualTo(1);
            assertThat(folded.namespaceRows()).isEqualTo(first);
            assertThat(ns.metadata().indexedRowCount()).isEqualTo(first - 1);
            assertThat(folded.memoryLookups() + folded.diskLookups() + folded.storeLookups()).isGreaterThan(1);

            long five = ns.query(everythingWithTopK(5)).stats().logicalBytesReturned();
            long all = ns.query(everythingWithTopK(first)).stats().logicalBytesReturned();
            assertThat(five).isPositive();
            assertThat(all).as("more rows returned, more bytes").isGreaterThan(five);
            assertThat(ns.query(everythingWithTopK(5)).stats().executionNanos()).isPositive();
        }
    }

    @Test
    void queryStatsSayHowTheVectorSearchCoveredTheRows(Random random, @TempDir Path dir) throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), options(dir, 3_600_000, 8))) {
            Namespace ns = db.namespace("methods");
            int big = GraphIndexer.MIN_ROWS + random.nextInt(200);
            WriteRequest.Builder w = WriteRequest.builder();
            for (int i = 0; i < big; i++) w.upsert(DocId.of(i), new float[] {random.nextFloat(), random.nextFloat(), 1}, Map.of());
            ns.write(w.build());
            float[] q = {0.5f, 0.5f, 1};
            assertThat(ns.query(Query.nearest(q, 3)).stats().vectorSearch()).as("all in the tail: scanned")
                    .isEqualTo(new QueryStats.VectorSearch(0, 0, big));

            ns.flushIndex();
            ns.write(WriteRequest.builder().upsert(DocId.of(big), q, Map.of()).build());
            assertThat(ns.query(Query.nearest(q, 3)).stats().vectorSearch()).as("a graph segment and a one-row tail")
                    .isEqualTo(new QueryStats.VectorSearch(big, 0, 1));
            Query exact = new Query(new Query.RankBy.Vector(q, false), null, 3, Query.AttributeSelection.NONE, Map.of(), List.of(), false);
            assertThat(ns.query(exact).stats().vectorSearch()).as("exact kNN scans every source")
                    .isEqualTo(new QueryStats.VectorSearch(0, 0, big + 1));
            assertThat(ns.query(everythingWithTopK(3)).stats().vectorSearch()).as("no vector ranking")
                    .isEqualTo(new QueryStats.VectorSearch(0, 0, 0));
        }
    }

    private static Query everythingWithTopK(int k) {
        return new Query(new Query.RankBy.Attribute("id", false), null, k, Query.AttributeSelection.ALL, Map.of(), List.of(), false);
    }

    @Test
    void randomWritesGiveTheSameResultsBeforeAndAfterIndexing(Random random, @TempDir Path dir) throws Exception {
        ObjectStore store = new MemoryObjectStore();
        Map<DocId, List<Object>> model = new HashMap<>();
        try (Lodestone db = Lodestone.open(store, options(dir, 3_600_000, 3))) {
            Namespace ns = db.namespace("fold");
            for (int round = 0; round < 12; round++) {
                WriteRequest.Builder b = WriteRequest.builder();
                for (int i = 0; i < 40; i++) {
                    DocId id = DocId.of(random.nextInt(150));
                    switch (random.nextInt(4)) {
                        case 0, 1 -> {
                            float x = random.nextFloat();
                            long v = random.nextInt(1000);
                            b.upsert(id, new float[] {x, 1 - x}, Map.of("v", v, "r", (long) round));
                        }
                        case 2 -> b.patch(id, Map.of("v", (long) -round));
                        default -> b.delete(id);
                    }
                }
                ns.write(b.build());
                Map<DocId, List<Object>> before = dump(ns);
                List<QueryResult.Row> nnBefore = nearest(ns);
                if (random.nextInt(3) > 0) ns.flushIndex();
                assertThat(dump(ns)).as("round %d: state after indexing", round).isEqualTo(before);
                assertThat(untied(nnBefore)).as("round %d: near-ties leave most of the ranking to compare", round)
                        .hasSizeGreaterThanOrEqualTo(nnBefore.size() / 2);
                assertThat(untied(nearest(ns))).as("round %d: exact kNN after indexing", round).isEqualTo(untied(nnBefore));
                model = before;
            }
            Manifest m = ns.state().manifest();
            assertThat(m.version()).isGreaterThan(0);
            assertThat(m.segments().size()).as("merging keeps the segment count bounded").isLessThanOrEqualTo(3);
        }
        try (Lodestone db = Lodestone.open(store, options(dir, 3_600_000, 3))) {
            assertThat(dump(db.namespace("fold"))).as("reopened from segments + log").isEqualTo(model);
        }
    }

    private static List<QueryResult.Row> nearest(Namespace ns) {
        return ns.query(new Query(new Query.RankBy.Vector(new float[] {0.3f, 0.7f}, false), null, 25,
                Query.AttributeSelection.NONE, Map.of(), List.of(), false)).rows();
    }

    /**
     * The ids in rank order, with rows whose distances differ by at most 1e-6 taken as tied and put in id order:
     * the tail and a segment compute a distance with different kernels, which may differ in the last bit, so
     * such near-ties may come out in either order. The last group of ties is dropped, since the cut at top_k may
     * split it differently.
     */
    private static List<String> untied(List<QueryResult.Row> rows) {
        List<String> out = new java.util.ArrayList<>();
        List<String> group = new java.util.ArrayList<>();
        double groupStart = Double.NaN;
        for (QueryResult.Row r : rows) {
            if (!group.isEmpty() && Math.abs(r.distance() - groupStart) > 1e-6) {
                group.sort(null);
                out.addAll(group);
                group.clear();
            }
            if (group.isEmpty()) groupStart = r.distance();
            group.add(r.id().toString());
        }
        return out;
    }

    private static List<DocId> ids(List<QueryResult.Row> rows) {
        return rows.stream().map(QueryResult.Row::id).toList();
    }

    @Test
    void mergesWaitWhileWritesFlowAndRunOnceTheyPause(@TempDir Path dir) throws Exception {
        int maxSegments = 2;
        EngineOptions.Indexing ix = new EngineOptions.Indexing(true, 1, 200, 2L << 30, maxSegments, 3_600_000, IndexConfig.defaults());
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), new EngineOptions("t/", 0, 1 << 20, 64, ix, dir))) {
            Namespace ns = db.namespace("flow");
            int mostSegments = 0;
            for (int i = 0; i < 12; i++) {
                ns.write(WriteRequest.builder().upsert(DocId.of(i), new float[] {i, 1}, Map.of()).build());
                Thread.sleep(40);
                mostSegments = Math.max(mostSegments, ns.state().manifest().segments().size());
            }
            assertThat(mostSegments).as("merging still bounds the segment count while writes flow")
                    .isLessThanOrEqualTo(Indexer.MERGE_ANYWAY_FACTOR * maxSegments + 1);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while ((ns.state().manifest().segments().size() > maxSegments || ns.metadata().unindexedBytes() > 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ns.state().manifest().segments().size()).as("merged once the writes paused").isLessThanOrEqualTo(maxSegments);
            assertThat(ns.metadata().approxRowCount()).isEqualTo(12);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {IndexConfig.HNSW, IndexConfig.CLUSTERED})
    void aFoldFinishesItsIndexWhileWritesNeverPause(String type, Random random, @TempDir Path dir) throws Exception {
        EngineOptions.Indexing ix = new EngineOptions.Indexing(true, 1, 3_600_000, 2L << 30, 8, 3_600_000,
                new IndexConfig(16, 200, "none", type));
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), new EngineOptions("t/", 0, 1 << 20, 64, ix, dir));
             WriteTraffic.Scope endless = WriteTraffic.begin()) { // a write in flight the whole time: the build steps aside
            Namespace ns = db.namespace("busy");
            WriteRequest.Builder w = WriteRequest.builder();
            int rows = GraphIndexer.MIN_ROWS * 2;
            for (int i = 0; i < rows; i++) {
                float[] v = new float[16];
                for (int d = 0; d < v.length; d++) v[d] = random.nextFloat() - 0.5f;
                w.upsert(DocId.of(i), v, Map.of());
            }
            ns.write(w.build());
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (ns.metadata().unindexedBytes() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(ns.metadata().unindexedBytes()).as("folded though writes never paused").isZero();
            assertThat(ns.state().manifest().segments()).anySatisfy(seg -> assertThat(seg.hasAnnIndex()).isTrue());
            assertThat(ns.metadata().approxRowCount()).isEqualTo(rows);
        }
    }

    @Test
    void metadataReportsIndexStatus() throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), options(Path.of("target/cache-status"), 3_600_000, 8))) {
            Namespace ns = db.namespace("status");
            ns.write(WriteRequest.builder().upsert(DocId.of(1), new float[] {1, 2}, Map.of()).build());
            assertThat(ns.metadata().unindexedBytes()).isGreaterThan(0);
            ns.flushIndex();
            assertThat(ns.metadata().unindexedBytes()).isZero();
            assertThat(ns.metadata().approxRowCount()).isEqualTo(1);
        }
    }

    @Test
    void writesAreRefusedWhileTheBacklogIsOverTheLimit() throws Exception {
        EngineOptions.Indexing ix = new EngineOptions.Indexing(true, Long.MAX_VALUE, 3_600_000, 100, 8, 3_600_000, IndexConfig.defaults());
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), new EngineOptions("t/", 0, 1 << 20, 64, ix, Path.of("target/cache-bp")))) {
            Namespace ns = db.namespace("bp");
            float[] filler = new float[64];
            java.util.Arrays.fill(filler, 1f); // any non-zero vector (cosine refuses all-zero ones)
            ns.write(WriteRequest.builder().upsert(DocId.of(1), filler, Map.of()).build());
            assertThatThrownBy(() -> ns.write(WriteRequest.builder().upsert(DocId.of(2), filler, Map.of()).build()))
                    .isInstanceOf(BackpressureException.class).hasMessageContaining("unindexed bytes");
            ns.flushIndex();
            ns.write(WriteRequest.builder().upsert(DocId.of(2), filler, Map.of()).build());
            assertThat(ns.metadata().approxRowCount()).isEqualTo(2);
        }
    }

    @Test
    void garbageIsCollectedAfterTheGracePeriod(@TempDir Path dir) throws Exception {
        ObjectStore store = new MemoryObjectStore();
        try (Lodestone db = Lodestone.open(store, options(dir, 0, 2))) {
            Namespace ns = db.namespace("gc");
            ns.write(WriteRequest.builder().schema("t", new io.lodestone.doc.AttributeSchema(io.lodestone.doc.AttributeType.STRING,
                    false, io.lodestone.doc.FullTextOptions.defaults())).build());
            for (int i = 0; i < 6; i++) {
                ns.write(WriteRequest.builder().upsert(DocId.of(i % 3), new float[] {i, 1}, Map.of("v", (long) i, "t", "word " + i)).build());
                ns.flushIndex();
            }
            Thread.sleep(5);
            ns.flushIndex();
            String prefix = ns.prefix();
            Manifest current = new ManifestStore(store, prefix).latest();
            assertThat(store.list(prefix + "wal/", null, 100)).as("folded log entries are deleted").isEmpty();
            assertThat(store.list(SegmentKeys.manifests(prefix), null, 100)).hasSize(1);
            List<String> segmentKeys = store.list(SegmentKeys.segments(prefix), null, 1000);
            List<String> expectedPrefixes = new ArrayList<>();
            current.segments().forEach(s -> expectedPrefixes.add(SegmentKeys.segmentPrefix(prefix, s.id())));
            assertThat(segmentKeys).allMatch(k -> expectedPrefixes.stream().anyMatch(k::startsWith));
            assertThat(segmentKeys).as("live segments keep their text index files").anyMatch(k -> k.contains("/text/"));
            assertThat(dump(ns)).hasSize(3);
            assertThat(ns.query(new Query(new Query.RankBy.Text("t", "word"), null, 10, Query.AttributeSelection.NONE,
                    Map.of(), List.of(), false)).rows()).hasSize(3);
        }
    }

    @Test
    void aCorruptedSegmentIsDetectedAndNeverServed(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        String docsKey;
        try (LocalObjectStore store = new LocalObjectStore(data);
             Lodestone db = Lodestone.open(store, options(dir.resolve("cache"), 3_600_000, 8))) {
            Namespace ns = db.namespace("corrupt");
            WriteRequest.Builder b = WriteRequest.builder();
            for (int i = 0; i < 100; i++) b.upsert(DocId.of(i), new float[] {i, 1}, Map.of("name", "doc" + i));
            ns.write(b.build());
            ns.flushIndex();
            Manifest m = ns.state().manifest();
            docsKey = SegmentKeys.docs(ns.prefix(), m.segments().getFirst().id());
        }
        Path file = data.resolve(docsKey);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        try (LocalObjectStore store = new LocalObjectStore(data);
             Lodestone db = Lodestone.open(store, options(dir.resolve("cache"), 3_600_000, 8))) {
            assertThatThrownBy(() -> db.namespace("corrupt").query(everything()))
                    .isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining(docsKey).hasMessageContaining("checksum mismatch");
        }
    }
}
