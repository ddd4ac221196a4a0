package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.testing.FaultProxy;
import io.lodestone.testing.FaultProxy.Fault;
import io.lodestone.testing.S3ProxyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP server on S3 through a {@link FaultProxy} that injects 503 SlowDown, 500 after the work was
 * done, resets before and during response bodies, truncated bodies and LISTs, responses held past the
 * read timeout, and latency, while writers and readers run (with small indexing thresholds, so that
 * segments are built, uploaded and downloaded under faults too). Retries are few, so that some
 * requests do run out of them. No request ever gets a 500; a storage failure is a 503 with
 * {@code Retry-After}. Afterwards no acknowledged write is missing, and every answer equals that of a
 * fresh server reading the bucket without the proxy. A segment that fails its checksum is never served:
 * 503 too.
 * The namespace is created under faults too: a creation that fails part-way is retried by the next request.
 */
class TestStorageFaults {
    private static final String NS = "faulty";
    private static final int DIM = 8;
    private static final int WRITERS = 3;
    private static final int BATCHES = 10;
    private static final int ROWS = 25;
    private static final long FIRST_ID = 9_999_999L;

    @Test
    void faultsAreRetriedOrAnswered503AndNoAcknowledgedWriteIsLost(@TempDir Path dir) throws Exception {
        long seed = Long.getLong("tests.seed", new Random().nextLong());
        System.out.println("TestStorageFaults seed " + seed + " (-Dtests.seed=" + seed + " repeats the data and the proxy's draws)");
        try (var s3 = S3ProxyServer.start(); var proxy = FaultProxy.start(s3, seed)) {
            var statuses = new ConcurrentHashMap<Integer, Integer>();
            var wrong = new CopyOnWriteArrayList<String>();
            Map<Long, Long> acked = new ConcurrentHashMap<>(); // id → batch that wrote it, acknowledged
            try (var server = InProcessServer.start(dir.resolve("a"), settings(s3, proxy.endpoint(), 3));
                 var http = server.http()) {
                proxy.latency(Duration.ofMillis(1)).firstByteDelay(Duration.ofMillis(1_500))
                        .fault(Fault.SLOW_DOWN, 0.05).fault(Fault.INTERNAL_ERROR, 0.03).fault(Fault.RESET_BEFORE_RESPONSE, 0.03)
                        .fault(Fault.RESET_MID_BODY, 0.03).fault(Fault.TRUNCATED_BODY, 0.04).fault(Fault.TRUNCATED_LIST, 0.2)
                        .fault(Fault.DELAYED_FIRST_BYTE, 0.003);
                // The namespace is created under faults: a 503 is allowed, then the client tries again.
                List<Map<String, Object>> first = List.of(Json.obj("id", FIRST_ID, "vector", Json.vec(vector(new Random(seed))),
                        "batch", -1));
                Json.Response created = null;
                for (int attempt = 0; attempt < 20 && (created == null || created.status() != 200); attempt++) {
                    created = http.post("/v2/namespaces/" + NS, Json.obj("upsert_rows", first, "distance_metric", "euclidean_squared"));
                    statuses.merge(created.status(), 1, Integer::sum);
                    assertThat(created.status()).as("%s", created).isIn(200, 503);
                }
                assertThat(created.status()).as("%s", created).isEqualTo(200);
                acked.put(FIRST_ID, -1L);
                var stop = new AtomicBoolean();
                try (ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2)) {
                    List<Future<?>> writers = new ArrayList<>();
                    for (int w = 0; w < WRITERS; w++) {
                        int writer = w;
                        writers.add(pool.submit(() -> write(http, writer, new Random(seed + writer), acked, statuses, wrong)));
                    }
                    for (int r = 0; r < 2; r++) {
                        Random random = new Random(seed ^ (r + 100));
                        pool.submit(() -> {
                            while (!stop.get()) {
                                check(query(http, nearest(random)), statuses, wrong);
                            }
                            return null;
                        });
                    }
                    for (Future<?> f : writers) f.get();
                    stop.set(true);
                }
                System.out.println("TestStorageFaults: HTTP statuses " + statuses + "; proxy faults "
                        + java.util.Arrays.stream(Fault.values()).map(f -> f + "=" + proxy.faults(f)).toList()
                        + " of " + proxy.requests() + " requests");
                assertThat(wrong).as("answers other than 200, or 503 with Retry-After").isEmpty();
                assertThat(statuses).doesNotContainKey(500).containsKey(200);
                assertThat(acked).as("acknowledged rows").isNotEmpty();
                assertThat(proxy.exchanges()).as("faults injected").anyMatch(e -> e.fault() != null);
                // The indexer folds on its own schedule: on a loaded machine the writers may finish first, so give it
                // (still under faults) a generous while to upload a segment.
                long foldDeadline = System.nanoTime() + 60_000_000_000L;
                while (proxy.exchanges().stream().noneMatch(e -> e.kind() == FaultProxy.Kind.PUT && e.target().contains("/segments/"))
                        && System.nanoTime() < foldDeadline) {
                    Thread.sleep(100);
                }
                assertThat(proxy.exchanges()).as("segments uploaded under faults")
                        .anyMatch(e -> e.kind() == FaultProxy.Kind.PUT && e.target().contains("/segments/"));

                // Storage that only says SlowDown: a write and a query each get 503 with Retry-After, never 500.
                proxy.clearFaults().fault(Fault.SLOW_DOWN, 1);
                assertUnavailable(server, "/v2/namespaces/" + NS, Json.obj("upsert_rows",
                        List.of(Json.obj("id", 1, "vector", Json.vec(vector(new Random(1))), "batch", -1))), "SlowDown");
                assertUnavailable(server, "/v2/namespaces/" + NS + "/query", nearest(new Random(seed)), "SlowDown");
                acked.remove(1L);
                proxy.clearFaults().fault(Fault.SLOW_DOWN, 0.05).fault(Fault.RESET_MID_BODY, 0.05)
                        .fault(Fault.TRUNCATED_BODY, 0.05).fault(Fault.TRUNCATED_LIST, 0.2);

                // Faults stay on: the faulty server, retrying its 503s, answers as a fresh server on the bucket does.
                try (var fresh = InProcessServer.start(dir.resolve("b"), settings(s3, s3.endpoint(), 6));
                     var freshHttp = fresh.http()) {
                    Map<Long, Long> all = readAll(freshHttp);
                    acked.forEach((id, batch) -> assertThat(all).as("acknowledged id %d", id).containsEntry(id, batch));
                    assertThat(readAllRetrying(http)).isEqualTo(all);
                    Random random = new Random(seed);
                    for (int q = 0; q < 10; q++) {
                        Map<String, Object> query = nearest(random);
                        assertThat(rows(retrying(http, query))).as("query %s", query).isEqualTo(rows(query(freshHttp, query)));
                    }
                }
            }
        }
    }

    @Test
    void aCorruptSegmentIsNeverServedAndAnswered503(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("LODESTONE_INDEXING_MIN_UNINDEXED_BYTES", "1000", "LODESTONE_INDEXING_IDLE_MS", "50");
        Random random = new Random(5);
        try (var server = InProcessServer.start(dir, env); var http = server.http()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < 200; i++) rows.add(Json.obj("id", i, "vector", Json.vec(vector(random)), "batch", 0));
            assertThat(http.post("/v2/namespaces/" + NS, Json.obj("upsert_rows", rows)).status()).isEqualTo(200);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (manifests(dir).isEmpty() && System.nanoTime() < deadline) Thread.sleep(50); // segments published
        }
        List<Path> docs = segmentDocs(dir);
        assertThat(docs).as("segment docs files under %s", dir).isNotEmpty();
        for (Path file : docs) {
            byte[] bytes = java.nio.file.Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x5A;
            java.nio.file.Files.write(file, bytes);
        }
        try (var server = InProcessServer.start(dir, env)) {
            assertUnavailable(server, "/v2/namespaces/" + NS + "/query", nearest(random), "corrupt object");
        }
    }

    private static List<Path> manifests(Path root) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(root.resolve("data"))) {
            return files.filter(p -> p.getParent().getFileName().toString().equals("manifest")
                    && java.nio.file.Files.isRegularFile(p)).toList();
        }
    }

    private static List<Path> segmentDocs(Path root) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(root.resolve("data"))) {
            return files.filter(p -> p.getFileName().toString().equals("docs")
                    && p.getParent().getParent().getFileName().toString().equals("segments")).toList();
        }
    }

    private static void assertUnavailable(InProcessServer server, String path, Map<String, Object> body, String error)
            throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(resp.statusCode()).as("%s: %s", path, resp.body()).isEqualTo(503);
            assertThat(resp.headers().firstValue("Retry-After")).as("Retry-After of %s", path).hasValue("1");
            assertThat(Json.parse(resp.body()).path("error").asText()).contains(error);
        }
    }

    /** The server's settings: S3 at {@code endpoint}, fast retries, small indexing thresholds. */
    private static Map<String, String> settings(S3ProxyServer s3, URI endpoint, int attempts) {
        Map<String, String> env = new HashMap<>();
        env.put("LODESTONE_STORAGE_BACKEND", "s3");
        env.put("LODESTONE_STORAGE_BUCKET", s3.bucket());
        env.put("LODESTONE_STORAGE_PREFIX", "faults");
        env.put("LODESTONE_STORAGE_ENDPOINT", endpoint.toString());
        env.put("LODESTONE_STORAGE_REGION", S3ProxyServer.REGION);
        env.put("LODESTONE_STORAGE_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("LODESTONE_STORAGE_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        env.put("LODESTONE_STORAGE_PATH_STYLE", "true");
        env.put("LODESTONE_STORAGE_MAX_ATTEMPTS", Integer.toString(attempts));
        env.put("LODESTONE_STORAGE_RETRY_BASE_MS", "2");
        env.put("LODESTONE_STORAGE_RETRY_MAX_WAIT_MS", "40");
        env.put("LODESTONE_STORAGE_READ_TIMEOUT_MS", "1000");
        env.put("LODESTONE_INDEXING_MIN_UNINDEXED_BYTES", "20000");
        env.put("LODESTONE_INDEXING_IDLE_MS", "100");
        env.put("LODESTONE_INDEXING_MAX_SEGMENTS", "3");
        return env;
    }

    private static void write(Json.Http http, int writer, Random random, Map<Long, Long> acked,
                              Map<Integer, Integer> statuses, List<String> wrong) {
        for (int b = 0; b < BATCHES; b++) {
            long batch = writer * 1000L + b;
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                // Each writer re-upserts its own ids from batch to batch: the latest acknowledged batch must win.
                long id = writer * 100_000L + (b % 3) * ROWS * 10L + random.nextInt(ROWS * 10);
                rows.add(Json.obj("id", id, "vector", Json.vec(vector(random)), "batch", batch));
            }
            Json.Response resp = http.post("/v2/namespaces/" + NS,
                    Json.obj("upsert_rows", rows, "distance_metric", "euclidean_squared"));
            check(resp, statuses, wrong);
            if (resp.status() == 200) {
                for (Map<String, Object> row : rows) acked.put((Long) row.get("id"), batch);
            } else {
                // Not acknowledged, maybe applied: its ids may hold this batch or an earlier one; leave them out.
                for (Map<String, Object> row : rows) acked.remove((Long) row.get("id"));
            }
        }
    }

    private static void check(Json.Response resp, Map<Integer, Integer> statuses, List<String> wrong) {
        statuses.merge(resp.status(), 1, Integer::sum);
        boolean retryable503 = resp.status() == 503 && resp.body().contains("\"error\"");
        if (resp.status() != 200 && resp.status() != 404 && !retryable503) wrong.add(resp.toString());
    }

    private static Map<String, Object> nearest(Random random) {
        return Json.obj("rank_by", List.of("vector", "ANN", Json.vec(vector(random))), "top_k", 10,
                "include_attributes", List.of("batch"));
    }

    private static Json.Response query(Json.Http http, Map<String, Object> query) {
        return http.post("/v2/namespaces/" + NS + "/query", query);
    }

    /** The answer, asking again after each 503 (the store's retries ran out). */
    private static Json.Response retrying(Json.Http http, Map<String, Object> query) {
        for (int attempt = 0; ; attempt++) {
            Json.Response resp = query(http, query);
            if (resp.status() != 503 || attempt == 20) {
                assertThat(resp.status()).as("%s", resp).isEqualTo(200);
                return resp;
            }
        }
    }

    /** Rows as (id, batch, distance) in order. */
    private static List<String> rows(Json.Response resp) {
        assertThat(resp.status()).as("%s", resp).isEqualTo(200);
        List<String> rows = new ArrayList<>();
        for (JsonNode row : resp.json().path("rows")) {
            rows.add(row.get("id").asLong() + ":" + row.get("batch").asLong() + ":" + row.path("$dist").asDouble());
        }
        return rows;
    }

    /** The whole namespace as id → batch, paging by id. */
    private static Map<Long, Long> readAll(Json.Http http) {
        Map<Long, Long> all = new java.util.TreeMap<>();
        Long last = null;
        while (true) {
            Map<String, Object> q = Json.obj("rank_by", List.of("id", "asc"), "top_k", 1000,
                    "include_attributes", List.of("batch"));
            if (last != null) q.put("filters", List.of("id", "Gt", last));
            Json.Response resp = query(http, q);
            assertThat(resp.status()).as("read-back query: %s", resp).isEqualTo(200);
            JsonNode rows = resp.json().path("rows");
            for (JsonNode row : rows) {
                last = row.get("id").asLong();
                all.put(last, row.get("batch").asLong());
            }
            if (rows.size() < 1000) return all;
        }
    }

    private static Map<Long, Long> readAllRetrying(Json.Http http) {
        for (int attempt = 0; ; attempt++) {
            try {
                return readAll(http);
            } catch (AssertionError e) {
                if (attempt == 20 || !e.getMessage().contains("503")) throw e;
            }
        }
    }

    private static float[] vector(Random random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) v[i] = random.nextFloat();
        return v;
    }
}
