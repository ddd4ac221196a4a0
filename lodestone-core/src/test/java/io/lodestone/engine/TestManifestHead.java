package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.doc.IndexConfig;
import io.lodestone.store.MemoryObjectStore;
import io.lodestone.testing.ForwardingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A namespace's head ({@link Catalog}): a cold server opens the manifest it names while listing the manifests, and
 * a head that is stale, corrupt or of another incarnation never hides what was published.
 */
class TestManifestHead {

    /** A remote store (memory with {@code local() = false}) that records the keys it was asked to get whole. */
    static final class RemoteStore extends ForwardingStore {
        final Queue<String> gets = new ConcurrentLinkedQueue<>();

        RemoteStore(MemoryObjectStore bucket) {
            super(bucket);
        }

        @Override
        public boolean local() {
            return false;
        }

        @Override
        public byte[] get(String key) throws IOException {
            gets.add(key);
            return super.get(key);
        }

        long manifestGets() {
            return gets.stream().filter(k -> k.contains("/manifest/")).count();
        }
    }

    private static EngineOptions options(Path cache) {
        EngineOptions.Indexing ix = new EngineOptions.Indexing(true, Long.MAX_VALUE, 3_600_000, 2L << 30, 8, 60_000,
                IndexConfig.defaults());
        return new EngineOptions("t/", 0, 1 << 20, 64, ix, cache);
    }

    /** Writes rows {@code from .. to-1} (vector {@code [i, 1]}) and folds them into a segment. */
    private static void fold(Namespace ns, int from, int to) {
        WriteRequest.Builder b = WriteRequest.builder();
        for (int i = from; i < to; i++) b.upsert(DocId.of(i), new float[] {i, 1}, Map.of("n", (long) i));
        ns.write(b.build());
        ns.flushIndex();
    }

    private static List<String> ids(Namespace ns) {
        QueryResult r = ns.query(new Query(new Query.RankBy.Vector(new float[] {0, 1}, false), null, 100,
                Query.AttributeSelection.NONE, Map.of(), List.of(), false));
        return r.rows().stream().map(row -> row.id().toString()).sorted().toList();
    }

    private static String head(String name) {
        return "t/head/" + name;
    }

    @Test
    void aColdServerOpensTheHeadsManifestWithoutReadingAManifestObject(@TempDir Path dir) throws IOException {
        MemoryObjectStore bucket = new MemoryObjectStore();
        List<String> expected;
        try (Lodestone writer = Lodestone.open(bucket, options(dir.resolve("a")))) {
            Namespace ns = writer.namespace("h");
            fold(ns, 0, 20);
            fold(ns, 20, 30);
            expected = ids(ns);
        }
        assertThat(bucket.exists(head("h"))).as("the indexer recorded its head").isTrue();
        RemoteStore remote = new RemoteStore(bucket);
        try (Lodestone cold = Lodestone.open(remote, options(dir.resolve("b")))) {
            assertThat(ids(cold.namespace("h"))).isEqualTo(expected).hasSize(30);
        }
        assertThat(remote.gets).contains(head("h"), "t/catalog/h");
        assertThat(remote.manifestGets()).as("the head was the newest manifest: none read").isZero();
    }

    @Test
    void aStaleHeadIsPassedOverForTheNewestManifest(@TempDir Path dir) throws IOException {
        MemoryObjectStore bucket = new MemoryObjectStore();
        try (Lodestone writer = Lodestone.open(bucket, options(dir.resolve("a")))) {
            Namespace ns = writer.namespace("h");
            fold(ns, 0, 20);
            byte[] firstHead = bucket.get(head("h"));
            fold(ns, 20, 30);
            ns.write(WriteRequest.builder().delete(DocId.of(3)).build());
            ns.flushIndex();
            bucket.put(head("h"), firstHead); // two publishers wrote their heads out of order
        }
        RemoteStore remote = new RemoteStore(bucket);
        try (Lodestone cold = Lodestone.open(remote, options(dir.resolve("b")))) {
            List<String> seen = ids(cold.namespace("h"));
            assertThat(seen).hasSize(29).doesNotContain("3").contains("29");
        }
        assertThat(remote.manifestGets()).as("the newest manifest read after the listing").isPositive();
    }

    @Test
    void aCorruptHeadOrOneOfAnotherIncarnationIsIgnored(@TempDir Path dir) throws IOException {
        MemoryObjectStore bucket = new MemoryObjectStore();
        byte[] oldHead;
        try (Lodestone writer = Lodestone.open(bucket, options(dir.resolve("a")))) {
            Namespace ns = writer.namespace("h");
            fold(ns, 0, 20);
            oldHead = bucket.get(head("h"));
            ns.delete();
            Namespace again = writer.namespace("h");
            fold(again, 100, 105);
        }
        bucket.put(head("h"), oldHead); // the deleted incarnation's head
        try (Lodestone cold = Lodestone.open(new RemoteStore(bucket), options(dir.resolve("b")))) {
            assertThat(ids(cold.namespace("h"))).containsExactly("100", "101", "102", "103", "104");
        }
        byte[] corrupt = oldHead.clone();
        corrupt[corrupt.length / 2] ^= 0x10;
        bucket.put(head("h"), corrupt);
        try (Lodestone cold = Lodestone.open(new RemoteStore(bucket), options(dir.resolve("c")))) {
            assertThat(ids(cold.namespace("h"))).containsExactly("100", "101", "102", "103", "104");
        }
    }

    @Test
    void sweepingADeletedNamespaceRemovesItsHead(@TempDir Path dir) throws Exception {
        MemoryObjectStore bucket = new MemoryObjectStore();
        try (Lodestone db = Lodestone.open(bucket, options(dir))) {
            Namespace ns = db.namespace("h");
            fold(ns, 0, 5);
            ns.delete();
            assertThat(bucket.exists(head("h"))).isTrue();
            Thread.sleep(5); // deleted strictly before the sweep's horizon
            new Catalog(bucket, "t/").sweep(0);
            assertThat(bucket.exists(head("h"))).isFalse();
            assertThat(bucket.list("t/ns/h/", null, 10)).isEmpty();
        }
    }
}
