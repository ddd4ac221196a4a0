package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.e2e.Reference.Metric;
import io.lodestone.e2e.Reference.Neighbour;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.lodestone.e2e.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * BudgetVec's JSON Lines import ({@code POST /v2/namespaces/{ns}/import/jsonl}) against a real server: rows with
 * comments and blank lines between them, metric aliases, counts measured from the write, results against brute
 * force, durability across a restart, a bad line refusing the whole import (named by its line, nothing written),
 * the row limit, and keys and tenants.
 */
@ExtendWith(Seeded.class)
class TestBudgetVecImport {
    private static final String OPERATOR_KEY = "operator-key-for-budgetvec-tests-0123456789";

    @TempDir
    Path root;

    private static String row(long id, float[] v, String title) {
        return Json.write(obj("id", id, "vector", Json.vec(v), "title", title, "n", (int) (id % 7)));
    }

    /** Rows of {@code model} as JSON Lines, with comments and blank lines between them. */
    private static List<String> lines(Random random, Map<Long, float[]> rows) {
        List<String> lines = new ArrayList<>(List.of("# exported by budgetvec", ""));
        rows.forEach((id, v) -> {
            if (random.nextInt(8) == 0) lines.add(random.nextBoolean() ? "   " : "# row " + id + " follows");
            lines.add(row(id, v, "doc " + id));
        });
        return lines;
    }

    private static Json.Response importLines(Json.Http http, String ns, String query, List<String> lines) {
        return http.post("/v2/namespaces/" + ns + "/import/jsonl" + query, String.join("\n", lines) + "\n");
    }

    private static long rowCount(Json.Http http, String ns) {
        Json.Response m = http.get("/v2/namespaces/" + ns + "/metadata");
        return m.status() == 404 ? 0 : m.json().get("approx_row_count").asLong();
    }

    @Test
    void importsRowsThatAnswerLikeBruteForceAndSurviveARestart(Random random) {
        int dim = 3 + random.nextInt(14);
        Map<Long, float[]> model = new TreeMap<>();
        while (model.size() < 40 + random.nextInt(80)) model.put((long) random.nextInt(1_000_000), Reference.randomVector(random, dim));
        try (InProcessServer server = InProcessServer.start(root); Json.Http http = server.http()) {
            Json.Response r = importLines(http, "docs", "?distance_metric=euclidean", lines(random, model));
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(r.json().get("rows_affected").asLong()).isEqualTo(model.size());
            assertThat(r.json().get("rows_upserted").asLong()).isEqualTo(model.size());
            assertThat(r.json().get("rows_deleted").asLong()).isZero();
            assertThat(http.get("/v2/namespaces/docs/metadata").json().get("distance_metric").asText())
                    .as("BudgetVec's euclidean ranks by euclidean_squared").isEqualTo("euclidean_squared");

            Map<Long, float[]> again = new TreeMap<>();
            List<Long> ids = new ArrayList<>(model.keySet());
            for (int i = 0; i < 5; i++) again.put(ids.get(random.nextInt(ids.size())), Reference.randomVector(random, dim));
            again.put(2_000_000L + random.nextInt(1000), Reference.randomVector(random, dim));
            Json.Response second = importLines(http, "docs", "", lines(random, again));
            assertThat(second.json().get("rows_upserted").asLong()).as("%s", second).isEqualTo(again.size());
            model.putAll(again);
            check(http, random, model, Metric.EUCLIDEAN_SQUARED);

            Map<Long, float[]> cosine = Map.of(1L, Reference.randomVector(random, dim), 2L, Reference.randomVector(random, dim));
            assertThat(importLines(http, "texts", "?distance_metric=cosine", lines(random, cosine)).status()).isEqualTo(200);
            assertThat(http.get("/v2/namespaces/texts/metadata").json().get("distance_metric").asText()).isEqualTo("cosine_distance");
        }
        try (InProcessServer server = InProcessServer.start(root); Json.Http http = server.http()) {
            assertThat(rowCount(http, "docs")).as("after a restart").isEqualTo(model.size());
            check(http, random, model, Metric.EUCLIDEAN_SQUARED);
            long id = model.keySet().iterator().next();
            JsonNode rows = http.post("/v2/namespaces/docs/query", obj("filters", List.of("id", "Eq", id), "top_k", 1,
                    "include_attributes", List.of("title", "n"))).json().get("rows");
            assertThat(rows.get(0).get("title").asText()).isEqualTo("doc " + id);
            assertThat(rows.get(0).get("n").asInt()).isEqualTo((int) (id % 7));
        }
    }

    private static void check(Json.Http http, Random random, Map<Long, float[]> model, Metric metric) {
        int dim = model.values().iterator().next().length;
        for (int round = 0; round < 3; round++) {
            float[] q = Reference.randomVector(random, dim);
            int k = 1 + random.nextInt(10);
            JsonNode rows = http.post("/v2/namespaces/docs/query", obj("rank_by", List.of("vector", "kNN", Json.vec(q)), "top_k", k))
                    .json().get("rows");
            List<Neighbour> truth = Reference.nearest(model, q, metric, x -> true, k);
            assertThat(rows).hasSize(truth.size());
            for (int i = 0; i < truth.size(); i++) {
                assertThat(rows.get(i).get("id").asLong()).isEqualTo(truth.get(i).id());
                assertThat(rows.get(i).get("$dist").asDouble()).isCloseTo(truth.get(i).distance(), within(metric.tolerance(truth.get(i).distance())));
            }
        }
    }

