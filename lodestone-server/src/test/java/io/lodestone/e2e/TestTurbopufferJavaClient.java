package io.lodestone.e2e;

import com.turbopuffer.client.Namespace;
import com.turbopuffer.client.TurbopufferClient;
import com.turbopuffer.client.okhttp.TurbopufferOkHttpClient;
import com.turbopuffer.core.JsonValue;
import com.turbopuffer.errors.NotFoundException;
import com.turbopuffer.models.ClientNamespacesPage;
import com.turbopuffer.models.ClientNamespacesParams;
import com.turbopuffer.models.NamespaceSummary;
import com.turbopuffer.models.namespaces.AggregateBy;
import com.turbopuffer.models.namespaces.AttributeSchemaConfig;
import com.turbopuffer.models.namespaces.Columns;
import com.turbopuffer.models.namespaces.DistanceMetric;
import com.turbopuffer.models.namespaces.Filter;
import com.turbopuffer.models.namespaces.NamespaceMetadata;
import com.turbopuffer.models.namespaces.NamespaceMultiQueryParams;
import com.turbopuffer.models.namespaces.NamespaceMultiQueryResponse;
import com.turbopuffer.models.namespaces.NamespaceQueryParams;
import com.turbopuffer.models.namespaces.NamespaceQueryResponse;
import com.turbopuffer.models.namespaces.NamespaceWriteParams;
import com.turbopuffer.models.namespaces.NamespaceWriteResponse;
import com.turbopuffer.models.namespaces.Query;
import com.turbopuffer.models.namespaces.RankBy;
import com.turbopuffer.models.namespaces.RankByAttributeOrder;
import com.turbopuffer.models.namespaces.Row;
import com.turbopuffer.models.namespaces.Schema;
import com.turbopuffer.models.namespaces.VectorEncoding;
import io.lodestone.e2e.Reference.Metric;
import io.lodestone.e2e.Reference.Neighbour;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Drives an in-process Lodestone server with the official turbopuffer Java client (1.3.0) and
 * checks exact results against brute-force references.
 *
 * <p>The client is built with {@code responseValidation(true)}: every response must carry the full
 * shape the client documents (write: status "OK", message, rows_affected, billing; query: billing
 * and performance; metadata: approx_logical_bytes, approx_row_count, created_at, schema), not only
 * the fields a test reads. See docs/turbopuffer-client-notes.md.
 */
@ExtendWith(Seeded.class)
class TestTurbopufferJavaClient {

    @TempDir
    static Path root;

    static InProcessServer server;
    static TurbopufferClient tpuf;

