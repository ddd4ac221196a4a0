package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.store.ObjectStore;
import io.lodestone.store.ObjectStores;
import io.lodestone.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine on a real S3-compatible server: two databases (two "servers") over one bucket, each with
 * its own disk cache, see each other's writes and indexes; segment files are fetched into the cache.
 */
class TestEngineOnS3 {
    private static S3ProxyServer s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
    }

    @Test
    void twoServersShareOneBucket(@TempDir Path dir) throws Exception {
        try (ObjectStore storeA = ObjectStores.open(s3.storageOptions("engine-a/"));
             ObjectStore storeB = ObjectStores.open(s3.storageOptions("engine-a/"));
             Lodestone a = Lodestone.open(storeA, TestIndexing.options(dir.resolve("cache-a"), 3_600_000, 8));
             Lodestone b = Lodestone.open(storeB, TestIndexing.options(dir.resolve("cache-b"), 3_600_000, 8))) {
            WriteRequest.Builder w = WriteRequest.builder();
            for (int i = 0; i < 200; i++) w.upsert(DocId.of(i), new float[] {i, 1, 0}, Map.of("group", i % 2 == 0 ? "even" : "odd"));
            a.namespace("shared").write(w.build());
            a.namespace("shared").flushIndex();
            b.namespace("shared").write(WriteRequest.builder().delete(DocId.of(0)).patch(DocId.of(2), Map.of("group", "patched")).build());
            for (Lodestone db : List.of(a, b)) {
                QueryResult r = db.namespace("shared").query(new Query(new Query.RankBy.Vector(new float[] {0, 1, 0}, false),
                        FilterSpec.sql("group != 'odd'"), 3, Query.AttributeSelection.ALL, Map.of(), List.of(), false));
                assertThat(r.rows()).extracting(QueryResult.Row::id).containsExactly(DocId.of(2), DocId.of(4), DocId.of(6));
                assertThat(r.rows().getFirst().attributes()).containsEntry("group", "patched");
            }
            assertThat(a.cache().disk().stats().bytesFetched()).as("a keeps the segment it built: no download").isZero();
            b.namespace("shared").flushIndex();
            assertThat(a.namespace("shared").metadata().approxRowCount()).isEqualTo(199);
            assertThat(b.cache().disk().stats().misses()).as("b fetched a's segment into its cache").isPositive();
        }
    }

    private static final Query NEAREST = Query.nearest(new float[] {3, 1, 0}, 5);

    @Test
    void queriesReportColdThenHotAndAWarmRestart(@TempDir Path dir) throws Exception {
        Path cacheB = dir.resolve("cache-b");
        try (ObjectStore storeA = ObjectStores.open(s3.storageOptions("engine-temp/"));
             Lodestone a = Lodestone.open(storeA, TestIndexing.options(dir.resolve("cache-a"), 3_600_000, 8))) {
            WriteRequest.Builder w = WriteRequest.builder();
            for (int i = 0; i < 300; i++) w.upsert(DocId.of(i), new float[] {i, 1, i % 7}, Map.of("n", i));
            a.namespace("temp").write(w.build());
            a.namespace("temp").flushIndex();
            QueryStats built = a.namespace("temp").query(NEAREST).stats();
            assertThat(built.storeLookups()).as("a built the segment: its files were moved into a's cache").isZero();
        }
        try (ObjectStore storeB = ObjectStores.open(s3.storageOptions("engine-temp/"));
             Lodestone b = Lodestone.open(storeB, TestIndexing.options(cacheB, 3_600_000, 8))) {
            QueryStats first = b.namespace("temp").query(NEAREST).stats();
            assertThat(first.cacheTemperature()).isEqualTo("cold");
            assertThat(first.cacheHitRatio()).isLessThan(1.0);
            QueryStats second = b.namespace("temp").query(NEAREST).stats();
            assertThat(second.cacheTemperature()).isEqualTo("hot");
            assertThat(second.cacheHitRatio()).isEqualTo(1.0);
            assertThat(second.namespaceRows()).isEqualTo(300);
        }
        try (ObjectStore storeC = ObjectStores.open(s3.storageOptions("engine-temp/"));
             Lodestone c = Lodestone.open(storeC, TestIndexing.options(cacheB, 3_600_000, 8))) {
            QueryStats restarted = c.namespace("temp").query(NEAREST).stats();
            assertThat(restarted.cacheTemperature()).as("b's disk cache survived the restart").isEqualTo("warm");
            assertThat(c.cache().disk().stats().bytesFetched()).isZero();
        }
    }

    @Test
    void mergedAwayAndDeletedSegmentsLeaveTheCache(@TempDir Path dir) throws Exception {
        try (ObjectStore store = ObjectStores.open(s3.storageOptions("engine-dead/"));
             Lodestone db = Lodestone.open(store, TestIndexing.options(dir.resolve("cache"), 3_600_000, 1))) {
            Namespace ns = db.namespace("dead");
            for (int round = 0; round < 3; round++) {
                WriteRequest.Builder w = WriteRequest.builder();
                for (int i = 0; i < 50; i++) w.upsert(DocId.of(round * 50 + i), new float[] {i, round, 1}, Map.of());
                ns.write(w.build());
                ns.flushIndex(); // more than one segment: merged into one
            }
            assertThat(ns.indexState().segments()).isEqualTo(1);
            long resident = db.cache().disk().residentBytes();
            long live = liveSegmentBytes(store, ns);
            assertThat(resident).as("only the live segment's files stay cached").isEqualTo(live);
            ns.delete();
            assertThat(db.cache().disk().residentBytes()).as("a deleted namespace leaves the cache").isZero();
        }
    }

    private static long liveSegmentBytes(ObjectStore store, Namespace ns) throws java.io.IOException {
        long n = 0;
        for (String key : store.list(ns.prefix() + "segments/", null, 10_000)) {
            if (!key.contains("/deletes-") && ns.state().manifest().segments().stream()
                    .anyMatch(s -> key.contains("/segments/" + s.id() + "/"))) {
                n += store.size(key);
            }
        }
        return n;
    }
}
