package io.lodestone.engine;

import io.lodestone.codec.CorruptObjectException;
import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.doc.IndexConfig;
import io.lodestone.segment.SegmentKeys;
import io.lodestone.store.MemoryObjectStore;
import io.lodestone.store.ObjectStore;
import io.lodestone.testing.ForwardingStore;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server with an empty cache reads segments by verified byte ranges: a query fetches the ends of the files (ids,
 * offsets, norms, dictionaries), the index it walks, and the rows and posting lists it returns, not whole files;
 * answers equal the writer's; a block corrupted in the store is refetched and then refused, one corrupted in the
 * cache is noticed after a restart and fetched again.
 */
@ExtendWith(Seeded.class)
class TestRangedReads {
    private static final int ROWS = 3_000;
    private static final int DIMS = 16;

    /** Counts what is read from the store, per object; can corrupt the bytes of one read of one object. */
    static class WatchedStore extends ForwardingStore {
        final Map<String, AtomicLong> bytesRead = new ConcurrentHashMap<>();
        final AtomicInteger wholeReads = new AtomicInteger();
        volatile String corruptOnce;
        volatile boolean corruptAlways;

        WatchedStore(ObjectStore delegate) {
            super(delegate);
        }

        private byte[] seen(String key, byte[] bytes) {
            bytesRead.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(bytes.length);
            if (key.equals(corruptOnce) || (corruptAlways && corruptOnce == null && key.contains("/docs"))) {
                if (!corruptAlways) corruptOnce = null;
                byte[] copy = bytes.clone();
                copy[copy.length / 2] ^= 0x01;
                return copy;
            }
            return bytes;
        }

        @Override
        public byte[] get(String key) throws IOException {
            wholeReads.incrementAndGet();
            return seen(key, super.get(key));
        }

        @Override
        public byte[] getRange(String key, long offset, int length) throws IOException {
            return seen(key, super.getRange(key, offset, length));
        }

        @Override
        public Tail getTail(String key, int length) throws IOException {
            Tail t = super.getTail(key, length);
            bytesRead.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(t.bytes().length);
            return t;
        }

        @Override
        public void getToFile(String key, Path target) throws IOException {
            wholeReads.incrementAndGet();
            Files.write(target, seen(key, super.get(key)));
        }

        long read(String keyPart) {
            return bytesRead.entrySet().stream().filter(e -> e.getKey().contains(keyPart)).mapToLong(e -> e.getValue().get()).sum();
        }
    }

    private static EngineOptions options(Path cache) {
        EngineOptions.Indexing ix = new EngineOptions.Indexing(true, Long.MAX_VALUE, 3_600_000, 2L << 30, 4, 3_600_000,
                IndexConfig.defaults());
        return new EngineOptions("t/", 0, 8 << 20, 1024, ix, cache);
    }

    private static final String[] WORDS = {"granite", "harbor", "lantern", "meadow", "orchid", "pebble", "quartz",
            "river", "saffron", "thicket", "umber", "violet", "willow", "yarrow", "zephyr"};

    /** Writes ROWS rows with vectors, a long text body (so the docs file dwarfs what a query needs) and a number. */
    private static void load(Namespace ns, Random r) {
        load(ns, r, DIMS);
    }

