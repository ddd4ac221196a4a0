package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.e2e.Reference.Metric;
import io.lodestone.e2e.Reference.Neighbour;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * The VecPuff-compatible routes:
 * <ul>
 *   <li>{@code POST /namespaces/{ns}} with {@code upsert_rows}, {@code patch_rows}, {@code deletes},
 *       {@code distance_metric} → {@code {"upserted_count": n}};</li>
 *   <li>{@code POST /namespaces/{ns}/query} with {@code query_vector}, {@code top_k}, {@code filters}
 *       → {@code {"results": [{"id", "vector", ...attributes}], "total_count": n}};</li>
 *   <li>{@code GET /namespaces} → {@code {"namespaces": [{"id"}]}};</li>
 *   <li>{@code POST /namespaces/{ns}/metadata}.</li>
 * </ul>
 * Filters use the turbopuffer array syntax.
 */
@ExtendWith(Seeded.class)
class TestVecPuffApi {

    private static final int DIM = 6;

    @TempDir
    static Path root;

    static InProcessServer server;
    static Json.Http http;

    @BeforeAll
    static void start() {
        server = InProcessServer.start(root);
        http = server.http();
    }

    @AfterAll
    static void stop() {
        if (http != null) http.close();
        if (server != null) server.close();
    }

    record Doc(long id, float[] vector, String color, long n) {}

