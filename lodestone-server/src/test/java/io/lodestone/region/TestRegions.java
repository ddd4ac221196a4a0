package io.lodestone.region;

import io.lodestone.config.ConfigLoader;
import io.lodestone.config.LodestoneConfig;
import io.lodestone.doc.DocId;
import io.lodestone.engine.Lodestone;
import io.lodestone.engine.Query;
import io.lodestone.engine.QueryResult;
import io.lodestone.engine.WriteRequest;
import io.lodestone.http.LodestoneServer;
import io.lodestone.store.ObjectStore;
import io.lodestone.store.ObjectStores;
import io.lodestone.testing.S3ProxyServer;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One server over three regions: the default one and {@code b} in two local directories, {@code s3} under a prefix
 * of a real S3-compatible server.
 */
@ExtendWith(Seeded.class)
class TestRegions {
    private static final int QUERY_THREADS = 2;
    private static final int DIMS = 8;

    private static S3ProxyServer s3;

    @TempDir
    Path root;

    @BeforeAll
    static void startS3() throws IOException {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stopS3() throws IOException {
        s3.close();
    }

    /** Region {@code default} in {@code root/a}, {@code b} in {@code root/b}, {@code s3} under prefix {@code r3}. */
    private LodestoneConfig config() {
        Map<String, String> env = new HashMap<>();
        env.put("LODESTONE_SERVER_HOST", "127.0.0.1");
        env.put("LODESTONE_SERVER_PORT", "0");
        env.put("LODESTONE_SERVER_QUERY_THREADS", String.valueOf(QUERY_THREADS));
        env.put("LODESTONE_SERVER_WARM_UP", "false");
        env.put("LODESTONE_STORAGE_PATH", root.resolve("a").toString());
        env.put("LODESTONE_CACHE_DISK_PATH", root.resolve("cache").toString());
        env.put("LODESTONE_CACHE_MEMORY_BYTES", "3MiB");
        env.put("LODESTONE_CACHE_DISK_BYTES", "64MiB");
        env.put("LODESTONE_REGIONS_B_BACKEND", "local");
        env.put("LODESTONE_REGIONS_B_PATH", root.resolve("b").toString());
        env.put("LODESTONE_REGIONS_S3_BACKEND", "s3");
        env.put("LODESTONE_REGIONS_S3_BUCKET", s3.bucket());
        env.put("LODESTONE_REGIONS_S3_PREFIX", "r3-" + root.getFileName());
        env.put("LODESTONE_REGIONS_S3_ENDPOINT", s3.endpoint().toString());
        env.put("LODESTONE_REGIONS_S3_REGION", S3ProxyServer.REGION);
        env.put("LODESTONE_REGIONS_S3_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("LODESTONE_REGIONS_S3_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        env.put("LODESTONE_REGIONS_S3_PATH_STYLE", "true");
        return ConfigLoader.load(null, env);
    }

    @Test
    void eachRegionKeepsItsNamespacesInItsOwnStorage(Random random) throws Exception {
        Map<String, float[]> firstRow = new HashMap<>();
        try (LodestoneServer server = LodestoneServer.start(config())) {
            Regions regions = server.regions();
            assertThat(regions.names()).containsExactly("default", "b", "s3");
            assertThat(server.database()).isSameAs(regions.get("default"));
            for (String region : List.of("b", "s3")) {
                firstRow.put(region, write(regions.get(region), "docs-" + region, random));
            }
            // The routes serve the default region.
            HttpResponse<String> r = http(server, "POST", "/v2/namespaces/docs-default",
                    "{\"upsert_rows\":[{\"id\":1,\"vector\":[1,2]}]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

            for (String region : regions.names()) {
                assertThat(regions.get(region).listNamespaces("", null, 100)).as(region)
                        .containsExactly("docs-" + region);
            }
            String metrics = http(server, "GET", "/metrics", null).body();
            for (String region : regions.names()) {
                assertThat(metrics).contains("lodestone_writes_total{region=\"" + region + "\"} 1.0")
                        .contains("lodestone_cache_budget_bytes{region=\"" + region + "\",tier=\"disk\"}");
            }
            assertThatThrownBy(() -> regions.get("nope")).isInstanceOf(UnknownRegionException.class)
                    .hasMessage("unknown region 'nope'; this server serves: default, b, s3");
        }

        assertThat(keysIn(root.resolve("a"))).anyMatch(k -> k.contains("docs-default"))
                .noneMatch(k -> k.contains("docs-b") || k.contains("docs-s3"));
        assertThat(keysIn(root.resolve("b"))).anyMatch(k -> k.contains("docs-b"))
                .noneMatch(k -> k.contains("docs-default") || k.contains("docs-s3"));
        List<String> bucket = bucketKeys();
        assertThat(bucket).anyMatch(k -> k.startsWith("r3-" + root.getFileName() + "/") && k.contains("docs-s3"))
                .noneMatch(k -> k.contains("docs-b") || k.contains("docs-default"));

        // A restarted server finds each namespace in its region again.
        try (LodestoneServer server = LodestoneServer.start(config())) {
            for (String region : List.of("b", "s3")) {
                QueryResult result = server.regions().get(region).namespace("docs-" + region)
                        .query(Query.nearest(firstRow.get(region), 1));
                assertThat(result.rows()).as(region).hasSize(1);
                assertThat(result.rows().getFirst().id()).isEqualTo(DocId.of(0));
            }
        }
    }

    @Test
    void theCacheIsDividedAndEachRegionHasItsOwnDirectory() {
        try (LodestoneServer server = LodestoneServer.start(config())) {
            Regions regions = server.regions();
            for (String region : regions.names()) {
                assertThat(regions.get(region).cache().memory().budgetBytes()).as(region).isEqualTo((3L << 20) / 3);
            }
            // Local regions map their files in place: the whole disk budget goes to the remote one.
            assertThat(regions.get("s3").cache().disk().budgetBytes()).isEqualTo(64L << 20);
            assertThat(regions.get("default").cache().disk().budgetBytes()).isZero();
            assertThat(regions.get("b").cache().disk().budgetBytes()).isZero();
        }
        assertThat(root.resolve("cache/objects")).isDirectory();
        assertThat(root.resolve("cache/regions/b/objects")).isDirectory();
        assertThat(root.resolve("cache/regions/s3/objects")).isDirectory();
    }

    @Test
    void withOnlyLocalRegionsTheDiskBudgetIsDividedEvenlyAndEachCachesInItsOwnDirectory() {
        LodestoneConfig config = ConfigLoader.load(null, Map.of(
                "LODESTONE_STORAGE_PATH", root.resolve("a").toString(),
                "LODESTONE_CACHE_DISK_BYTES", "90MiB",
                "LODESTONE_CACHE_MEMORY_BYTES", "30MiB",
                "LODESTONE_REGIONS_B_BACKEND", "local",
                "LODESTONE_REGIONS_B_PATH", root.resolve("b").toString(),
                "LODESTONE_REGIONS_C_BACKEND", "local",
                "LODESTONE_REGIONS_C_PATH", root.resolve("c").toString()));
        Map<String, CacheShare> shares = CacheShare.of(config);
        assertThat(shares).containsOnlyKeys("default", "b", "c");
        for (String region : List.of("a", "b", "c")) {
            CacheShare share = shares.get(region.equals("a") ? "default" : region);
            assertThat(share.budget().diskBytes()).isEqualTo(30L << 20);
            assertThat(share.budget().memoryBytes()).isEqualTo(10L << 20);
            assertThat(share.dir()).as("the default cache path: beside each region's data")
                    .isEqualTo(root.resolve(region).resolve(".cache"));
        }
    }

    @Test
    void allRegionsShareOneSetOfQueryThreads(Random random) throws Exception {
        Set<Thread> before = queryThreads();
        try (LodestoneServer server = LodestoneServer.start(config())) {
            Regions regions = server.regions();
            Set<Thread> started = queryThreads();
            started.removeAll(before);
            assertThat(started).as("query threads, and their one deadline watch, started for three regions")
                    .hasSize(QUERY_THREADS + 1).anySatisfy(t -> assertThat(t.getName()).isEqualTo("query-deadlines"));

            Map<String, float[]> rows = new HashMap<>();
            for (String region : regions.names()) rows.put(region, write(regions.get(region), "q", random));
            AtomicInteger mostRunning = new AtomicInteger();
            ConcurrentLinkedQueue<Integer> hits = new ConcurrentLinkedQueue<>();
            try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 48; i++) {
                    String region = List.copyOf(regions.names()).get(i % 3);
                    calls.add(callers.submit(() -> {
                        hits.add(regions.get(region).namespace("q").query(Query.nearest(rows.get(region), 5)).rows().size());
                        mostRunning.accumulateAndGet(regions.queries().running(), Math::max);
                        return null;
                    }));
                }
                for (Future<?> call : calls) call.get();
            }
            assertThat(hits).hasSize(48).allMatch(n -> n == 5);
            assertThat(mostRunning.get()).isLessThanOrEqualTo(QUERY_THREADS);
            assertThat(regions.get("b").runningQueries()).isLessThanOrEqualTo(QUERY_THREADS);
        }
    }

    @Test
    void aRegionThatCannotOpenStopsTheStartAndNamesTheRegion() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("LODESTONE_STORAGE_PATH", root.resolve("a").toString());
        env.put("LODESTONE_SERVER_PORT", "0");
        env.put("LODESTONE_REGIONS_EU_BACKEND", "local");
        env.put("LODESTONE_REGIONS_EU_PATH", root.resolve("file").toString());
        LodestoneConfig config = ConfigLoader.load(null, env);
        Set<Thread> before = queryThreads();
        Files.writeString(root.resolve("file"), "not a directory");
        assertThatThrownBy(() -> LodestoneServer.start(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("region 'eu': storage.path '" + root.resolve("file") + "' exists and is not a directory");
        // The engine already opened for the default region was closed again, with the query threads.
        assertThat(waitForQueryThreads(before)).as("query threads left running").isEmpty();
    }

    @Test
    void placementsOnAnS3StoreAgreeUnderRaces(Random random) throws Exception {
        try (ObjectStore store = ObjectStores.open(s3.storageOptions("placement-" + root.getFileName()))) {
            TestPlacement.race(store, random);
        }
    }

    /** Writes 20 random rows into {@code ns} and returns row 0's vector. */
    private static float[] write(Lodestone db, String ns, Random random) {
        WriteRequest.Builder w = WriteRequest.builder();
        float[] first = null;
        for (int i = 0; i < 20; i++) {
            float[] v = new float[DIMS];
            for (int d = 0; d < DIMS; d++) v[d] = random.nextFloat();
            if (i == 0) first = v;
            w.upsert(DocId.of(i), v, Map.of("n", (long) i));
        }
        db.namespace(ns).write(w.build());
        return first;
    }

    private static HttpResponse<String> http(LodestoneServer server, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static List<String> keysIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).toList();
        }
    }

    private static List<String> bucketKeys() {
        try (S3Client client = s3.client()) {
            return client.listObjectsV2Paginator(b -> b.bucket(s3.bucket())).contents().stream()
                    .map(S3Object::key).toList();
        }
    }

    private static Set<Thread> queryThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("query-") && t.isAlive())
                .collect(Collectors.toCollection(java.util.HashSet::new));
    }

    /** The query threads not in {@code before} that are still alive after up to 10 s. */
    private static Set<Thread> waitForQueryThreads(Set<Thread> before) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Set<Thread> extra;
        do {
            extra = queryThreads();
            extra.removeAll(before);
            if (extra.isEmpty()) return extra;
            Thread.onSpinWait();
        } while (System.nanoTime() < deadline);
        return extra;
    }
}
