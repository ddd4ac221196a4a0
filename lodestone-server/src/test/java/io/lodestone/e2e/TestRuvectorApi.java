package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.e2e.Reference.Metric;
import io.lodestone.e2e.Reference.Neighbour;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongPredicate;

import static io.lodestone.e2e.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * ruvector's server routes ({@code /collections...}) against a real server: collections with their dimension and
 * metric, points with string ids and metadata, search checked against brute force with ruvector's scores, filters
 * and score thresholds, its {@code {"error", "status"}} errors, keys and tenants, and durability across a restart.
 */
@ExtendWith(Seeded.class)
class TestRuvectorApi {
    private static final String OPERATOR_KEY = "operator-key-for-ruvector-tests-0123456789";
    private static final List<String> KINDS = List.of("a", "b", "c");

    @TempDir
    Path root;

    private static void assertError(Json.Response r, int status, String error) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.json().get("status").asInt()).as("%s", r).isEqualTo(status);
        if (error != null) assertThat(r.json().get("error").asText()).isEqualTo(error);
    }

    private static Json.Response put(Json.Http http, String path, Object body) {
        return http.send(HttpRequest.newBuilder(http.uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8)));
    }

    /** The id of point {@code i}: short strings, and some UUID-shaped or over 64 bytes (stored under a digest). */
    private static String pointId(long i) {
        return switch ((int) (i % 3)) {
            case 0 -> "p" + i;
            case 1 -> new UUID(i, i * 31).toString();
            default -> "long-" + "x".repeat(70) + i;
        };
    }

    private static Map<String, Object> metadata(long i) {
        return obj("kind", KINDS.get((int) (i % 3 + i / 3) % 3), "n", (int) (i % 4), "tags", List.of("t" + i, i));
    }

    private static Map<Long, float[]> upsert(Json.Http http, Random random, String collection, int dim, long from, int n) {
        Map<Long, float[]> points = new TreeMap<>();
        List<Object> body = new ArrayList<>();
        for (long i = from; i < from + n; i++) {
            float[] v = Reference.randomVector(random, dim);
            points.put(i, v);
            body.add(obj("id", pointId(i), "vector", Json.vec(v), "metadata", metadata(i)));
        }
        Json.Response r = put(http, "/collections/" + collection + "/points", obj("points", body));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("ids")).hasSize(n);
        assertThat(r.json().get("ids").get(0).asText()).isEqualTo(pointId(from));
        return points;
    }

    @Test
    void collectionsAndPointsAnswerLikeRuvectorAndSurviveARestart(Random random) {
        int dim = 3 + random.nextInt(10);
        Map<Long, float[]> docs;
        try (InProcessServer server = InProcessServer.start(root); Json.Http http = server.http()) {
            Json.Response created = http.post("/collections", obj("name", "docs", "dimension", dim, "metric", "Euclidean"));
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            assertThat(created.json()).isEqualTo(Json.parse(Json.write(obj("name", "docs", "dimension", dim, "metric", "Euclidean"))));
            assertError(http.post("/collections", obj("name", "docs", "dimension", dim)), 409, "Collection already exists: docs");
            assertError(http.post("/collections", obj("name", "bad", "dimension", 3, "metric", "cosine")), 400,
                    "Invalid request: unknown metric 'cosine'; expected one of Euclidean, Cosine, DotProduct, Manhattan");
            assertError(http.post("/collections", obj("name", "bad", "dimension", 0)), 400, null);
            assertError(http.post("/collections", obj("name", "bad/x", "dimension", 3)), 400, null);
            assertError(http.post("/collections", "{not json"), 400, null);
            assertThat(http.post("/collections", obj("name", "texts", "dimension", dim)).json().get("metric").asText()).isEqualTo("Cosine");
            assertThat(http.post("/collections", obj("name", "l1", "dimension", dim, "metric", "Manhattan")).status()).isEqualTo(201);
            assertThat(http.get("/collections").json().get("collections").toString()).isEqualTo("[\"docs\",\"l1\",\"texts\"]");
            assertThat(http.get("/collections/texts").json().get("dimension").asInt()).isEqualTo(dim);
            assertError(http.get("/collections/none"), 404, "Collection not found: none");
            assertError(put(http, "/collections/none/points", obj("points", List.of())), 404, "Collection not found: none");

            docs = upsert(http, random, "docs", dim, 0, 30 + random.nextInt(40));
            Json.Response wrong = put(http, "/collections/docs/points", obj("points", List.of(
                    obj("id", "ok", "vector", Json.vec(Reference.randomVector(random, dim))),
                    obj("id", "bad", "vector", Json.vec(Reference.randomVector(random, dim + 1))))));
            assertError(wrong, 400, "Invalid request: Dimension mismatch: expected " + dim + ", got " + (dim + 1));
            assertError(http.get("/collections/docs/points/ok"), 404, "Point not found: ok");

            check(http, random, "docs", docs, Metric.EUCLIDEAN_SQUARED);
            Map<Long, float[]> texts = upsert(http, random, "texts", dim, 1000, 20);
            check(http, random, "texts", texts, Metric.COSINE_DISTANCE);
            Map<Long, float[]> l1 = upsert(http, random, "l1", dim, 2000, 20);
            float[] q = Reference.randomVector(random, dim);
            JsonNode hits = http.post("/collections/l1/points/search", obj("vector", Json.vec(q), "k", 5)).json().get("results");
            List<Map.Entry<Long, float[]>> byL1 = new ArrayList<>(l1.entrySet());
            byL1.sort(Comparator.comparingDouble(e -> manhattan(e.getValue(), q)));
            for (int i = 0; i < 5; i++) {
                assertThat(hits.get(i).get("id").asText()).isEqualTo(pointId(byL1.get(i).getKey()));
                assertThat(hits.get(i).get("score").asDouble()).isCloseTo(manhattan(byL1.get(i).getValue(), q), within(1e-3));
            }

            assertError(http.post("/collections/docs/points/search", obj("vector", Json.vec(q), "filter", obj("tags", List.of("x")))), 400, null);
            assertError(http.post("/collections/docs/points/search", obj("vector", List.of(1, 2))), 400,
                    "Invalid request: Dimension mismatch: expected " + dim + ", got 2");
            assertThat(http.post("/collections/docs/points/search", obj("vector", Json.vec(q), "filter", obj("missing", 1))).json()
                    .get("results")).as("a field no point has").isEmpty();

            assertThat(http.delete("/collections/texts").status()).isEqualTo(204);
            assertError(http.delete("/collections/texts"), 404, "Collection not found: texts");
            assertError(http.post("/collections/texts/points/search", obj("vector", Json.vec(q))), 404, null);
            assertThat(http.post("/collections", obj("name", "texts", "dimension", 2)).status()).as("created again, empty").isEqualTo(201);
            assertThat(http.post("/collections/texts/points/search", obj("vector", List.of(1, 2))).json().get("results")).isEmpty();
            Json.Response generated = put(http, "/collections/texts/points", obj("points", List.of(obj("vector", List.of(1, 2)))));
            String uuid = generated.json().get("ids").get(0).asText();
            assertThat(UUID.fromString(uuid).version()).as("ruvector generates a v4 UUID").isEqualTo(4);
            assertThat(http.get("/collections/texts/points/" + uuid).json().get("metadata").isNull()).isTrue();
        }
        try (InProcessServer server = InProcessServer.start(root); Json.Http http = server.http()) {
            JsonNode info = http.get("/collections/docs").json();
            assertThat(info.get("dimension").asInt()).as("after a restart").isEqualTo(dim);
            assertThat(info.get("metric").asText()).isEqualTo("Euclidean");
            long some = 1 + random.nextInt(docs.size() - 1);
            JsonNode got = http.get("/collections/docs/points/" + pointId(some)).json();
            assertThat(got.get("id").asText()).isEqualTo(pointId(some));
            assertThat(got.get("metadata")).isEqualTo(Json.parse(Json.write(metadata(some))));
            for (int i = 0; i < dim; i++) assertThat(got.get("vector").get(i).floatValue()).isEqualTo(docs.get(some)[i]);
            check(http, random, "docs", docs, Metric.EUCLIDEAN_SQUARED);
        }
    }

    private static double manhattan(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs((double) a[i] - b[i]);
        return s;
    }

    /** ruvector's score of a reference distance: the Euclidean distance, or 1 - cos. */
    private static double score(Metric metric, double d) {
        return metric == Metric.EUCLIDEAN_SQUARED ? Math.sqrt(d) : d;
    }

    /** Plain, filtered and thresholded searches against brute force. */
    private static void check(Json.Http http, Random random, String collection, Map<Long, float[]> model, Metric metric) {
        int dim = model.values().iterator().next().length;
        Map<String, Long> byId = new HashMap<>();
        model.keySet().forEach(i -> byId.put(pointId(i), i));
        for (int round = 0; round < 4; round++) {
            float[] q = Reference.randomVector(random, dim);
            int k = 1 + random.nextInt(10);
            Map<String, Object> body = new LinkedHashMap<>(obj("vector", Json.vec(q), "k", k));
            LongPredicate filter = i -> true;
            if (round == 1) {
                String kind = KINDS.get(random.nextInt(3));
                body.put("filter", obj("kind", kind));
                filter = i -> metadata(i).get("kind").equals(kind);
            } else if (round == 2) {
                int n = random.nextInt(4);
                body.put("filter", obj("n", n, "kind", "b"));
                filter = i -> metadata(i).get("n").equals(n) && metadata(i).get("kind").equals("b");
            }
            List<Neighbour> truth = Reference.nearest(model, q, metric, filter, k);
            if (round == 3) {
                // between two results' scores, so that float rounding cannot move a result across it
                int m = truth.size() / 2;
                double at = score(metric, truth.get(m).distance());
                body.put("score_threshold", m == 0 ? at - 0.01 : (score(metric, truth.get(m - 1).distance()) + at) / 2);
                truth = truth.subList(m, truth.size());
            }
            Json.Response r = http.post("/collections/" + collection + "/points/search", body);
            assertThat(r.status()).as("round %d: %s", round, r).isEqualTo(200);
            JsonNode results = r.json().get("results");
            assertThat(results).as("round %d", round).hasSize(truth.size());
            for (int i = 0; i < truth.size(); i++) {
                JsonNode hit = results.get(i);
                assertThat(byId.get(hit.get("id").asText())).isEqualTo(truth.get(i).id());
                assertThat(hit.get("score").asDouble()).isCloseTo(score(metric, truth.get(i).distance()), within(1e-3));
                assertThat(hit.get("vector")).hasSize(dim);
                assertThat(hit.get("metadata")).isEqualTo(Json.parse(Json.write(metadata(truth.get(i).id()))));
            }
        }
    }

    @Test
    void routesNeedAKeyWhenAuthIsOnAndStayInTheCallersTenant(Random random) {
        try (InProcessServer server = InProcessServer.start(root, Map.of("LODESTONE_AUTH_ENABLED", "true", "LODESTONE_AUTH_ADMIN_KEY", OPERATOR_KEY));
             Json.Http operator = new Json.Http(server.baseUrl(), OPERATOR_KEY);
             Json.Http anonymous = server.http()) {
            String[] keys = Tenants.readWriteKeys(operator, "r", 2);
            assertError(anonymous.get("/collections"), 401, null);
            assertError(anonymous.post("/collections", obj("name", "docs", "dimension", 3)), 401, null);
            try (Json.Http t0 = new Json.Http(server.baseUrl(), keys[0]); Json.Http t1 = new Json.Http(server.baseUrl(), keys[1])) {
                assertThat(t0.post("/collections", obj("name", "docs", "dimension", 3)).status()).isEqualTo(201);
                upsert(t0, random, "docs", 3, 0, 3);
                assertThat(t1.get("/collections").json().get("collections")).isEmpty();
                assertError(t1.get("/collections/docs/points/" + pointId(0)), 404, "Collection not found: docs");
                assertThat(t1.post("/collections", obj("name", "docs", "dimension", 5)).status()).as("its own docs").isEqualTo(201);
                assertThat(t0.get("/collections/docs").json().get("dimension").asInt()).isEqualTo(3);
                assertThat(t0.get("/v2/namespaces").body()).as("ordinary namespaces of the tenant")
                        .contains("ruvector.collections").contains("ruvector.collection.docs");
            }
        }
    }
}