    private static void load(Namespace ns, Random r, int dims) {
        ns.write(WriteRequest.builder().schema("body", new AttributeSchema(AttributeType.STRING, false, FullTextOptions.defaults())).build());
        for (int start = 0; start < ROWS; start += 500) {
            WriteRequest.Builder b = WriteRequest.builder();
            for (int i = start; i < start + 500; i++) {
                float[] v = new float[dims];
                for (int d = 0; d < dims; d++) v[d] = (float) r.nextGaussian();
                StringBuilder body = new StringBuilder();
                for (int w = 0; w < 400; w++) {
                    body.append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(2000)).append(' '); // 30,000 distinct terms
                }
                if (i % 100 == 0) body.append("kingfisher");
                b.upsert(DocId.of(i), v, Map.of("body", body.toString(), "n", (long) i));
            }
            ns.write(b.build());
        }
        ns.flushIndex();
    }

    private static Query ann(float[] q) {
        return new Query(new Query.RankBy.Vector(q, true, null, 0), null, 10, Query.AttributeSelection.ALL, Map.of(), List.of(), false);
    }

    private static Query bm25(String text) {
        return new Query(new Query.RankBy.Text("body", text), null, 10, Query.AttributeSelection.ALL, Map.of(), List.of(), false);
    }

    /** What a row says: id, distance, attributes and vector values. */
    private static List<String> view(QueryResult r) {
        return r.rows().stream().map(row -> row.id() + " " + row.distance() + " " + row.attributes() + " "
                + java.util.Arrays.toString(row.vector())).toList();
    }

    /** A namespace one server wrote and indexed, with its answer to an ANN query. */
    private record Written(MemoryObjectStore bucket, String prefix, float[] query, QueryResult ann) {
    }

    /** Writes ROWS rows of {@code dims} dimensions into a new bucket through a server caching in {@code cache}. */
    private static Written written(Random r, Path cache, String name, int dims, IndexConfig index) {
        MemoryObjectStore bucket = new MemoryObjectStore();
        float[] q = new float[dims];
        for (int d = 0; d < dims; d++) q[d] = (float) r.nextGaussian();
        try (Lodestone writer = Lodestone.open(bucket, options(cache))) {
            Namespace ns = writer.namespace(name);
            if (index != null) ns.write(WriteRequest.builder().index(index).build());
            load(ns, r, dims);
            return new Written(bucket, ns.prefix(), q, ns.query(ann(q)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long size(ObjectStore store, String prefix, String part) throws IOException {
        long n = 0;
        for (String k : store.list(prefix, null, 10_000)) if (k.contains(part)) n += store.size(k);
        return n;
    }

    @Test
    void aColdServerReadsRangesAndAnswersLikeTheWriter(Random r, @TempDir Path dir) throws IOException {
        MemoryObjectStore bucket = new MemoryObjectStore();
        float[] q = new float[DIMS];
        for (int d = 0; d < DIMS; d++) q[d] = (float) r.nextGaussian();
        QueryResult annThere;
        QueryResult textThere;
        String prefix;
        try (Lodestone writer = Lodestone.open(bucket, options(dir.resolve("a")))) {
            Namespace ns = writer.namespace("ranged");
            load(ns, r);
            prefix = ns.prefix();
            annThere = ns.query(ann(q));
            textThere = ns.query(bm25("kingfisher"));
        }
        assertThat(textThere.rows()).hasSize(10);
        WatchedStore watched = new WatchedStore(bucket);
        try (Lodestone cold = Lodestone.open(watched, options(dir.resolve("b")))) {
            Namespace ns = cold.namespace("ranged");
            assertThat(view(ns.query(ann(q)))).isEqualTo(view(annThere));
            long docs = size(bucket, SegmentKeys.segments(prefix), "/docs");
            long block = io.lodestone.codec.BlockTable.DEFAULT_BLOCK_SIZE;
            assertThat(watched.read("/docs")).as("tail, header, ids and offsets, and ten rows of a %d-byte docs file", docs)
                    .isLessThanOrEqualTo(512 * 1024 + (4 + 10) * 4 * block).isLessThan(docs / 3);
            assertThat(watched.wholeReads.get()).as("no segment file downloaded whole").isLessThanOrEqualTo(countSmall(bucket, prefix));

            long textBefore = watched.read("/text/");
            assertThat(view(ns.query(bm25("kingfisher")))).isEqualTo(view(textThere));
            long text = size(bucket, SegmentKeys.segments(prefix), "/text/");
            assertThat(watched.read("/text/") - textBefore).as("dictionary and one posting list of a %d-byte index", text)
                    .isLessThan(text / 2);

            // a filter reads every row's attributes: the rest of the docs file arrives, answers unchanged
            Query filtered = new Query(new Query.RankBy.Vector(q, true, null, 0),
                    FilterSpec.sql("n < 1500"), 10, Query.AttributeSelection.ALL, Map.of(), List.of(), false);
            try (Lodestone again = Lodestone.open(bucket, options(dir.resolve("c")))) {
                assertThat(view(ns.query(filtered))).isEqualTo(view(again.namespace("ranged").query(filtered)));
            }
        }
    }

    @Test
    void aWalkOnCodesFetchesOnlyTheVectorsItReranks(Random r, @TempDir Path dir) throws IOException {
        Written w = written(r, dir.resolve("a"), "codes", 256, new IndexConfig(16, 100, "sq8"));
        MemoryObjectStore bucket = w.bucket();
        String prefix = w.prefix();
        assertThat(size(bucket, SegmentKeys.segments(prefix), "/codes")).as("the segment has codes").isPositive();
        WatchedStore watched = new WatchedStore(bucket);
        try (Lodestone cold = Lodestone.open(watched, options(dir.resolve("b")))) {
            assertThat(view(cold.namespace("codes").query(ann(w.query())))).isEqualTo(view(w.ann()));
        }
        long vectors = size(bucket, SegmentKeys.segments(prefix), "/vectors");
        assertThat(watched.read("/vectors")).as("norms and the reranked rows of a %d-byte vectors file", vectors)
                .isLessThan(vectors / 2);
    }

    @Test
    void idleNamespacesUnpinTheirFilesWhenTheyExceedTheDiskBudget(Random r, @TempDir Path dir) throws Exception {
        Written a = written(r, dir.resolve("a"), "first", DIMS, null);
        MemoryObjectStore bucket = a.bucket();
        try (Lodestone writer = Lodestone.open(bucket, options(dir.resolve("a")))) {
            load(writer.namespace("second"), r, DIMS);
        }
        long budget = 64 * 1024;
        EngineOptions base = options(dir.resolve("b"));
        EngineOptions tight = new EngineOptions(base.tenantRoot(), base.groupCommitWindowMs(), base.maxGroupBytes(),
                base.maxDimensions(), base.indexing(), base.cacheDir(), new EngineOptions.Queries(2, 16, 100),
                new EngineOptions.Cache(1 << 20, budget));
        try (Lodestone server = Lodestone.open(bucket, tight)) {
            assertThat(view(server.namespace("first").query(ann(a.query())))).isEqualTo(view(a.ann()));
            QueryResult second = server.namespace("second").query(ann(a.query()));
            assertThat(server.cache().disk().pinnedBytes()).as("two open namespaces pin more than the budget").isGreaterThan(budget);
            assertThat(server.unloadIdleNamespaces()).as("not idle yet").isZero();
            Thread.sleep(1_300); // idle for twice the query time limit plus a second
            assertThat(server.unloadIdleNamespaces()).isEqualTo(2);
            assertThat(server.loadedNamespaces()).isZero();
            Thread.sleep(1_300); // their segments close once no query on them can still run
            server.cache().disk().cleanUp();
            assertThat(server.cache().disk().pinnedBytes()).isZero();
            assertThat(server.cache().disk().residentBytes()).as("evicted down to the budget").isLessThanOrEqualTo(budget);
            assertThat(view(server.namespace("second").query(ann(a.query())))).as("loaded again").isEqualTo(view(second));
        }
    }

    @Test
    void afterAFirstRangedQueryTheRestOfTheFilesArriveInTheBackground(Random r, @TempDir Path dir) throws Exception {
        Written w = written(r, dir.resolve("a"), "warm", DIMS, null);
        WatchedStore remote = new WatchedStore(w.bucket()) {
            @Override
            public boolean local() {
                return false;
            }
        };
        try (Lodestone cold = Lodestone.open(remote, options(dir.resolve("b")))) {
            Namespace ns = cold.namespace("warm");
            assertThat(view(ns.query(ann(w.query())))).isEqualTo(view(w.ann()));
            long docs = size(w.bucket(), SegmentKeys.segments(w.prefix()), "/docs");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (remote.read("/docs") < docs && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(remote.read("/docs")).as("the whole docs file arrived after the answer").isGreaterThanOrEqualTo(docs);
            long before = remote.read("/segments/");
            for (long quietSince = System.nanoTime(); System.nanoTime() - quietSince < 1_000_000_000L && System.nanoTime() < deadline; ) {
                Thread.sleep(50); // the other files of the warm may still be arriving: wait until nothing has for a second
                long now = remote.read("/segments/");
                if (now != before) {
                    before = now;
                    quietSince = System.nanoTime();
                }
            }
            Query other = new Query(new Query.RankBy.Vector(w.query(), true, null, 0), null, 100,
                    Query.AttributeSelection.ALL, Map.of(), List.of(), true);
            assertThat(ns.query(other).rows()).hasSize(100);
            assertThat(remote.read("/segments/")).as("a hundred other rows read locally").isEqualTo(before);
        }
    }

    /** Objects small enough that their tail is the whole object (deletion vectors, manifests, log entries). */
    static int countSmall(ObjectStore store, String prefix) throws IOException {
        int n = 0;
        for (String k : store.list(prefix, null, 10_000)) if (!k.contains("/segments/")) n++;
        return n;
    }

    @Test
    void aBlockCorruptedInTransitIsFetchedAgainAndOneCorruptInTheStoreIsRefused(Random r, @TempDir Path dir) throws IOException {
        Written w = written(r, dir.resolve("a"), "bad", DIMS, null);
        MemoryObjectStore bucket = w.bucket();
        float[] q = w.query();
        QueryResult expected = w.ann();
        String docsKey = bucket.list(SegmentKeys.segments(w.prefix()), null, 1000).stream().filter(k -> k.endsWith("/docs"))
                .findFirst().orElseThrow();
        WatchedStore once = new WatchedStore(bucket);
        once.corruptOnce = docsKey;
        try (Lodestone cold = Lodestone.open(once, options(dir.resolve("b")))) {
            assertThat(view(cold.namespace("bad").query(ann(q)))).as("the bad block is fetched again").isEqualTo(view(expected));
        }
        WatchedStore always = new WatchedStore(bucket);
        always.corruptAlways = true;
        try (Lodestone cold = Lodestone.open(always, options(dir.resolve("c")))) {
            assertThatThrownBy(() -> cold.namespace("bad").query(ann(q))).as("never served")
                    .satisfies(e -> assertThat(Stream.iterate(e, t -> t != null, Throwable::getCause))
                            .anyMatch(t -> t instanceof CorruptObjectException));
        }
    }

    @Test
    void aBlockCorruptedInTheCacheIsFetchedAgainAfterARestart(Random r, @TempDir Path dir) throws IOException {
        Written w = written(r, dir.resolve("a"), "cached", DIMS, null);
        MemoryObjectStore bucket = w.bucket();
        float[] q = w.query();
        QueryResult expected = w.ann();
        Path cache = dir.resolve("b");
        try (Lodestone first = Lodestone.open(bucket, options(cache))) {
            assertThat(view(first.namespace("cached").query(ann(q)))).isEqualTo(view(expected));
        }
        List<Path> sparse;
        try (Stream<Path> s = Files.walk(cache)) {
            sparse = s.filter(p -> p.toString().endsWith(".sparse")).toList();
        }
        assertThat(sparse).as("files filled by ranged reads").isNotEmpty();
        for (Path f : sparse) { // flip a byte in the first block of every cached file
            byte[] bytes = Files.readAllBytes(f);
            bytes[10] ^= 0x40;
            Files.write(f, bytes);
        }
        WatchedStore watched = new WatchedStore(bucket);
        try (Lodestone second = Lodestone.open(watched, options(cache))) {
            assertThat(view(second.namespace("cached").query(ann(q)))).isEqualTo(view(expected));
        }
        assertThat(watched.read("/segments/")).as("the corrupted blocks were fetched again").isPositive();
    }
}