    @Test
    void aBadLineRefusesTheWholeImportAndNamesItsLine(Random random) {
        int dim = 4;
        String v = Json.write(Json.vec(Reference.randomVector(random, dim)));
        List<String> bad = List.of(
                "{\"id\": \"abc\", \"vector\": " + v + "}",
                "{\"id\": -3, \"vector\": " + v + "}",
                "{\"id\": 1.5, \"vector\": " + v + "}",
                "{\"id\": 9, \"vector\": [1, 2, \"x\", 4]}",
                "{\"id\": 9, \"vector\": [1, 2, 3]}",
                "{\"id\": 9, \"vector\": " + v,
                "[1, 2, 3]",
                "{\"id\": 9, \"vector\": " + v + "} {\"id\": 10, \"vector\": " + v + "}",
                "{\"id\": 9, \"vector\": " + v + ", \"tags\": {\"nested\": 1}}");
        try (InProcessServer server = InProcessServer.start(root); Json.Http http = server.http()) {
            assertThat(importLines(http, "docs", "", List.of(row(1, Reference.randomVector(random, dim), "one"))).status()).isEqualTo(200);
            for (String line : bad) {
                Map<Long, float[]> good = new TreeMap<>();
                for (int i = 0; i < 1 + random.nextInt(20); i++) good.put(100L + i, Reference.randomVector(random, dim));
                List<String> lines = lines(random, good);
                int at = random.nextInt(lines.size() + 1);
                lines.add(at, line);
                Json.Response r = importLines(http, "docs", "", lines);
                assertThat(r.status()).as("%s: %s", line, r).isEqualTo(400);
                assertThat(r.json().get("error").asText()).as(line).contains("line " + (at + 1));
                assertThat(rowCount(http, "docs")).as("nothing of %s written", line).isEqualTo(1);
            }
            Json.Response multi = importLines(http, "docs", "", List.of("{\"id\": 5,", " \"vector\": " + v + "}"));
            assertThat(multi.json().get("error").asText()).isEqualTo("line 1: the row runs on to line 2; an import holds one row per line");
            assertThat(importLines(http, "docs", "", List.of("# nothing", "")).json().get("error").asText()).isEqualTo("the import has no rows");
            Json.Response metric = importLines(http, "fresh", "?distance_metric=hamming", List.of(row(1, Reference.randomVector(random, dim), "x")));
            assertThat(metric.status()).isEqualTo(400);
            assertThat(metric.json().get("error").asText()).contains("exact kNN only");
            assertThat(importLines(http, "fresh", "?distance_metric=nope", List.of(row(1, Reference.randomVector(random, dim), "x"))).status()).isEqualTo(400);
            assertThat(http.get("/v2/namespaces/fresh/metadata").status()).as("never created").isEqualTo(404);
            assertThat(rowCount(http, "docs")).isEqualTo(1);
        }
    }

    @Test
    void anImportOverTheRowLimitIsRefusedAtTheFirstRowTooMany(Random random) {
        try (InProcessServer server = InProcessServer.start(root, Map.of("LODESTONE_LIMITS_MAX_BATCH_ROWS", "10")); Json.Http http = server.http()) {
            List<String> lines = new ArrayList<>(List.of("# header"));
            for (long id = 1; id <= 11; id++) lines.add(row(id, Reference.randomVector(random, 3), "r"));
            Json.Response r = importLines(http, "docs", "", lines);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("error").asText())
                    .isEqualTo("line 12: the import has more than 10 rows, the limit of one import (limits.max_batch_rows)");
            assertThat(importLines(http, "docs", "", lines.subList(0, 11)).json().get("rows_upserted").asLong()).isEqualTo(10);
        }
    }

    @Test
    void needsAKeyWhenAuthIsOnAndWritesOnlyTheCallersTenant(Random random) {
        try (InProcessServer server = InProcessServer.start(root, Map.of("LODESTONE_AUTH_ENABLED", "true", "LODESTONE_AUTH_ADMIN_KEY", OPERATOR_KEY));
             Json.Http operator = new Json.Http(server.baseUrl(), OPERATOR_KEY);
             Json.Http anonymous = server.http()) {
            String[] keys = Tenants.readWriteKeys(operator, "b", 2);
            List<String> lines = List.of(row(7, Reference.randomVector(random, 3), "seven"));
            assertThat(importLines(anonymous, "docs", "", lines).status()).isEqualTo(401);
            try (Json.Http t0 = new Json.Http(server.baseUrl(), keys[0]); Json.Http t1 = new Json.Http(server.baseUrl(), keys[1])) {
                assertThat(importLines(t0, "docs", "", lines).json().get("rows_upserted").asLong()).isEqualTo(1);
                assertThat(rowCount(t0, "docs")).isEqualTo(1);
                assertThat(t1.get("/v2/namespaces/docs/metadata").status()).as("another tenant's namespace").isEqualTo(404);
            }
        }
    }
}
