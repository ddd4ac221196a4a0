package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.doc.IndexConfig;
import io.lodestone.segment.Manifest;
import io.lodestone.segment.ManifestStore;
import io.lodestone.segment.SegmentKeys;
import io.lodestone.store.ObjectStore;
import io.lodestone.store.ObjectStores;
import io.lodestone.testing.S3ProxyServer;
import io.lodestone.testing.Seeded;
import io.lodestone.wal.WalKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Several databases ("servers") over one bucket on a real S3-compatible server, while garbage collection,
 * idling and concurrent indexing happen: no acknowledged write is lost or hidden, and no two servers fold
 * the same entries.
 */
@ExtendWith(Seeded.class)
class TestStaleServers {
    private static S3ProxyServer s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
    }

    /** Indexing only when asked (flushIndex), or as configured by {@code minBytes}/{@code idleMillis}. */
    private static EngineOptions options(Path cache, long graceMillis, long minBytes, long idleMillis, long leaseMillis) {
        EngineOptions.Indexing ix = new EngineOptions.Indexing(true, minBytes, idleMillis, 2L << 30, 4, graceMillis,
                IndexConfig.defaults()).withCoordination(leaseMillis, 3_600_000);
        return new EngineOptions("t/", 0, 1 << 20, 64, ix, cache);
    }

    private static Query everything() {
        return new Query(new Query.RankBy.Attribute("id", false), null, 10_000, Query.AttributeSelection.ALL, Map.of(), List.of(), false);
    }

    private static Map<DocId, Object> dump(Namespace ns) {
        Map<DocId, Object> out = new HashMap<>();
        for (QueryResult.Row r : ns.query(everything()).rows()) out.put(r.id(), r.attributes().get("v"));
        return out;
    }

    private static WriteRequest upsert(long id, long value) {
        return WriteRequest.builder().upsert(DocId.of(id), new float[] {id, 1, value}, Map.of("v", value)).build();
    }

    /**
     * The scenario: server C reads a namespace once and idles past the GC grace while A writes, folds and
     * collects, deleting the manifest and log entry C would probe next. C's next query must show A's writes, and
     * C's next write must land after them (never in a collected slot) and be seen by A.
     */
    @Test
    void anIdleServerNeitherHidesNorLosesWrites(@TempDir Path dir) throws Exception {
        long grace = 300;
        try (ObjectStore storeA = ObjectStores.open(s3.storageOptions("stale-idle/"));
             ObjectStore storeC = ObjectStores.open(s3.storageOptions("stale-idle/"));
             Lodestone a = Lodestone.open(storeA, options(dir.resolve("a"), grace, Long.MAX_VALUE, 3_600_000, 60_000));
             Lodestone c = Lodestone.open(storeC, options(dir.resolve("c"), grace, Long.MAX_VALUE, 3_600_000, 60_000))) {
            Namespace na = a.namespace("idle");
            na.write(upsert(0, 0));
            na.flushIndex();
            Namespace nc = c.namespace("idle");
            assertThat(dump(nc)).containsOnlyKeys(DocId.of(0));
            NamespaceState.Snapshot seen = nc.state().snapshot();
            String prefix = nc.prefix();

            // A writes and folds one entry per round; each round's GC deletes what is older than the grace.
            for (int i = 1; i <= 4; i++) {
                na.write(upsert(i, i));
                Thread.sleep(grace + 50);
                na.flushIndex();
            }
            na.flushIndex();
            // What C would probe next is gone: the next manifest and the next log slot after its view.
            assertThat(storeA.exists(SegmentKeys.manifest(prefix, seen.manifest().version() + 1))).isFalse();
            assertThat(storeA.exists(WalKeys.key(prefix, seen.lastSeq() + 1))).isFalse();

            assertThat(dump(nc)).as("C's first query after idling sees A's writes").containsOnlyKeys(
                    DocId.of(0), DocId.of(1), DocId.of(2), DocId.of(3), DocId.of(4));
            Thread.sleep(grace); // idle again, then write first thing
            WriteResult w = nc.write(upsert(100, 7));
            Manifest newest = new ManifestStore(storeA, prefix).latest();
            assertThat(w.seq()).as("C's write lands after everything folded").isGreaterThan(newest.lastIndexedSeq());
            assertThat(dump(na)).containsEntry(DocId.of(100), 7L).hasSize(6);
            Thread.sleep(grace + 50);
            na.flushIndex();
            Thread.sleep(grace + 50);
            na.flushIndex(); // folds C's write and collects around it
            assertThat(dump(na)).containsEntry(DocId.of(100), 7L).hasSize(6);
            assertThat(dump(nc)).containsEntry(DocId.of(100), 7L).hasSize(6);
        }
    }

    /**
     * Three servers write one namespace at once with background indexing on all of them: every acknowledged row is
     * present with its latest value on every server, and every segment in the bucket belongs to a published
     * manifest (one indexer at a time: no duplicate folds leaving orphans).
     */
    @Test
    void threeServersWritingAtOnceLoseNothingAndFoldOnce(Random random, @TempDir Path dir) throws Exception {
        int servers = 3;
        List<ObjectStore> stores = new ArrayList<>();
        List<Lodestone> dbs = new ArrayList<>();
        try {
            for (int i = 0; i < servers; i++) {
                stores.add(ObjectStores.open(s3.storageOptions("stale-three/")));
                dbs.add(Lodestone.open(stores.get(i), options(dir.resolve("c" + i), 3_600_000, 2_000, 50, 10_000)));
            }
            dbs.getFirst().namespace("busy").write(upsert(-1, 0)); // created once, before the race
            Map<Long, Long> acked = new ConcurrentHashMap<>();
            long seed = random.nextLong();
            ExecutorService pool = Executors.newFixedThreadPool(servers);
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < servers; s++) {
                int server = s;
                done.add(pool.submit(() -> {
                    Random r = new Random(seed + server);
                    Namespace ns = dbs.get(server).namespace("busy");
                    for (int round = 0; round < 25; round++) {
                        // each server owns the ids ≡ server (mod 3), so "latest" is well defined per id
                        long id = server + 3L * r.nextInt(30);
                        long value = round;
                        ns.write(upsert(id, value));
                        acked.put(id, value);
                        if (r.nextInt(8) == 0) dump(ns);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            pool.shutdown();
            acked.put(-1L, 0L);
            for (Lodestone db : dbs) {
                Map<DocId, Object> seen = dump(db.namespace("busy"));
                assertThat(seen).hasSize(acked.size());
                acked.forEach((id, v) -> assertThat(seen).containsEntry(DocId.of(id), v));
            }
            // Let the indexers finish, then compare the segments in the bucket with those manifests published.
            Thread.sleep(1_500);
            ObjectStore store = stores.getFirst();
            String prefix = dbs.getFirst().namespace("busy").prefix();
            Set<String> published = new HashSet<>();
            for (String key : store.list(SegmentKeys.manifests(prefix), null, Integer.MAX_VALUE)) {
                Manifest m = Manifest.decode(store.get(key), key);
                m.segments().forEach(s -> published.add(s.id()));
            }
            Set<String> stored = new HashSet<>();
            String segments = SegmentKeys.segments(prefix);
            for (String key : store.list(segments, null, Integer.MAX_VALUE)) {
                stored.add(key.substring(segments.length(), key.indexOf('/', segments.length())));
            }
            assertThat(published).as("the indexers folded something").isNotEmpty();
            assertThat(stored).as("every stored segment was published (no duplicate folds)").isSubsetOf(published);
            for (Lodestone db : dbs) {
                Map<DocId, Object> seen = dump(db.namespace("busy"));
                acked.forEach((id, v) -> assertThat(seen).containsEntry(DocId.of(id), v));
            }
        } finally {
            for (Lodestone db : dbs) db.close();
            for (ObjectStore s : stores) s.close();
        }
    }

    /** A cold server replays a long unindexed tail (read in parallel windows) to exactly the writer's state. */
    @Test
    void aColdServerReplaysALongTail(Random random, @TempDir Path dir) throws Exception {
        Map<DocId, Object> expected;
        try (ObjectStore store = ObjectStores.open(s3.storageOptions("stale-cold/"));
             Lodestone writer = Lodestone.open(store, options(dir.resolve("w"), 3_600_000, Long.MAX_VALUE, 3_600_000, 60_000))) {
            Namespace ns = writer.namespace("tail");
            for (int i = 0; i < 70; i++) ns.write(upsert(random.nextInt(40), i)); // 70 log entries, none folded
            expected = dump(ns);
        }
        try (ObjectStore store = ObjectStores.open(s3.storageOptions("stale-cold/"));
             Lodestone cold = Lodestone.open(store, options(dir.resolve("r"), 3_600_000, Long.MAX_VALUE, 3_600_000, 60_000))) {
            Namespace ns = cold.namespace("tail");
            assertThat(dump(ns)).isEqualTo(expected);
            assertThat(ns.state().lastSeq()).isEqualTo(70);
        }
    }

    /**
     * A deletes the namespace while C has it loaded: C's next query answers 404 and C's next write lands in a new
     * namespace that A sees (never in the deleted one); a server that idled past the grace, while the deleted data
     * was swept, does the same.
     */
    @Test
    void aDeleteByAnotherServerIsSeenAtOnce(@TempDir Path dir) throws Exception {
        long grace = 300;
        try (ObjectStore storeA = ObjectStores.open(s3.storageOptions("stale-delete/"));
             ObjectStore storeC = ObjectStores.open(s3.storageOptions("stale-delete/"));
             ObjectStore storeD = ObjectStores.open(s3.storageOptions("stale-delete/"));
             Lodestone a = Lodestone.open(storeA, options(dir.resolve("a"), grace, Long.MAX_VALUE, 3_600_000, 60_000));
             Lodestone c = Lodestone.open(storeC, options(dir.resolve("c"), 3_600_000, Long.MAX_VALUE, 3_600_000, 60_000));
             Lodestone d = Lodestone.open(storeD, options(dir.resolve("d"), grace, Long.MAX_VALUE, 3_600_000, 60_000))) {
            a.namespace("gone").write(upsert(1, 1));
            assertThat(dump(c.namespace("gone"))).containsOnlyKeys(DocId.of(1));
            assertThat(dump(d.namespace("gone"))).containsOnlyKeys(DocId.of(1));
            String oldPrefix = a.namespace("gone").prefix();

            a.namespace("gone").delete();
            assertThatThrownBy(() -> c.namespace("gone").query(everything())).isInstanceOf(NamespaceNotFoundException.class);
            c.namespace("gone").write(upsert(2, 2));
            assertThat(dump(a.namespace("gone"))).as("C's write after the delete made a new namespace")
                    .containsOnlyKeys(DocId.of(2));
            assertThat(c.namespace("gone").prefix()).isNotEqualTo(oldPrefix);

            // D idles while the old data is swept (A's grace is 300 ms, its sweeper runs every second).
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!storeA.list(oldPrefix, null, 1).isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
            assertThat(storeA.list(oldPrefix, null, 1)).as("the deleted data was swept").isEmpty();
            assertThat(dump(d.namespace("gone"))).as("D, idle past the grace, sees the new namespace")
                    .containsOnlyKeys(DocId.of(2));
        }
    }
}
