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
}