    @BeforeAll
    static void startServer() {
        server = InProcessServer.start(root);
        tpuf = TurbopufferOkHttpClient.builder()
                .baseUrl(server.baseUrl())
                .apiKey("e2e-test-key")
                .maxRetries(0)                  // see raw statuses, never replay a write
                .responseValidation(true)       // the full documented response shapes are required
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    @AfterAll
    static void stopServer() {
        if (tpuf != null) tpuf.close();
        if (server != null) server.close();
    }

    // ------------------------------------------------------------------ vector search

    @Test
    void annQueryReturnsExactNearestNeighboursCosine(Random random) {
        Namespace ns = tpuf.namespace("ann-cosine");
        int n = 300, dim = 24;
        Map<Long, float[]> docs = new TreeMap<>();
        for (long id = 1; id <= n; id++) docs.put(id, Reference.randomVector(random, dim));

        // First half as rows, second half as columns.
        List<Row> rows = new ArrayList<>();
        for (long id = 1; id <= n / 2; id++) rows.add(docRow(id, docs.get(id)));
        NamespaceWriteResponse w1 = ns.write(NamespaceWriteParams.builder()
                .distanceMetric(DistanceMetric.COSINE_DISTANCE).upsertRows(rows).build());
        assertThat(w1.rowsUpserted()).contains((long) rows.size());
        assertThat(w1.rowsAffected()).isEqualTo(rows.size());

        List<Long> colIds = new ArrayList<>();
        List<List<Float>> colVectors = new ArrayList<>();
        List<Long> colGroups = new ArrayList<>();
        List<String> colNames = new ArrayList<>();
        for (long id = n / 2 + 1; id <= n; id++) {
            colIds.add(id);
            colVectors.add(Reference.list(docs.get(id)));
            colGroups.add(id % 5);
            colNames.add("doc-" + id);
        }
        NamespaceWriteResponse w2 = ns.write(NamespaceWriteParams.builder()
                .distanceMetric(DistanceMetric.COSINE_DISTANCE)
                .upsertColumns(Columns.builder().put("id", colIds).put("vector", colVectors)
                        .put("group", colGroups).put("name", colNames).build())
                .build());
        assertThat(w2.rowsUpserted()).contains((long) colIds.size());

        for (int q = 0; q < 5; q++) {
            float[] query = Reference.randomVector(random, dim);
            NamespaceQueryResponse resp = ns.query(NamespaceQueryParams.builder()
                    .rankBy(RankBy.vector("vector", Reference.list(query)))
                    .topK(10)
                    .includeAttributes("name")
                    .build());
            List<Row> got = rows(resp);
            assertExactNeighbours(got, Reference.nearest(docs, query, Metric.COSINE_DISTANCE, id -> true, 10),
                    docs, query, Metric.COSINE_DISTANCE);
            for (Row r : got) {
                assertThat(r.keySet()).containsExactlyInAnyOrder("id", "$dist", "name");
                assertThat(str(r, "name")).isEqualTo("doc-" + id(r));
            }
        }

        // Filtered ANN is still exact.
        float[] query = Reference.randomVector(random, dim);
        NamespaceQueryResponse filtered = ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.vector("vector", Reference.list(query)))
                .topK(15)
                .filters(Filter.eq("group", 2))
                .consistency(NamespaceQueryParams.Consistency.builder()
                        .level(NamespaceQueryParams.Consistency.Level.STRONG).build())
                .build());
        assertExactNeighbours(rows(filtered),
                Reference.nearest(docs, query, Metric.COSINE_DISTANCE, id -> id % 5 == 2, 15),
                docs, query, Metric.COSINE_DISTANCE);
    }

    @Test
    void annAndKnnQueriesAreExactEuclideanSquared(Random random) {
        Namespace ns = tpuf.namespace("ann-euclidean");
        int n = 200, dim = 8;
        Map<Long, float[]> docs = new TreeMap<>();
        List<Row> rows = new ArrayList<>();
        for (long id = 1; id <= n; id++) {
            float[] v = Reference.randomVector(random, dim);
            docs.put(id, v);
            rows.add(docRow(id, v));
        }
        ns.write(NamespaceWriteParams.builder()
                .distanceMetric(DistanceMetric.EUCLIDEAN_SQUARED).upsertRows(rows).build());

        float[] query = Reference.randomVector(random, dim);
        NamespaceQueryResponse ann = ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.vector("vector", Reference.list(query))).topK(7).build());
        assertExactNeighbours(rows(ann), Reference.nearest(docs, query, Metric.EUCLIDEAN_SQUARED, id -> true, 7),
                docs, query, Metric.EUCLIDEAN_SQUARED);
        for (Row r : rows(ann)) assertThat(r.keySet()).containsExactlyInAnyOrder("id", "$dist");

        // kNN (exact search) has no typed builder in client 1.3.0: ["vector", "kNN", [...]].
        NamespaceQueryResponse knn = ns.query(NamespaceQueryParams.builder()
                .putAdditionalBodyProperty("rank_by", JsonValue.from(List.of("vector", "kNN", Reference.list(query))))
                .topK(12)
                .filters(Filter.or(Filter.lt("id", 50), Filter.eq("group", 3)))
                .build());
        assertExactNeighbours(rows(knn),
                Reference.nearest(docs, query, Metric.EUCLIDEAN_SQUARED, id -> id < 50 || id % 5 == 3, 12),
                docs, query, Metric.EUCLIDEAN_SQUARED);

        // A query for one of the stored vectors finds it first, at distance 0.
        NamespaceQueryResponse self = ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.vector("vector", Reference.list(docs.get(42L)))).topK(1).build());
        assertThat(rows(self)).hasSize(1);
        assertThat(id(rows(self).get(0))).isEqualTo(42L);
        assertThat(dist(rows(self).get(0))).isCloseTo(0.0, within(1e-5));
    }

    // ------------------------------------------------------------------ attribute types, schema, metadata

    @Test
    void attributeTypesRoundTripWithDeclaredSchema() {
        Namespace ns = tpuf.namespace("attr-types");
        OffsetDateTime before = OffsetDateTime.now().minusMinutes(5);
        Schema schema = Schema.builder()
                .put("title", AttributeSchemaConfig.builder().type("string").filterable(true).build())
                .put("count", AttributeSchemaConfig.builder().type("int").build())
                .put("price", AttributeSchemaConfig.builder().type("float").build())
                .put("active", AttributeSchemaConfig.builder().type("bool").build())
                .put("tags", AttributeSchemaConfig.builder().type("[]string").build())
                .put("sizes", AttributeSchemaConfig.builder().type("[]int").build())
                .put("published", AttributeSchemaConfig.builder().type("datetime").build())
                .build();
        record Doc(long id, String title, long count, double price, boolean active, List<String> tags,
                   List<Long> sizes, Instant published) {}
        List<Doc> docs = List.of(
                new Doc(1, "alpha", -5, 1.25, true, List.of("a", "b"), List.of(1L, 2L), Instant.parse("2024-01-15T10:00:00Z")),
                new Doc(2, "beta", 0, 0.0, false, List.of(), List.of(), Instant.parse("2024-06-01T00:00:00Z")),
                new Doc(3, "gamma ünïcødé", 1_000_000_000_000L, -3.5e10, true, List.of("c"), List.of(-7L, 0L, 7L),
                        Instant.parse("2025-12-31T23:59:59.123Z")));
        List<Row> rows = new ArrayList<>();
        for (Doc d : docs) {
            rows.add(Row.builder().put("id", d.id()).put("vector", List.of(d.id() * 1f, 1f, 0f, 0f))
                    .put("title", d.title()).put("count", d.count()).put("price", d.price())
                    .put("active", d.active()).put("tags", d.tags()).put("sizes", d.sizes())
                    .put("published", d.published().toString()).build());
        }
        ns.write(NamespaceWriteParams.builder().distanceMetric(DistanceMetric.COSINE_DISTANCE)
                .schema(schema).upsertRows(rows).build());

        Map<Long, Row> all = readAll(ns, List.of("title", "count", "price", "active", "tags", "sizes", "published"));
        assertThat(all.keySet()).containsExactly(1L, 2L, 3L);
        for (Doc d : docs) {
            Row r = all.get(d.id());
            assertThat(str(r, "title")).isEqualTo(d.title());
            assertThat(num(r.get("count")).longValue()).isEqualTo(d.count());
            assertThat(num(r.get("price")).doubleValue()).isCloseTo(d.price(), within(1e-9 * Math.max(1, Math.abs(d.price()))));
            assertThat(bool(r.get("active"))).contains(d.active());
            assertThat(arr(r.get("tags")).stream().map(v -> v.asStringOrThrow()).toList())
                    .isEqualTo(d.tags());
            assertThat(arr(r.get("sizes")).stream()
                    .map(v -> num(v).longValue()).toList()).isEqualTo(d.sizes());
            assertThat(Instant.parse(str(r, "published"))).isEqualTo(d.published());
        }

        // Datetime and string filters use the declared types.
        assertThat(ids(ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.attribute("id", RankByAttributeOrder.ASC)).topK(10)
                .filters(Filter.gte("published", "2024-06-01T00:00:00Z")).build())))
                .containsExactly(2L, 3L);
        assertThat(ids(ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.attribute("published", RankByAttributeOrder.DESC)).topK(10).build())))
                .containsExactly(3L, 2L, 1L);

        // Schema get reports the declared types, plus the vector.
        Schema got = ns.schema();
        schema.forEach((name, cfg) -> assertThat(got.get(name)).as("schema of %s", name).isNotNull()
                .extracting(c -> c.type().orElse(null)).isEqualTo(cfg.type().orElseThrow()));
        assertThat(got.get("vector")).as("vector in schema %s", got).isNotNull();
        assertThat(got.get("vector").type().orElse("")).startsWith("[4]");

        // Metadata.
        NamespaceMetadata meta = ns.metadata();
        assertThat(meta.approxRowCount()).isEqualTo(3);
        assertThat(meta.approxLogicalBytes()).isPositive();
        assertThat(meta.createdAt()).isAfter(before).isBefore(OffsetDateTime.now().plusMinutes(5));
        assertThat(meta.schema()._additionalProperties()).containsKeys("title", "count", "published");
    }

    // ------------------------------------------------------------------ write operations

    @Test
    void upsertColumnsPatchesDeletesAndDeleteByFilterMatchTheModel() {
        Namespace ns = tpuf.namespace("write-ops");
        Map<Long, Map<String, Object>> model = new TreeMap<>();

        // upsert_rows 1..6
        List<Row> rows = new ArrayList<>();
        String[] colors = {"red", "green", "blue"};
        for (long id = 1; id <= 6; id++) {
            String color = colors[(int) (id % 3)];
            long size = id * 10;
            rows.add(Row.builder().put("id", id).put("vector", List.of((float) id, 1f))
                    .put("color", color).put("size", size).build());
            model.put(id, attrs("color", color, "size", size));
        }
        ns.write(NamespaceWriteParams.builder().distanceMetric(DistanceMetric.EUCLIDEAN_SQUARED).upsertRows(rows).build());
        assertMatchesModel(ns, model);

        // upsert_columns 7..9
        ns.write(NamespaceWriteParams.builder().upsertColumns(Columns.builder()
                .put("id", List.of(7, 8, 9))
                .put("vector", List.of(List.of(7f, 1f), List.of(8f, 1f), List.of(9f, 1f)))
                .put("color", List.of("blue", "red", "green"))
                .put("size", List.of(70, 80, 90)).build()).build());
        model.put(7L, attrs("color", "blue", "size", 70L));
        model.put(8L, attrs("color", "red", "size", 80L));
        model.put(9L, attrs("color", "green", "size", 90L));
        assertMatchesModel(ns, model);

        // An upsert replaces the whole document: id 2 loses "size".
        NamespaceWriteResponse replaced = ns.write(NamespaceWriteParams.builder()
                .addUpsertRow(Row.builder().put("id", 2).put("vector", List.of(2f, 2f)).put("color", "violet").build())
                .build());
        assertThat(replaced.rowsUpserted()).contains(1L);
        model.put(2L, attrs("color", "violet"));
        assertMatchesModel(ns, model);

        // patch_rows changes only the given attributes.
        NamespaceWriteResponse patched = ns.write(NamespaceWriteParams.builder()
                .addPatchRow(Row.builder().put("id", 3).put("size", 99).build())
                .addPatchRow(Row.builder().put("id", 4).put("color", "teal").build())
                .build());
        assertThat(patched.rowsPatched()).contains(2L);
        model.get(3L).put("size", 99L);
        model.get(4L).put("color", "teal");
        assertMatchesModel(ns, model);

        // patch_columns
        ns.write(NamespaceWriteParams.builder().patchColumns(Columns.builder()
                .put("id", List.of(5, 6)).put("size", List.of(50, 60)).build()).build());
        model.get(5L).put("size", 50L);
        model.get(6L).put("size", 60L);
        assertMatchesModel(ns, model);

        // deletes, including an id that never existed.
        ns.write(NamespaceWriteParams.builder().deletes(List.of(1L, 8L, 12345L)).build());
        model.remove(1L);
        model.remove(8L);
        assertMatchesModel(ns, model);

        // delete_by_filter: size >= 60 (ids 3 (99), 6 (60), 7 (70), 9 (90)).
        List<Long> doomed = model.entrySet().stream()
                .filter(e -> e.getValue().get("size") instanceof Long s && s >= 60).map(Map.Entry::getKey).toList();
        assertThat(doomed).containsExactly(3L, 6L, 7L, 9L);
        NamespaceWriteResponse byFilter = ns.write(NamespaceWriteParams.builder()
                .deleteByFilter(Filter.gte("size", 60)).build());
        byFilter.rowsDeleted().ifPresent(d -> assertThat(d).isEqualTo(doomed.size()));
        doomed.forEach(model::remove);
        assertMatchesModel(ns, model);

        // One request mixing upsert, patch and delete on different ids.
        ns.write(NamespaceWriteParams.builder()
                .addUpsertRow(Row.builder().put("id", 20).put("vector", List.of(0f, 1f)).put("color", "black").put("size", 1).build())
                .addPatchRow(Row.builder().put("id", 5).put("color", "white").build())
                .deletes(List.of(2L))
                .build());
        model.put(20L, attrs("color", "black", "size", 1L));
        model.get(5L).put("color", "white");
        model.remove(2L);
        assertMatchesModel(ns, model);
        assertThat(ns.metadata().approxRowCount()).isEqualTo(model.size());
    }

    // ------------------------------------------------------------------ ordering, filters, projection

    @Test
    void orderByAttributeAscendingAndDescending(Random random) {
        Namespace ns = tpuf.namespace("order-by");
        int n = 40;
        List<Long> scores = IntStream.range(0, n).mapToObj(i -> (long) i * 3).collect(Collectors.toCollection(ArrayList::new));
        Collections.shuffle(scores, random);
        Map<Long, Long> scoreOf = new TreeMap<>();
        Map<Long, String> labelOf = new TreeMap<>();
        List<Row> rows = new ArrayList<>();
        for (long id = 1; id <= n; id++) {
            long score = scores.get((int) id - 1);
            String label = "L" + (char) ('a' + random.nextInt(26)) + String.format("%03d", id);
            scoreOf.put(id, score);
            labelOf.put(id, label);
            rows.add(Row.builder().put("id", id).put("vector", List.of(1f, (float) id))
                    .put("score", score).put("label", label).build());
        }
        ns.write(NamespaceWriteParams.builder().distanceMetric(DistanceMetric.COSINE_DISTANCE).upsertRows(rows).build());

        List<Long> byScoreAsc = scoreOf.keySet().stream().sorted((a, b) -> Long.compare(scoreOf.get(a), scoreOf.get(b))).toList();
        List<Long> byScoreDesc = new ArrayList<>(byScoreAsc);
        Collections.reverse(byScoreDesc);
        List<Long> byLabelAsc = labelOf.keySet().stream().sorted((a, b) -> labelOf.get(a).compareTo(labelOf.get(b))).toList();

        assertThat(ids(ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.attribute("score", RankByAttributeOrder.ASC)).topK(10).build())))
                .isEqualTo(byScoreAsc.subList(0, 10));
        NamespaceQueryResponse desc = ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.attribute("score", RankByAttributeOrder.DESC)).topK(10).includeAttributes("score").build());
        assertThat(ids(desc)).isEqualTo(byScoreDesc.subList(0, 10));
        for (Row r : rows(desc)) assertThat(num(r.get("score")).longValue()).isEqualTo(scoreOf.get(id(r)));
        assertThat(ids(ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.attribute("label", RankByAttributeOrder.ASC)).topK(n).build())))
                .isEqualTo(byLabelAsc);
        assertThat(ids(ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.attribute("id", RankByAttributeOrder.DESC)).topK(5).build())))
                .containsExactly(40L, 39L, 38L, 37L, 36L);
        // With a filter: score desc among even ids.
        assertThat(ids(ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.attribute("score", RankByAttributeOrder.DESC)).topK(5)
                .filters(Filter.in("id", IntStream.rangeClosed(1, n).filter(i -> i % 2 == 0).boxed().map(i -> (Object) i).toList()))
                .build())))
                .isEqualTo(byScoreDesc.stream().filter(id -> id % 2 == 0).limit(5).toList());
    }

    /** The "catalog" namespace used by the filter, aggregation and multi-query tests. */
    record Item(long id, String category, long score, double price, List<String> tags, boolean active, String name,
                float[] vector) {}

    private static Map<Long, Item> catalog(Namespace ns, Random random, int dim) {
        String[] categories = {"tech", "science", "art", "sports"};
        String[] allTags = {"red", "green", "blue", "yellow"};
        String[] prefixes = {"Item-", "item-", "ITEM-"};
        List<Long> scores = IntStream.range(0, 100).mapToObj(i -> (long) i).collect(Collectors.toCollection(ArrayList::new));
        Collections.shuffle(scores, random);
        Map<Long, Item> items = new TreeMap<>();
        List<Row> rows = new ArrayList<>();
        for (long id = 1; id <= 60; id++) {
            List<String> tags = new ArrayList<>();
            for (String t : allTags) if (random.nextInt(3) == 0) tags.add(t);
            Item it = new Item(id, categories[random.nextInt(categories.length)], scores.get((int) id),
                    Math.round(random.nextDouble() * 2000) / 100.0, tags, random.nextBoolean(),
                    prefixes[(int) (id % 3)] + id, Reference.randomVector(random, dim));
            items.put(id, it);
            rows.add(Row.builder().put("id", id).put("vector", Reference.list(it.vector()))
                    .put("category", it.category()).put("score", it.score()).put("price", it.price())
                    .put("tags", it.tags()).put("active", it.active()).put("name", it.name()).build());
        }
        ns.write(NamespaceWriteParams.builder().distanceMetric(DistanceMetric.COSINE_DISTANCE)
                .schema(Schema.builder()
                        .put("tags", AttributeSchemaConfig.builder().type("[]string").build())
                        .put("price", AttributeSchemaConfig.builder().type("float").build())
                        .build())
                .upsertRows(rows).build());
        return items;
    }

    @Test
    void filtersSelectExactlyTheMatchingDocuments(Random random) {
        Namespace ns = tpuf.namespace("filters");
        Map<Long, Item> items = catalog(ns, random, 8);

        record Case(String name, Filter filter, Predicate<Item> expected) {}
        List<Case> cases = List.of(
                new Case("Eq", Filter.eq("category", "tech"), i -> i.category().equals("tech")),
                new Case("NotEq", Filter.notEq("category", "tech"), i -> !i.category().equals("tech")),
                new Case("In", Filter.in("category", List.of("art", "sports")), i -> Set.of("art", "sports").contains(i.category())),
                new Case("NotIn", Filter.notIn("category", List.of("art", "sports")), i -> !Set.of("art", "sports").contains(i.category())),
                new Case("Lt", Filter.lt("score", 30), i -> i.score() < 30),
                new Case("Lte", Filter.lte("score", 30), i -> i.score() <= 30),
                new Case("Gt", Filter.gt("score", 70), i -> i.score() > 70),
                new Case("Gte", Filter.gte("score", 70), i -> i.score() >= 70),
                new Case("Lt float", Filter.lt("price", 10.5), i -> i.price() < 10.5),
                new Case("Eq bool", Filter.eq("active", true), Item::active),
                new Case("Eq id", Filter.eq("id", 17), i -> i.id() == 17),
                new Case("Contains", Filter.contains("tags", "red"), i -> i.tags().contains("red")),
                new Case("NotContains", Filter.notContains("tags", "red"), i -> !i.tags().contains("red")),
                new Case("ContainsAny", Filter.containsAny("tags", List.of("green", "yellow")),
                        i -> i.tags().contains("green") || i.tags().contains("yellow")),
                new Case("Glob", Filter.glob("name", "Item-1*"), i -> Reference.glob("Item-1*", false).matcher(i.name()).matches()),
                new Case("IGlob", Filter.iGlob("name", "item-1*"), i -> Reference.glob("item-1*", true).matcher(i.name()).matches()),
                new Case("And", Filter.and(Filter.eq("category", "tech"), Filter.gte("score", 40)),
                        i -> i.category().equals("tech") && i.score() >= 40),
                new Case("Or", Filter.or(Filter.eq("category", "art"), Filter.lt("score", 10)),
                        i -> i.category().equals("art") || i.score() < 10),
                new Case("Not", Filter.not(Filter.or(Filter.eq("category", "art"), Filter.lt("score", 10))),
                        i -> !(i.category().equals("art") || i.score() < 10)),
                new Case("nested", Filter.and(Filter.or(Filter.eq("category", "science"), Filter.contains("tags", "blue")),
                        Filter.not(Filter.eq("active", true)), Filter.lte("price", 15.0)),
                        i -> (i.category().equals("science") || i.tags().contains("blue")) && !i.active() && i.price() <= 15.0));

        for (Case c : cases) {
            List<Long> expected = items.values().stream().filter(c.expected()).map(Item::id).toList();
            List<Long> got = ids(ns.query(NamespaceQueryParams.builder()
                    .rankBy(RankBy.attribute("id", RankByAttributeOrder.ASC)).topK(1000).filters(c.filter()).build()));
            assertThat(got).as("filter %s: %s", c.name(), c.filter()).isEqualTo(expected);
        }

        // Filters given as SQL-like strings (a Lodestone extension; the client has no typed form).
        Map<String, Predicate<Item>> sql = new LinkedHashMap<>();
        sql.put("category = 'tech' AND score >= 40", i -> i.category().equals("tech") && i.score() >= 40);
        sql.put("(category = 'art' OR score < 10) AND active = true",
                i -> (i.category().equals("art") || i.score() < 10) && i.active());
        sql.forEach((text, predicate) -> {
            List<Long> expected = items.values().stream().filter(predicate).map(Item::id).toList();
            List<Long> got = ids(ns.query(NamespaceQueryParams.builder()
                    .rankBy(RankBy.attribute("id", RankByAttributeOrder.ASC)).topK(1000)
                    .putAdditionalBodyProperty("filters", JsonValue.from(text)).build()));
            assertThat(got).as("string filter %s", text).isEqualTo(expected);
        });
    }

    @Test
    void includeAndExcludeAttributesAndVectorEncodings(Random random) {
        Namespace ns = tpuf.namespace("projection");
        Map<Long, float[]> vectors = new TreeMap<>();
        List<Row> rows = new ArrayList<>();
        for (long id = 1; id <= 5; id++) {
            float[] v = Reference.randomVector(random, 3);
            vectors.put(id, v);
            rows.add(Row.builder().put("id", id).put("vector", Reference.list(v))
                    .put("a", "a" + id).put("b", id).put("c", id % 2 == 0).build());
        }
        ns.write(NamespaceWriteParams.builder().distanceMetric(DistanceMetric.COSINE_DISTANCE).upsertRows(rows).build());
        List<Float> q = Reference.list(vectors.get(3L));

        // Default: only id and $dist.
        for (Row r : rows(ns.query(NamespaceQueryParams.builder().rankBy(RankBy.vector("vector", q)).topK(5).build()))) {
            assertThat(r.keySet()).containsExactlyInAnyOrder("id", "$dist");
        }
        // A list of attributes.
        for (Row r : rows(ns.query(NamespaceQueryParams.builder().rankBy(RankBy.vector("vector", q)).topK(5)
                .includeAttributes("a", "c").build()))) {
            assertThat(r.keySet()).containsExactlyInAnyOrder("id", "$dist", "a", "c");
            assertThat(str(r, "a")).isEqualTo("a" + id(r));
            assertThat(bool(r.get("c"))).contains(id(r) % 2 == 0);
        }
        // All attributes.
        for (Row r : rows(ns.query(NamespaceQueryParams.builder().rankBy(RankBy.vector("vector", q)).topK(5)
                .includeAttributes(true).build()))) {
            assertThat(r.keySet()).contains("id", "$dist", "a", "b", "c");
        }
        // All but the excluded ones.
        List<Row> excluded = rows(ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.attribute("id", RankByAttributeOrder.ASC)).topK(5).excludeAttributes(List.of("b", "vector")).build()));
        assertThat(excluded).hasSize(5);
        for (Row r : excluded) {
            assertThat(r.keySet()).contains("id", "a", "c").doesNotContain("b", "vector");
        }
        // top_k bounds the result; a large top_k returns everything.
        assertThat(rows(ns.query(NamespaceQueryParams.builder().rankBy(RankBy.vector("vector", q)).topK(2).build()))).hasSize(2);
        assertThat(rows(ns.query(NamespaceQueryParams.builder().rankBy(RankBy.vector("vector", q)).topK(1000).build()))).hasSize(5);

        // Vectors come back as floats, or as base64 of little-endian float32.
        Map<Long, Row> asFloats = byId(rows(ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.attribute("id", RankByAttributeOrder.ASC)).topK(5).includeAttributes("vector")
                .vectorEncoding(VectorEncoding.FLOAT).build())));
        Map<Long, Row> asBase64 = byId(rows(ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.attribute("id", RankByAttributeOrder.ASC)).topK(5).includeAttributes("vector")
                .vectorEncoding(VectorEncoding.BASE64).build())));
        vectors.forEach((id, v) -> {
            List<JsonValue> floats = arr(asFloats.get(id).get("vector"));
            assertThat(floats).hasSize(v.length);
            for (int i = 0; i < v.length; i++) {
                assertThat(num(floats.get(i)).floatValue()).isEqualTo(v[i]);
            }
            ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(str(asBase64.get(id), "vector")))
                    .order(ByteOrder.LITTLE_ENDIAN);
            assertThat(buf.remaining()).isEqualTo(4 * v.length);
            for (float f : v) assertThat(buf.getFloat()).isEqualTo(f);
        });
    }

    // ------------------------------------------------------------------ aggregations and multi-query

    @Test
    void aggregateByCount(Random random) {
        Namespace ns = tpuf.namespace("aggregate");
        Map<Long, Item> items = catalog(ns, random, 4);
        NamespaceQueryResponse all = ns.query(NamespaceQueryParams.builder()
                .aggregateBy(Map.of("n", AggregateBy.count())).build());
        assertThat(num(all.aggregations().orElseThrow().get("n")).longValue()).isEqualTo(items.size());

        long tech = items.values().stream().filter(i -> i.category().equals("tech") && i.score() >= 20).count();
        NamespaceQueryResponse filtered = ns.query(NamespaceQueryParams.builder()
                .aggregateBy(Map.of("tech_count", AggregateBy.count()))
                .filters(Filter.and(Filter.eq("category", "tech"), Filter.gte("score", 20))).build());
        assertThat(num(filtered.aggregations().orElseThrow().get("tech_count")).longValue()).isEqualTo(tech);
    }

    @Test
    void multiQueryReturnsEachQuerysExactResultsAndFusesWithRrf(Random random) {
        Namespace ns = tpuf.namespace("multi-query");
        int dim = 8;
        Map<Long, Item> items = catalog(ns, random, dim);
        Map<Long, float[]> docs = new TreeMap<>();
        items.forEach((id, it) -> docs.put(id, it.vector()));
        float[] qv = Reference.randomVector(random, dim);
        Query annQuery = Query.builder().rankBy(RankBy.vector("vector", Reference.list(qv))).topK(10).build();
        Query scoreQuery = Query.builder().rankBy(RankBy.attribute("score", RankByAttributeOrder.DESC)).topK(10).build();
        Query filteredAnn = Query.builder().rankBy(RankBy.vector("vector", Reference.list(qv))).topK(5)
                .filters(Filter.eq("category", "art")).build();

        NamespaceMultiQueryResponse resp = ns.multiQuery(NamespaceMultiQueryParams.builder()
                .addQuery(annQuery).addQuery(scoreQuery).addQuery(filteredAnn).build());
        assertThat(resp.results()).hasSize(3);
        List<Neighbour> expectedAnn = Reference.nearest(docs, qv, Metric.COSINE_DISTANCE, id -> true, 10);
        assertExactNeighbours(resp.results().get(0).rows().orElseThrow(), expectedAnn, docs, qv, Metric.COSINE_DISTANCE);
        List<Long> expectedByScore = items.values().stream()
                .sorted((a, b) -> Long.compare(b.score(), a.score())).limit(10).map(Item::id).toList();
        assertThat(resp.results().get(1).rows().orElseThrow().stream().map(TestTurbopufferJavaClient::id).toList())
                .isEqualTo(expectedByScore);
        assertExactNeighbours(resp.results().get(2).rows().orElseThrow(),
                Reference.nearest(docs, qv, Metric.COSINE_DISTANCE, id -> items.get(id).category().equals("art"), 5),
                docs, qv, Metric.COSINE_DISTANCE);

        // Client-side reciprocal rank fusion of the first two result lists (what 1.3.0 users do).
        List<Long> annIds = resp.results().get(0).rows().orElseThrow().stream().map(TestTurbopufferJavaClient::id).toList();
        List<Long> scoreIds = resp.results().get(1).rows().orElseThrow().stream().map(TestTurbopufferJavaClient::id).toList();
        LinkedHashMap<Long, Double> fusedFromServer = Reference.rrf(List.of(annIds, scoreIds), 60);
        LinkedHashMap<Long, Double> fusedExpected = Reference.rrf(
                List.of(expectedAnn.stream().map(Neighbour::id).toList(), expectedByScore), 60);
        assertThat(fusedFromServer).isEqualTo(fusedExpected);
    }

    /**
     * Server-side RRF as the turbopuffer API spells it for newer clients: {@code rerank_by: ["RRF"]}
     * on a multi-query combines the sub-queries into a single ranked list (rank constant k = 60,
     * 1-based ranks). Client 1.3.0 has no typed field for it, so it goes in as an extra body property.
     */
    @Test
    void multiQueryWithServerSideRrf(Random random) {
        Namespace ns = tpuf.namespace("multi-query-rrf");
        int dim = 8;
        Map<Long, Item> items = catalog(ns, random, dim);
        Map<Long, float[]> docs = new TreeMap<>();
        items.forEach((id, it) -> docs.put(id, it.vector()));
        float[] qv = Reference.randomVector(random, dim);
        NamespaceMultiQueryResponse resp = ns.multiQuery(NamespaceMultiQueryParams.builder()
                .addQuery(Query.builder().rankBy(RankBy.vector("vector", Reference.list(qv))).topK(10).build())
                .addQuery(Query.builder().rankBy(RankBy.attribute("score", RankByAttributeOrder.DESC)).topK(10).build())
                .putAdditionalBodyProperty("rerank_by", JsonValue.from(List.of("RRF")))
                .build());

        List<Long> expectedAnn = Reference.nearest(docs, qv, Metric.COSINE_DISTANCE, id -> true, 10)
                .stream().map(Neighbour::id).toList();
        List<Long> expectedByScore = items.values().stream()
                .sorted((a, b) -> Long.compare(b.score(), a.score())).limit(10).map(Item::id).toList();
        LinkedHashMap<Long, Double> fused = Reference.rrf(List.of(expectedAnn, expectedByScore), 60);

        assertThat(resp.results()).as("one fused result list").hasSize(1);
        List<Long> got = resp.results().get(0).rows().orElseThrow().stream().map(TestTurbopufferJavaClient::id).toList();
        assertThat(got).isNotEmpty().doesNotHaveDuplicates();
        assertThat(fused.keySet()).containsAll(got);
        // Ordered by fused score (ties in any order), and no better-scored document left out.
        for (int i = 1; i < got.size(); i++) {
            assertThat(fused.get(got.get(i))).as("rank %d", i).isLessThanOrEqualTo(fused.get(got.get(i - 1)) + 1e-12);
        }
        double worstReturned = fused.get(got.get(got.size() - 1));
        fused.forEach((id, score) -> {
            if (score > worstReturned + 1e-12) assertThat(got).as("id %d with RRF score %f", id, score).contains(id);
        });
    }

    // ------------------------------------------------------------------ namespaces

    @Test
    void namespacesListWithPrefixAndPaging() {
        List<String> a = List.of("list-a-0", "list-a-1", "list-a-2", "list-a-3", "list-a-4");
        List<String> b = List.of("list-b-0", "list-b-1", "list-b-2");
        for (String name : concat(a, b)) {
            tpuf.namespace(name).write(NamespaceWriteParams.builder()
                    .distanceMetric(DistanceMetric.COSINE_DISTANCE)
                    .addUpsertRow(Row.builder().put("id", 1).put("vector", List.of(1f, 0f)).build()).build());
        }

        ClientNamespacesPage first = tpuf.namespaces(ClientNamespacesParams.builder().prefix("list-a-").pageSize(2).build());
        assertThat(first.items()).hasSize(2);
        assertThat(first.hasNextPage()).isTrue();
        List<String> pagedNames = new ArrayList<>();
        ClientNamespacesPage page = first;
        int pages = 0;
        while (true) {
            pages++;
            assertThat(page.items().size()).isLessThanOrEqualTo(2);
            page.items().forEach(s -> pagedNames.add(s.id()));
            if (!page.hasNextPage()) break;
            page = page.nextPage();
            assertThat(pages).as("paging terminates").isLessThan(10);
        }
        assertThat(pagedNames).isEqualTo(a);
        assertThat(names(tpuf.namespaces(ClientNamespacesParams.builder().prefix("list-a-").pageSize(2).build())))
                .isEqualTo(a);
        assertThat(names(tpuf.namespaces(ClientNamespacesParams.builder().prefix("list-b-").build()))).isEqualTo(b);
        ClientNamespacesPage none = tpuf.namespaces(ClientNamespacesParams.builder().prefix("list-zzz").build());
        assertThat(none.items()).isEmpty();
        assertThat(none.hasNextPage()).isFalse();
        List<String> everything = names(tpuf.namespaces());
        assertThat(everything).containsAll(concat(a, b));
        assertThat(everything).isSorted();
    }

    @Test
    void deletedNamespaceAnswers404AndCanBeRecreatedEmpty() {
        Namespace ns = tpuf.namespace("to-delete");
        ns.write(NamespaceWriteParams.builder().distanceMetric(DistanceMetric.COSINE_DISTANCE)
                .addUpsertRow(Row.builder().put("id", 1).put("vector", List.of(1f, 0f)).put("x", "old").build())
                .addUpsertRow(Row.builder().put("id", 2).put("vector", List.of(0f, 1f)).put("x", "old").build())
                .build());
        assertThat(readAll(ns, List.of("x")).keySet()).containsExactly(1L, 2L);

        ns.deleteAll();

        assertThatThrownBy(() -> ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.attribute("id", RankByAttributeOrder.ASC)).topK(10).build()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(ns::metadata).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(ns::deleteAll).isInstanceOf(NotFoundException.class);
        assertThat(names(tpuf.namespaces(ClientNamespacesParams.builder().prefix("to-delete").build()))).isEmpty();

        // Writing again creates a fresh namespace without the old documents or schema.
        ns.write(NamespaceWriteParams.builder().distanceMetric(DistanceMetric.EUCLIDEAN_SQUARED)
                .addUpsertRow(Row.builder().put("id", 3).put("vector", List.of(1f, 2f, 3f)).put("x", 7).build())
                .build());
        Map<Long, Row> after = readAll(ns, List.of("x"));
        assertThat(after.keySet()).containsExactly(3L);
        assertThat(num(after.get(3L).get("x")).longValue()).isEqualTo(7L);
    }

    @Test
    void queryingANamespaceThatNeverExistedIs404() {
        Namespace ns = tpuf.namespace("never-written");
        assertThatThrownBy(() -> ns.query(NamespaceQueryParams.builder()
                .rankBy(RankBy.vector("vector", List.of(1f, 0f))).topK(1).build()))
                .isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((NotFoundException) e).body().convert(Map.class))
                        .containsEntry("status", "error").containsKey("error"));
        assertThatThrownBy(ns::metadata).isInstanceOf(NotFoundException.class);
    }

    // ------------------------------------------------------------------ helpers

    private static Row docRow(long id, float[] v) {
        return Row.builder().put("id", id).put("vector", Reference.list(v))
                .put("group", id % 5).put("name", "doc-" + id).build();
    }

    private static Map<String, Object> attrs(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static List<Row> rows(NamespaceQueryResponse r) { return r.rows().orElse(List.of()); }

    static long id(Row r) { return num(r.get("id")).longValue(); }

    static double dist(Row r) { return num(r.get("$dist")).doubleValue(); }

    /** JsonValue extends the raw JsonField type, so its Optional getters need casts. */
    static Number num(JsonValue v) {
        assertThat(v).as("a number").isNotNull();
        Object n = v.asNumber().orElse(null);
        assertThat(n).as("a number: %s", v).isInstanceOf(Number.class);
        return (Number) n;
    }

    @SuppressWarnings("unchecked")
    static List<JsonValue> arr(JsonValue v) {
        assertThat(v).as("an array").isNotNull();
        Object a = v.asArray().orElse(null);
        assertThat(a).as("an array: %s", v).isInstanceOf(List.class);
        return (List<JsonValue>) a;
    }

    static java.util.Optional<Boolean> bool(JsonValue v) {
        assertThat(v).as("a boolean").isNotNull();
        return v.asBoolean().map(b -> (Boolean) b);
    }

    static String str(Row r, String key) {
        JsonValue v = r.get(key);
        assertThat(v).as("attribute %s in %s", key, r).isNotNull();
        return v.asStringOrThrow();
    }

    static List<Long> ids(NamespaceQueryResponse r) { return rows(r).stream().map(TestTurbopufferJavaClient::id).toList(); }

    static Map<Long, Row> byId(List<Row> rows) {
        Map<Long, Row> m = new TreeMap<>();
        rows.forEach(r -> m.put(id(r), r));
        return m;
    }

    static List<String> names(ClientNamespacesPage page) {
        List<String> out = new ArrayList<>();
        for (NamespaceSummary s : page.autoPager()) out.add(s.id());
        return out;
    }

    @SafeVarargs
    static <T> List<T> concat(List<T>... lists) {
        List<T> out = new ArrayList<>();
        for (List<T> l : lists) out.addAll(l);
        return out;
    }

    /** Every document, paging by id ({@code rank_by id asc}, {@code filters id Gt last}). */
    static Map<Long, Row> readAll(Namespace ns, List<String> attributes) {
        Map<Long, Row> all = new TreeMap<>();
        Long last = null;
        int page = 3;   // small pages so paging is exercised
        while (true) {
            NamespaceQueryParams.Builder q = NamespaceQueryParams.builder()
                    .rankBy(RankBy.attribute("id", RankByAttributeOrder.ASC)).topK(page)
                    .includeAttributes(attributes);
            if (last != null) q.filters(Filter.gt("id", last));
            List<Row> rows = rows(ns.query(q.build()));
            for (Row r : rows) {
                long id = id(r);
                if (last != null) assertThat(id).isGreaterThan(last);
                all.put(id, r);
                last = id;
            }
            if (rows.size() < page) return all;
        }
    }

    /** The namespace holds exactly the model's ids, with exactly the model's color and size. */
    private static void assertMatchesModel(Namespace ns, Map<Long, Map<String, Object>> model) {
        Map<Long, Row> all = readAll(ns, List.of("color", "size"));
        assertThat(all.keySet()).as("ids").containsExactlyElementsOf(model.keySet());
        model.forEach((id, attrs) -> {
            Row r = all.get(id);
            for (String key : List.of("color", "size")) {
                Object expected = attrs.get(key);
                JsonValue actual = r.get(key);
                if (expected == null) {
                    assertThat(actual == null || actual.isNull()).as("id %d %s absent, got %s", id, key, actual).isTrue();
                } else if (expected instanceof Long l) {
                    assertThat(num(actual).longValue()).as("id %d %s", id, key).isEqualTo(l);
                } else {
                    assertThat(actual.asStringOrThrow()).as("id %d %s", id, key).isEqualTo(expected);
                }
            }
        });
    }

    /**
     * Exactness up to ties: the i-th row has the i-th smallest true distance (within float32
     * tolerance), its reported {@code $dist} is its true distance, and ids are distinct.
     */
    static void assertExactNeighbours(List<Row> got, List<Neighbour> expected, Map<Long, float[]> docs,
                                      float[] query, Metric metric) {
        assertThat(got).as("number of results").hasSize(expected.size());
        assertThat(got.stream().map(TestTurbopufferJavaClient::id).toList()).doesNotHaveDuplicates();
        for (int i = 0; i < got.size(); i++) {
            Row r = got.get(i);
            long id = id(r);
            assertThat(docs).as("result %d id %d exists", i, id).containsKey(id);
            double trueDist = metric.distance(docs.get(id), query);
            assertThat(dist(r)).as("$dist of id %d at rank %d", id, i).isCloseTo(trueDist, within(metric.tolerance(trueDist)));
            assertThat(trueDist).as("rank %d: id %d, expected id %d", i, id, expected.get(i).id())
                    .isCloseTo(expected.get(i).distance(), within(metric.tolerance(expected.get(i).distance())));
        }
        // With random vectors exact ties are practically impossible: the ids must match too.
        List<Long> expectedIds = expected.stream().map(Neighbour::id).toList();
        boolean tieFree = IntStream.range(1, expected.size())
                .allMatch(i -> expected.get(i).distance() - expected.get(i - 1).distance() > 2 * metric.tolerance(expected.get(i).distance()));
        if (tieFree) {
            assertThat(got.stream().map(TestTurbopufferJavaClient::id).toList()).isEqualTo(expectedIds);
        }
    }
}
