package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.e2e.Reference.Metric;
import io.lodestone.e2e.Reference.Neighbour;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.lodestone.e2e.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * QuartzDB's native server API ({@code /api/v1/...}) against a real server: key-value routes, named indexes with
 * numeric ids (search checked against brute force, distances as QuartzDB reports them), its
 * {@code {"error", "message"}} errors, and durability across a restart.
 */
@ExtendWith(Seeded.class)
class TestQuartzV1Api {
    @TempDir
    Path root;

    private static void assertError(Json.Response r, int status, String type, String message) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.json().get("error").asText()).as("%s", r).isEqualTo(type);
        if (message != null) assertThat(r.json().get("message").asText()).isEqualTo(message);
    }

    @Test
    void keyValueRoutesAndHealth() {
        try (InProcessServer server = InProcessServer.start(root); Json.Http http = server.http()) {
            assertThat(http.get("/api/v1/health").json().get("status").asText()).isEqualTo("healthy");
            assertThat(http.get("/api/v1/stats").json().get("wal_enabled").asBoolean()).isTrue();
            Json.Response put = http.post("/api/v1/kv/user:123", obj("value", "Alice Smith"));
            assertThat(put.json().get("message").asText()).isEqualTo("Value stored successfully");
            assertThat(http.get("/api/v1/kv/user:123").json().get("value").asText()).isEqualTo("Alice Smith");
            assertThat(http.get("/api/get/user:123").json().get("value").asText()).as("one store for both APIs").isEqualTo("Alice Smith");
            assertThat(http.delete("/api/v1/kv/user:123").json().get("message").asText()).isEqualTo("Key deleted successfully");
            assertError(http.get("/api/v1/kv/user:123"), 404, "not_found", "Key 'user:123' not found");
            assertError(http.delete("/api/v1/kv/user:123"), 404, "not_found", "Key 'user:123' not found");
            assertError(http.post("/api/v1/kv/k", obj("value", 3)), 400, "bad_request", null);
            assertError(http.post("/api/v1/kv/k", "not json"), 400, "bad_request", null);
            assertError(http.get("/api/v1/nothing"), 404, "not_found", null);
        }
    }

    @Test
    void namedIndexesAnswerLikeBruteForceAndSurviveARestart(Random random) {
        int dim = 4 + random.nextInt(12);
        Map<Long, float[]> euclid = new TreeMap<>();
        Map<Long, float[]> cosine = new TreeMap<>();
        try (InProcessServer server = InProcessServer.start(root); Json.Http http = server.http()) {
            Json.Response created = http.post("/api/v1/indexes/images", obj("dimension", dim, "metric", "euclidean"));
            assertThat(created.status()).as("%s", created).isEqualTo(200);
            assertThat(created.json().get("message").asText()).isEqualTo("Vector index 'images' initialized successfully");
            assertThat(http.post("/api/v1/indexes/images", obj("dimension", dim, "metric", "euclidean")).status()).as("same settings").isEqualTo(200);
            assertError(http.post("/api/v1/indexes/images", obj("dimension", dim + 1)), 400, "bad_request", null);
            assertError(http.post("/api/v1/indexes/x", obj("dimension", 3, "metric", "hamming")), 400, "bad_request",
                    "Invalid distance metric: hamming. Must be one of: cosine, euclidean, dotproduct");
            assertThat(http.post("/api/v1/indexes/texts", obj("dimension", dim)).json().get("metric").asText()).isEqualTo("cosine");

            int n = 20 + random.nextInt(20);
            for (int i = 0; i < n; i++) {
                float[] v = Reference.randomVector(random, dim);
                Json.Response r = http.post("/api/v1/indexes/images/vectors", obj("vector", Json.vec(v), "metadata", "image " + i));
                assertThat(r.json().get("id").asLong()).as("ids count from 1").isEqualTo(i + 1);
                euclid.put((long) i + 1, v);
                float[] c = Reference.randomVector(random, dim);
                assertThat(http.post("/api/v1/indexes/texts/vectors", obj("vector", Json.vec(c))).json().get("id").asLong()).isEqualTo(i + 1);
                cosine.put((long) i + 1, c);
            }
            assertError(http.post("/api/v1/indexes/images/vectors", obj("vector", List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17))),
                    400, "bad_request", "Vector dimension mismatch: expected " + dim + ", got 17");
            assertError(http.post("/api/v1/indexes/none/vectors", obj("vector", List.of(1))), 404, "index_not_found", "Index 'none' not found");

            long victim = 1 + random.nextInt(n);
            assertThat(http.delete("/api/v1/indexes/images/vectors/" + victim).status()).isEqualTo(200);
            assertError(http.delete("/api/v1/indexes/images/vectors/" + victim), 404, "vector_not_found", "Vector with id " + victim + " not found");
            assertError(http.get("/api/v1/indexes/images/vectors/" + victim), 404, "vector_not_found", null);
            assertError(http.get("/api/v1/indexes/images/vectors/abc"), 400, "bad_request", null);
            euclid.remove(victim);
            check(http, random, "images", euclid, Metric.EUCLIDEAN_SQUARED);
            check(http, random, "texts", cosine, Metric.COSINE_DISTANCE);

            JsonNode list = http.get("/api/v1/indexes").json().get("indexes");
            assertThat(list).hasSize(2);
            assertThat(list.get(0).get("name").asText()).isEqualTo("images");
            assertThat(list.get(0).get("metric").asText()).isEqualTo("Euclidean");
            assertThat(list.get(0).get("num_vectors").asLong()).isEqualTo(n - 1);
            assertThat(list.get(1).get("dimension").asInt()).isEqualTo(dim);
        }
        try (InProcessServer server = InProcessServer.start(root); Json.Http http = server.http()) {
            JsonNode info = http.get("/api/v1/indexes/images").json();
            assertThat(info.get("num_vectors").asLong()).as("after restart").isEqualTo(euclid.size());
            long id = euclid.keySet().iterator().next();
            JsonNode got = http.get("/api/v1/indexes/images/vectors/" + id).json();
            assertThat(got.get("metadata").asText()).isEqualTo("image " + (id - 1));
            for (int i = 0; i < dim; i++) assertThat(got.get("vector").get(i).floatValue()).isEqualTo(euclid.get(id)[i]);
            long next = http.post("/api/v1/indexes/images/vectors", obj("vector", Json.vec(Reference.randomVector(random, dim)))).json().get("id").asLong();
            assertThat(next).as("a restarted server never hands out an id again").isGreaterThan(euclid.keySet().stream()
                    .mapToLong(Long::longValue).max().orElseThrow());
            assertThat(http.get("/api/v1/indexes/images/vectors/" + id).json().get("metadata").asText()).isEqualTo("image " + (id - 1));

            assertThat(http.delete("/api/v1/indexes/images").json().get("message").asText()).isEqualTo("Index 'images' deleted successfully");
            assertError(http.delete("/api/v1/indexes/images"), 404, "index_not_found", null);
            assertError(http.post("/api/v1/indexes/images/vectors/search", obj("vector", List.of(1))), 404, "index_not_found", null);
            assertThat(http.get("/api/v1/indexes").json().get("indexes")).hasSize(1);
        }
    }

    /** Search results against brute force; "distance" is QuartzDB v1's: Euclidean distance, cosine similarity. */
    private static void check(Json.Http http, Random random, String index, Map<Long, float[]> model, Metric metric) {
        int dim = model.values().iterator().next().length;
        for (int round = 0; round < 3; round++) {
            float[] q = Reference.randomVector(random, dim);
            int k = 1 + random.nextInt(8);
            JsonNode results = http.post("/api/v1/indexes/" + index + "/vectors/search", obj("vector", Json.vec(q), "k", k)).json().get("results");
            List<Neighbour> truth = Reference.nearest(model, q, metric, id -> true, k);
            assertThat(results).hasSize(truth.size());
            for (int i = 0; i < truth.size(); i++) {
                JsonNode hit = results.get(i);
                double d = truth.get(i).distance();
                double expected = metric == Metric.EUCLIDEAN_SQUARED ? Math.sqrt(d) : 1 - d;
                assertThat(hit.get("id").asLong()).isEqualTo(truth.get(i).id());
                assertThat(hit.get("distance").asDouble()).isCloseTo(expected, within(1e-3));
                assertThat(hit.get("vector")).hasSize(dim);
            }
        }
    }
}
