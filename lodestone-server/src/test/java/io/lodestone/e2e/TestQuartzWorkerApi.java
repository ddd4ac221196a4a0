package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.e2e.Reference.Metric;
import io.lodestone.e2e.Reference.Neighbour;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.lodestone.e2e.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * QuartzDB's Worker API ({@code quartz-faas}) against a real server: the key-value store, the 384-dimension cosine
 * vector collection (results checked against brute force), its validation (400 with a plain-text message), soft
 * delete counted in the stats, auth by {@code Authorization: Bearer} or {@code X-API-Key}, tenant isolation, and
 * durability across a restart.
 */
@ExtendWith(Seeded.class)
class TestQuartzWorkerApi {
    private static final int DIM = 384;
    private static final String OPERATOR_KEY = "quartz-operator-key-0123456789abcdef";

    @TempDir
    Path root;

    private static Map<String, Object> vector(String id, float[] v, Object metadata) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("vector", Json.vec(v));
        if (metadata != null) m.put("metadata", metadata);
        return m;
    }

    /** A vector id of QuartzDB's alphabet, sometimes longer than a Lodestone string id or shaped like a UUID. */
    private static String randomId(Random random, int i) {
        return switch (random.nextInt(4)) {
            case 0 -> "v_" + i + "-" + "x".repeat(100 + random.nextInt(150));
            case 1 -> String.format("%08X-0000-4000-8000-%012d", i, random.nextInt(1_000_000));
            default -> "doc-" + i;
        };
    }

    @Test
    void keyValueStoreKeepsValuesExactlyAndSurvivesARestart(Random random) {
        Map<String, String> model = new TreeMap<>();
        try (InProcessServer server = InProcessServer.start(root); Json.Http http = server.http()) {
            for (int i = 0; i < 20; i++) {
                String key = random.nextBoolean() ? "k" + i : "key:" + i + "-" + "é".repeat(40 + random.nextInt(200));
                String value = random.nextBoolean() ? "{\"n\": " + i + ", \"s\": \"" + "ü".repeat(i) + "\"}" : "plain " + i + "  ";
                Json.Response put = http.post("/api/put", obj("key", key, "value", value));
                assertThat(put.status()).as("%s", put).isEqualTo(200);
                assertThat(put.json().get("success").asBoolean()).isTrue();
                assertThat(put.json().get("key").asText()).isEqualTo(key);
                model.put(key, value);
            }
            String gone = model.keySet().iterator().next();
            Json.Response del = http.delete("/api/delete/" + encode(gone));
            assertThat(del.json().get("message").asText()).isEqualTo("Value deleted successfully");
            model.remove(gone);
            assertThat(http.delete("/api/delete/never-there").status()).as("QuartzDB deletes idempotently").isEqualTo(200);
            Json.Response missing = http.get("/api/get/" + encode(gone));
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("Key not found");

            assertThat(http.post("/api/put", obj("key", "x", "value", 5)).status()).as("values are strings").isEqualTo(400);
            assertThat(http.post("/api/put", obj("key", "", "value", "v")).body()).isEqualTo("Key cannot be empty");
            assertThat(http.post("/api/put", obj("key", "k".repeat(513), "value", "v")).status()).isEqualTo(400);
            assertThat(http.post("/api/put", "{\"key\": ").status()).as("malformed JSON").isEqualTo(400);
        }
        try (InProcessServer server = InProcessServer.start(root); Json.Http http = server.http()) {
            model.forEach((key, value) -> {
                Json.Response got = http.get("/api/get/" + encode(key));
                assertThat(got.status()).as("%s after restart", key).isEqualTo(200);
                assertThat(got.json().get("value").asText()).isEqualTo(value);
                assertThat(got.json().get("key").asText()).isEqualTo(key);
            });
        }
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void vectorCollectionAnswersLikeBruteForceAndCountsSoftDeletes(Random random) {
        Map<String, float[]> model = new TreeMap<>();
        Map<String, Integer> tag = new TreeMap<>();
        try (InProcessServer server = InProcessServer.start(root); Json.Http http = server.http()) {
            int n = 30 + random.nextInt(30);
            List<Object> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = randomId(random, i);
                float[] v = Reference.randomVector(random, DIM);
                model.put(id, v);
                tag.put(id, i);
                if (i % 2 == 0) {
                    Json.Response r = http.post("/api/vector/insert", vector(id, v, obj("i", i, "name", "doc " + i)));
                    assertThat(r.status()).as("%s", r).isEqualTo(200);
                    assertThat(r.json().get("success").asBoolean()).isTrue();
                    assertThat(r.json().get("id").asText()).isEqualTo(id);
                } else {
                    batch.add(vector(id, v, obj("i", i, "name", "doc " + i)));
                }
            }
            batch.add(vector("short", new float[] {1, 2, 3}, null));
            Json.Response b = http.post("/api/vector/batch-insert", obj("vectors", batch));
            assertThat(b.status()).as("%s", b).isEqualTo(200);
            assertThat(b.json().get("total").asInt()).isEqualTo(batch.size());
            assertThat(b.json().get("inserted").asInt()).isEqualTo(batch.size() - 1);
            assertThat(b.json().get("failed").asInt()).isEqualTo(1);
            assertThat(b.json().get("success").asBoolean()).as("one item failed").isFalse();
            assertThat(b.json().get("results").get(batch.size() - 1).get("message").asText())
                    .isEqualTo("Vector dimension mismatch: expected 384, got 3");

            // soft-delete a few: gone from get and search, counted as deleted
            List<String> ids = new ArrayList<>(model.keySet());
            List<String> deleted = ids.subList(0, 3);
            for (String id : deleted) {
                Json.Response d = http.delete("/api/vector/delete/" + id);
                assertThat(d.json().get("message").asText()).isEqualTo("Vector soft-deleted successfully");
                assertThat(http.delete("/api/vector/delete/" + id).json().get("message").asText()).isEqualTo("Vector already deleted");
                assertThat(http.get("/api/vector/get/" + id).status()).isEqualTo(404);
            }
            assertThat(http.delete("/api/vector/delete/no-such-id").status()).isEqualTo(404);
            JsonNode stats = http.get("/api/vector/stats").json();
            assertThat(stats.get("num_vectors").asLong()).isEqualTo(n);
            assertThat(stats.get("num_deleted").asLong()).isEqualTo(3);
            assertThat(stats.get("num_active").asLong()).isEqualTo(n - 3);
            assertThat(stats.get("dimension").asInt()).isEqualTo(DIM);
            Map<String, float[]> active = new TreeMap<>(model);
            deleted.forEach(active::remove);

            checkSearches(http, random, active, tag);

            // re-inserting a deleted id revives it
            String revived = deleted.getFirst();
            assertThat(http.post("/api/vector/insert", vector(revived, model.get(revived), null)).status()).isEqualTo(200);
            active.put(revived, model.get(revived));
            tag.remove(revived);
            assertThat(http.get("/api/vector/stats").json().get("num_deleted").asLong()).isEqualTo(2);
            JsonNode got = http.get("/api/vector/get/" + revived).json();
            assertThat(got.get("metadata").isNull()).isTrue();
            assertThat(got.get("vector")).hasSize(DIM);
        }
        try (InProcessServer server = InProcessServer.start(root); Json.Http http = server.http()) {
            JsonNode stats = http.get("/api/vector/stats").json();
            assertThat(stats.get("num_active").asLong()).as("after restart").isEqualTo(model.size() - 2);
            assertThat(stats.get("num_deleted").asLong()).isEqualTo(2);
            String id = model.keySet().stream().skip(5).findFirst().orElseThrow();
            JsonNode got = http.get("/api/vector/get/" + id).json();
            for (int i = 0; i < DIM; i++) assertThat(got.get("vector").get(i).floatValue()).isEqualTo(model.get(id)[i]);
            assertThat(got.get("metadata").get("i").asInt()).isEqualTo(tag.get(id));
        }
    }

    private static void checkSearches(Json.Http http, Random random, Map<String, float[]> active, Map<String, Integer> tag) {
        Map<Long, float[]> byNumber = new TreeMap<>();
        Map<Long, String> idOf = new TreeMap<>();
        long next = 0;
        for (var e : active.entrySet()) {
            byNumber.put(next, e.getValue());
            idOf.put(next++, e.getKey());
        }
        for (int round = 0; round < 5; round++) {
            float[] q = Reference.randomVector(random, DIM);
            int k = 1 + random.nextInt(10);
            boolean euclidean = round % 2 == 1;
            Map<String, Object> body = obj("vector", Json.vec(q), "k", k);
            if (euclidean) body.put("metric", "euclidean");
            JsonNode r = http.post("/api/vector/search", body).json();
            assertThat(r.get("success").asBoolean()).isTrue();
            assertThat(r.get("algorithm").asText()).as("a small collection is all in the unindexed tail").isEqualTo("exhaustive");
            List<Neighbour> truth = Reference.nearest(byNumber, q, euclidean ? Metric.EUCLIDEAN_SQUARED : Metric.COSINE_DISTANCE, id -> true, k);
            assertThat(r.get("count").asInt()).isEqualTo(truth.size());
            for (int i = 0; i < truth.size(); i++) {
                JsonNode hit = r.get("results").get(i);
                double expected = euclidean ? Math.sqrt(truth.get(i).distance()) : truth.get(i).distance();
                assertThat(hit.get("id").asText()).isEqualTo(idOf.get(truth.get(i).id()));
                assertThat(hit.get("distance").asDouble()).isCloseTo(expected, within(1e-3 + 1e-4 * expected));
                assertThat(hit.get("score").asDouble()).isCloseTo(1 - hit.get("distance").asDouble(), within(1e-9));
                assertThat(hit.get("metadata").get("i").asInt()).isEqualTo(tag.get(hit.get("id").asText()));
            }
        }
    }

    @Test
    void badInputIsRefusedWithQuartzDbsMessages(Random random) {
        try (InProcessServer server = InProcessServer.start(root); Json.Http http = server.http()) {
            float[] v = Reference.randomVector(random, DIM);
            Map<String, String> cases = new LinkedHashMap<>();
            cases.put(Json.write(vector("bad id!", v, null)), "Validation error: Vector ID must be alphanumeric (plus _ and -)");
            cases.put(Json.write(vector("a".repeat(257), v, null)), "Validation error: Vector ID too long (max 256 chars)");
            cases.put(Json.write(obj("vector", Json.vec(v))), "Validation error: Missing or invalid 'id' field");
            cases.put(Json.write(obj("id", "x")), "Validation error: Missing 'vector' field");
            cases.put(Json.write(obj("id", "x", "vector", List.of())), "Validation error: Vector cannot be empty");
            cases.put(Json.write(vector("x", v, List.of(1))), "Validation error: Metadata must be a JSON object");
            cases.put(Json.write(vector("x", v, obj("big", "m".repeat(32 * 1024)))), "Validation error: Metadata too large (max 32768 bytes)");
            cases.put(Json.write(vector("x", new float[4097], null)), "Validation error: Vector too large (max 4096 dimensions)");
            cases.put(Json.write(vector("x", new float[] {0.1f, 0.2f}, null)), "Failed to insert vector: Vector dimension mismatch: expected 384, got 2");
            cases.forEach((body, message) -> {
                Json.Response r = http.post("/api/vector/insert", body);
                assertThat(r.status()).as(body.length() > 200 ? body.substring(0, 200) : body).isEqualTo(400);
                assertThat(r.body()).isEqualTo(message);
            });
            assertThat(http.post("/api/vector/insert", "{\"id\": \"x\", \"vector\": [1e39]}").body()).contains("overflows float32");

            Map<String, Object> ok = obj("vector", Json.vec(v));
            assertThat(http.post("/api/vector/search", with(ok, "k", 0)).body()).isEqualTo("Validation error: k must be at least 1");
            assertThat(http.post("/api/vector/search", with(ok, "k", 1001)).body()).isEqualTo("Validation error: k too large (max 1000)");
            assertThat(http.post("/api/vector/search", with(ok, "k", "5")).status()).isEqualTo(400);
            assertThat(http.post("/api/vector/search", with(ok, "metric", "hamming")).body())
                    .isEqualTo("Invalid distance metric: hamming. Must be one of: cosine, euclidean, dotproduct");
            assertThat(http.post("/api/vector/search", obj("vector", List.of(1, 2), "k", 3)).status()).as("wrong dimension").isEqualTo(400);
            assertThat(http.post("/api/vector/search", "[1, 2]").status()).isEqualTo(400);

            List<Object> many = new ArrayList<>();
            for (int i = 0; i < 101; i++) many.add(vector("b" + i, v, null));
            assertThat(http.post("/api/vector/batch-insert", obj("vectors", many)).body()).isEqualTo("Validation error: Batch too large (max 100 vectors)");
            assertThat(http.post("/api/vector/batch-insert", obj("vectors", List.of())).body()).isEqualTo("Validation error: Vectors array cannot be empty");
            List<Object> oneBad = new ArrayList<>(many.subList(0, 3));
            oneBad.add(vector("bad id", v, null));
            assertThat(http.post("/api/vector/batch-insert", obj("vectors", oneBad)).status()).isEqualTo(400);
            assertThat(http.get("/api/vector/stats").json().get("num_vectors").asLong()).as("a refused batch writes nothing").isZero();
            assertThat(http.get("/api/vector/get/bad%20id").status()).isEqualTo(400);
            assertThat(http.get("/api/vector/nothing").status()).isEqualTo(404);
        }
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(body);
        m.put(key, value);
        return m;
    }

    @Test
    void routesNeedAKeyWhenAuthIsOnAndStayInTheCallersTenant(Random random) {
        try (InProcessServer server = InProcessServer.start(root, Map.of("LODESTONE_AUTH_ENABLED", "true", "LODESTONE_AUTH_ADMIN_KEY", OPERATOR_KEY));
             Json.Http operator = new Json.Http(server.baseUrl(), OPERATOR_KEY);
             Json.Http anonymous = server.http()) {
            String[] keys = Tenants.readWriteKeys(operator, "q", 2);
            Json.Response refused = anonymous.post("/api/put", obj("key", "k", "value", "v"));
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json()).as("the Worker's errors are plain text").isNull();
            assertThat(anonymous.get("/api/vector/stats").status()).isEqualTo(401);
            Json.Response v1 = anonymous.get("/api/v1/kv/k");
            assertThat(v1.status()).isEqualTo(401);
            assertThat(v1.json().get("error").asText()).as("v1's error shape").isEqualTo("unauthorized");
            assertThat(anonymous.get("/health").status()).as("health stays open").isEqualTo(200);

            String value = "secret " + random.nextInt();
            Json.Response put = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/api/put")).header("X-API-Key", keys[0])
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(obj("key", "k", "value", value)))));
            assertThat(put.status()).isEqualTo(200);
            try (Json.Http t0 = new Json.Http(server.baseUrl(), keys[0]); Json.Http t1 = new Json.Http(server.baseUrl(), keys[1])) {
                assertThat(t0.get("/api/get/k").json().get("value").asText()).as("Bearer").isEqualTo(value);
                assertThat(t1.get("/api/get/k").status()).as("another tenant's store").isEqualTo(404);
                assertThat(t0.post("/api/vector/insert", vector("a", Reference.randomVector(random, DIM), null)).status()).isEqualTo(200);
                assertThat(t1.get("/api/vector/stats").json().get("num_vectors").asLong()).isZero();
                assertThat(t0.get("/api/vector/stats").json().get("num_vectors").asLong()).isEqualTo(1);
                assertThat(t0.get("/v2/namespaces").body()).as("ordinary namespaces of the tenant")
                        .contains("quartzdb.kv").contains("quartzdb.vectors");
            }
        }
    }
}