    private static Map<Long, Doc> load(String ns, Random random, int count) {
        String[] colors = {"red", "green", "blue"};
        Map<Long, Doc> docs = new TreeMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long id = 1; id <= count; id++) {
            Doc d = new Doc(id, Reference.randomVector(random, DIM), colors[random.nextInt(colors.length)], id * 7 % 11);
            docs.put(id, d);
            rows.add(obj("id", id, "vector", Json.vec(d.vector()), "color", d.color(), "n", d.n()));
        }
        Json.Response r = http.post("/namespaces/" + ns, obj("distance_metric", "euclidean_squared", "upsert_rows", rows));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("upserted_count").asLong()).as("upserted_count in %s", r).isEqualTo(count);
        return docs;
    }

    private static Map<Long, float[]> vectors(Map<Long, Doc> docs) {
        Map<Long, float[]> m = new TreeMap<>();
        docs.forEach((id, d) -> m.put(id, d.vector()));
        return m;
    }

    private static Json.Response query(String ns, float[] vector, int topK, Object filters) {
        Map<String, Object> body = obj("query_vector", Json.vec(vector), "top_k", topK);
        if (filters != null) body.put("filters", filters);
        Json.Response r = http.post("/namespaces/" + ns + "/query", body);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("results").isArray()).as("results in %s", r).isTrue();
        assertThat(r.json().path("total_count").isIntegralNumber()).as("total_count in %s", r).isTrue();
        return r;
    }

    private static List<Long> ids(Json.Response r) {
        List<Long> ids = new ArrayList<>();
        r.json().path("results").forEach(row -> ids.add(row.get("id").asLong()));
        return ids;
    }

    /** The results are the exact nearest neighbours, in order (up to float32 ties). */
    private static void assertExact(Json.Response r, List<Neighbour> expected, Map<Long, float[]> vectors, float[] q) {
        List<Long> got = ids(r);
        assertThat(got).hasSize(expected.size()).doesNotHaveDuplicates();
        for (int i = 0; i < got.size(); i++) {
            double trueDist = Metric.EUCLIDEAN_SQUARED.distance(vectors.get(got.get(i)), q);
            assertThat(trueDist).as("rank %d: id %d, expected id %d", i, got.get(i), expected.get(i).id())
                    .isCloseTo(expected.get(i).distance(), within(Metric.EUCLIDEAN_SQUARED.tolerance(trueDist)));
        }
    }

    @Test
    void upsertThenQueryReturnsExactNeighboursWithVectorsAndAttributes(Random random) {
        Map<Long, Doc> docs = load("vp-basic", random, 60);
        Map<Long, float[]> vectors = vectors(docs);
        float[] q = Reference.randomVector(random, DIM);

        Json.Response r = query("vp-basic", q, 5, null);
        assertExact(r, Reference.nearest(vectors, q, Metric.EUCLIDEAN_SQUARED, id -> true, 5), vectors, q);
        for (JsonNode row : r.json().path("results")) {
            Doc d = docs.get(row.get("id").asLong());
            assertThat(row.path("color").asText()).isEqualTo(d.color());
            assertThat(row.path("n").asLong()).isEqualTo(d.n());
            JsonNode v = row.path("vector");
            assertThat(v.isArray()).as("vector in %s", row).isTrue();
            assertThat(v.size()).isEqualTo(DIM);
            for (int i = 0; i < DIM; i++) assertThat(v.get(i).floatValue()).isEqualTo(d.vector()[i]);
        }
        assertThat(r.json().get("total_count").asLong()).isGreaterThanOrEqualTo(5);

        // A top_k above the namespace size returns everything, and total_count agrees.
        Json.Response all = query("vp-basic", q, 1000, null);
        assertThat(ids(all)).hasSize(60);
        assertThat(all.json().get("total_count").asLong()).isEqualTo(60);
        assertExact(all, Reference.nearest(vectors, q, Metric.EUCLIDEAN_SQUARED, id -> true, 60), vectors, q);
    }

    @Test
    void filtersRestrictTheNeighbours(Random random) {
        Map<Long, Doc> docs = load("vp-filters", random, 60);
        Map<Long, float[]> vectors = vectors(docs);
        float[] q = Reference.randomVector(random, DIM);

        Json.Response red = query("vp-filters", q, 4, List.of("color", "Eq", "red"));
        assertExact(red, Reference.nearest(vectors, q, Metric.EUCLIDEAN_SQUARED,
                id -> docs.get(id).color().equals("red"), 4), vectors, q);
        red.json().path("results").forEach(row -> assertThat(row.path("color").asText()).isEqualTo("red"));

        Json.Response combined = query("vp-filters", q, 100,
                List.of("And", List.of(List.of("n", "Gte", 5), List.of("color", "NotEq", "blue"))));
        List<Neighbour> expected = Reference.nearest(vectors, q, Metric.EUCLIDEAN_SQUARED,
                id -> docs.get(id).n() >= 5 && !docs.get(id).color().equals("blue"), 100);
        assertExact(combined, expected, vectors, q);
    }

    @Test
    void patchRowsAndDeletes(Random random) {
        Map<Long, Doc> docs = load("vp-patch", random, 10);
        Json.Response patch = http.post("/namespaces/vp-patch", obj("patch_rows", List.of(obj("id", 3, "color", "violet"))));
        assertThat(patch.status()).as("%s", patch).isEqualTo(200);
        Json.Response del = http.post("/namespaces/vp-patch", obj("deletes", List.of(1, 2)));
        assertThat(del.status()).as("%s", del).isEqualTo(200);

        Json.Response all = query("vp-patch", docs.get(3L).vector(), 100, null);
        assertThat(ids(all)).containsExactlyInAnyOrder(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(all.json().get("total_count").asLong()).isEqualTo(8);
        JsonNode first = all.json().path("results").get(0);
        assertThat(first.get("id").asLong()).as("the patched doc kept its vector").isEqualTo(3L);
        assertThat(first.path("color").asText()).isEqualTo("violet");
        assertThat(first.path("n").asLong()).as("patch keeps other attributes").isEqualTo(docs.get(3L).n());
    }

    @Test
    void namespacesAreListed(Random random) {
        load("vp-list-1", random, 2);
        load("vp-list-2", random, 2);
        Json.Response r = http.get("/namespaces");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        List<String> names = new ArrayList<>();
        r.json().path("namespaces").forEach(n -> names.add(n.get("id").asText()));
        assertThat(names).contains("vp-list-1", "vp-list-2");
    }

    @Test
    void metadataAnswersForAnExistingNamespace(Random random) {
        load("vp-meta", random, 3);
        Json.Response r = http.post("/namespaces/vp-meta/metadata", obj());
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json()).as("JSON object in %s", r).isNotNull();
        assertThat(r.json().isObject()).isTrue();
        long deadline = System.nanoTime() + 60_000_000_000L; // liveness: the indexer folds the tail after 1 s idle
        while (!r.json().at("/index/status").asText().equals("up_to_date") && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
            r = http.post("/namespaces/vp-meta/metadata", obj());
        }
        assertThat(r.json().at("/index/indexed_row_count").asLong()).as("rows in segments, once indexed: %s", r).isEqualTo(3);
    }

    @Test
    void vecPuffAndTurbopufferRoutesShareNamespaces(Random random) {
        Map<Long, Doc> docs = load("vp-shared", random, 5);
        Json.Response v2 = http.post("/v2/namespaces/vp-shared/query",
                obj("rank_by", List.of("id", "asc"), "top_k", 10, "include_attributes", List.of("color")));
        assertThat(v2.status()).as("%s", v2).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        v2.json().path("rows").forEach(row -> {
            ids.add(row.get("id").asLong());
            assertThat(row.path("color").asText()).isEqualTo(docs.get(row.get("id").asLong()).color());
        });
        assertThat(ids).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void errors(Random random) {
        load("vp-errors", random, 3);
        Json.Response wrongDim = http.post("/namespaces/vp-errors",
                obj("upsert_rows", List.of(obj("id", 9, "vector", List.of(1, 2)))));
        TestBadInput.assertError(wrongDim, List.of("dim"));
        Json.Response wrongQueryDim = http.post("/namespaces/vp-errors/query", obj("query_vector", List.of(1, 2), "top_k", 3));
        TestBadInput.assertError(wrongQueryDim, List.of("dim"));
        Json.Response badTopK = http.post("/namespaces/vp-errors/query",
                obj("query_vector", Json.vec(new float[DIM]), "top_k", 0));
        TestBadInput.assertError(badTopK, List.of("top_k"));
        Json.Response missing = http.post("/namespaces/vp-nope/query", obj("query_vector", List.of(1, 2), "top_k", 3));
        assertThat(missing.status()).as("%s", missing).isEqualTo(404);
        TestBadInput.assertError(missing, List.of("vp-nope", "not found", "namespace"));
        Json.Response malformed = http.post("/namespaces/vp-errors", "{\"upsert_rows\": [");
        TestBadInput.assertError(malformed, List.of("json", "malformed", "parse"));
        // Nothing of the refused writes is visible.
        Json.Response all = query("vp-errors", new float[]{1, 0, 0, 0, 0, 0}, 100, null);
        assertThat(ids(all)).containsExactlyInAnyOrder(1L, 2L, 3L);
    }
}
