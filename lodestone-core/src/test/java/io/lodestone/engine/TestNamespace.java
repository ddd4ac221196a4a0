package io.lodestone.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.store.LocalObjectStore;
import io.lodestone.store.MemoryObjectStore;
import io.lodestone.store.ObjectStore;
import io.lodestone.testing.Seeded;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(Seeded.class)
class TestNamespace {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Query all(int topK) {
        return new Query(new Query.RankBy.Attribute("id", false), null, topK, Query.AttributeSelection.ALL, Map.of(), List.of(), false);
    }

    private static List<Long> ids(QueryResult r) {
        return r.rows().stream().map(row -> ((DocId.U64) row.id()).value()).toList();
    }

    @Test
    void writesAreVisibleAndSurviveReopen(@TempDir Path dir) throws Exception {
        try (Lodestone db = Lodestone.open(dir)) {
            Namespace ns = db.namespace("docs");
            assertThat(ns.exists()).isFalse();
            WriteResult r = ns.write(WriteRequest.builder()
                    .upsert(DocId.of(1), new float[] {1, 0}, Map.of("title", "one", "n", 1L))
                    .upsert(DocId.of(2), new float[] {0, 1}, Map.of("title", "two", "n", 2L))
                    .upsert(DocId.of(3), new float[] {1, 1}, Map.of("title", "three", "n", 3L))
                    .build());
            assertThat(r.rowsUpserted()).isEqualTo(3);
            ns.write(WriteRequest.builder().patch(DocId.of(2), Map.of("title", "TWO")).delete(DocId.of(3)).build());
        }
        try (Lodestone db = Lodestone.open(dir)) {
            Namespace ns = db.namespace("docs");
            QueryResult r = ns.query(all(10));
            assertThat(ids(r)).containsExactly(1L, 2L);
            assertThat(r.rows().get(1).attributes()).containsEntry("title", "TWO").containsEntry("n", 2L);
            assertThat(r.rows().get(1).vector()).containsExactly(0f, 1f);
            NamespaceMetadata m = ns.metadata();
            assertThat(m.approxRowCount()).isEqualTo(2);
            assertThat(m.dimensions()).isEqualTo(2);
            assertThat(m.metric()).isEqualTo(DistanceMetric.COSINE_DISTANCE);
            assertThat(m.schema().get("n").type()).isEqualTo(AttributeType.INT);
        }
    }

    @Test
    void exactNearestNeighboursMatchBruteForce(Random random) {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), EngineOptions.defaults())) {
            for (DistanceMetric metric : List.of(DistanceMetric.COSINE_DISTANCE, DistanceMetric.EUCLIDEAN_SQUARED, DistanceMetric.DOT_PRODUCT)) {
                Namespace ns = db.namespace("m-" + metric.wireName());
                int n = 5000 + random.nextInt(3000), dim = 8 + random.nextInt(40);
                float[][] vs = new float[n][dim];
                WriteRequest.Builder b = WriteRequest.builder().distanceMetric(metric);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < dim; j++) vs[i][j] = (float) random.nextGaussian();
                    b.upsert(DocId.of(i), vs[i], Map.of("even", i % 2 == 0));
                }
                ns.write(b.build());
                float[] q = new float[dim];
                for (int j = 0; j < dim; j++) q[j] = (float) random.nextGaussian();
                int k = 1 + random.nextInt(20);
                FilterSpec even = FilterSpec.sql("even = true");
                QueryResult r = ns.query(new Query(new Query.RankBy.Vector(q, false), even, k,
                        Query.AttributeSelection.NONE, Map.of(), List.of(), false));
                List<Long> expected = IntStream.range(0, n).filter(i -> i % 2 == 0).boxed()
                        .sorted(Comparator.comparingDouble((Integer i) -> reference(metric, q, vs[i])).thenComparing(i -> i))
                        .limit(k).map(Integer::longValue).toList();
                // Compare distances, not ids: float rounding may order near-ties differently than the double reference.
                List<Double> got = r.rows().stream().map(row -> reference(metric, q, vs[(int) ((DocId.U64) row.id()).value()])).toList();
                List<Double> want = expected.stream().map(i -> reference(metric, q, vs[i.intValue()])).toList();
                assertThat(got).as("metric %s", metric).hasSize(k);
                for (int i = 0; i < k; i++) {
                    assertThat(got.get(i)).as("metric %s, rank %d", metric, i).isCloseTo(want.get(i), org.assertj.core.data.Offset.offset(1e-4));
                }
                assertThat(r.rows()).allMatch(row -> ((DocId.U64) row.id()).value() % 2 == 0);
                assertThat(r.rows().getFirst().distance()).isCloseTo(reference(metric, q, vs[expected.getFirst().intValue()]),
                        org.assertj.core.data.Offset.offset(1e-3));
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static double reference(DistanceMetric m, float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0, l2 = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
            l2 += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
        }
        return switch (m) {
            case COSINE_DISTANCE -> 1 - dot / Math.sqrt(na * nb);
            case EUCLIDEAN_SQUARED -> l2;
            case DOT_PRODUCT -> -dot;
            default -> throw new IllegalArgumentException();
        };
    }

    @Test
    void aBadRowRefusesTheWholeRequest() {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), EngineOptions.defaults())) {
            Namespace ns = db.namespace("atomic");
            ns.write(WriteRequest.builder().upsert(DocId.of(1), new float[] {1, 2, 3}, Map.of("price", 1.5)).build());
            assertThatThrownBy(() -> ns.write(WriteRequest.builder()
                    .upsert(DocId.of(2), new float[] {1, 2, 3}, Map.of())
                    .upsert(DocId.of(3), new float[] {1, 2}, Map.of()).build()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("document 3: vector has 2 dimensions; namespace 'atomic' has 3");
            assertThatThrownBy(() -> ns.write(WriteRequest.builder()
                    .upsert(DocId.of(4), new float[] {1, 2, 3}, Map.of("price", "cheap")).build()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("document 4: attribute 'price' has type float in the schema; got \"cheap\"");
            assertThatThrownBy(() -> ns.write(WriteRequest.builder()
                    .upsert(DocId.of(5), new float[] {Float.NaN, 2, 3}, Map.of()).build()))
                    .hasMessageContaining("components must be finite");
            assertThat(ids(ns.query(all(10)))).containsExactly(1L);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void deleteAndPatchByFilterApplyAtTheirPlaceInTheLog() throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), EngineOptions.defaults())) {
            Namespace ns = db.namespace("byfilter");
            WriteRequest.Builder b = WriteRequest.builder();
            for (int i = 0; i < 10; i++) b.upsert(DocId.of(i), null, Map.of("group", i < 5 ? "a" : "b", "i", (long) i));
            ns.write(b.build());
            WriteResult d = ns.write(WriteRequest.builder()
                    .deleteByFilter(FilterSpec.json(JSON.readTree("[\"group\", \"Eq\", \"a\"]")))
                    .upsert(DocId.of(0), null, Map.of("group", "a", "i", 100L)) // applied after the delete
                    .build());
            assertThat(d.rowsDeleted()).isEqualTo(5);
            WriteResult p = ns.write(WriteRequest.builder()
                    .patchByFilter(FilterSpec.sql("i >= 8"), Map.of("group", "c")).build());
            assertThat(p.rowsPatched()).as("8, 9 and the re-upserted 0 (i = 100)").isEqualTo(3);
            QueryResult r = ns.query(all(100));
            assertThat(ids(r)).containsExactly(0L, 5L, 6L, 7L, 8L, 9L);
            Map<Long, Object> groups = new HashMap<>();
            r.rows().forEach(row -> groups.put(((DocId.U64) row.id()).value(), row.attributes().get("group")));
            assertThat(groups).containsEntry(0L, "c").containsEntry(7L, "b").containsEntry(8L, "c").containsEntry(9L, "c");
        }
    }

    @Test
    void concurrentWritersShareGroupCommitsAndAllLand() throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), new EngineOptions("t/", 5, 1 << 20, 16, EngineOptions.Indexing.defaults(), java.nio.file.Path.of("target/cache-group")))) {
            Namespace ns = db.namespace("group");
            List<CompletableFuture<WriteResult>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(ns.writeAsync(WriteRequest.builder().upsert(DocId.of(i), new float[] {i, 1}, Map.of()).build()));
            }
            long maxSeq = 0;
            for (CompletableFuture<WriteResult> f : futures) maxSeq = Math.max(maxSeq, f.get().seq());
            assertThat(maxSeq).as("200 writes queued together need far fewer than 200 log objects").isLessThan(100);
            assertThat(ns.metadata().approxRowCount()).isEqualTo(200);
        }
    }

    @Test
    void aLoneWriterDoesNotWaitForTheGroupCommitWindow() throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), new EngineOptions("t/", 10_000, 1 << 20, 16, EngineOptions.Indexing.defaults(), java.nio.file.Path.of("target/cache-lone")))) {
            Namespace ns = db.namespace("lone");
            for (int i = 0; i < 3; i++) {
                // With the 10 s window applied, each write would wait 10 s for company that never comes.
                ns.writeAsync(WriteRequest.builder().upsert(DocId.of(i), new float[] {i, 1}, Map.of()).build()).get(5, TimeUnit.SECONDS);
            }
            assertThat(ns.metadata().approxRowCount()).isEqualTo(3);
        }
    }

    @Test
    void twoDatabasesOnOneStoreSeeEachOthersWrites(Random random) throws Exception {
        ObjectStore store = new MemoryObjectStore();
        try (Lodestone a = Lodestone.open(store, EngineOptions.defaults());
             Lodestone b = Lodestone.open(store, EngineOptions.defaults())) {
            Map<Long, Long> expected = new HashMap<>();
            for (int i = 0; i < 50; i++) {
                Lodestone db = random.nextBoolean() ? a : b;
                long id = random.nextInt(20);
                long value = i;
                db.namespace("shared").write(WriteRequest.builder().upsert(DocId.of(id), null, Map.of("v", value)).build());
                expected.put(id, value);
            }
            for (Lodestone db : List.of(a, b)) {
                Map<Long, Long> seen = new HashMap<>();
                db.namespace("shared").query(all(100)).rows()
                        .forEach(r -> seen.put(((DocId.U64) r.id()).value(), (Long) r.attributes().get("v")));
                assertThat(seen).isEqualTo(expected);
            }
        }
    }

    /**
     * Two servers over one directory (two stores on one root): each query sees every write the other
     * acknowledged before it, also when the reader skips its probe because the shared change count did not move.
     */
    @Test
    void twoDatabasesOnOneDirectorySeeEachOthersWritesAtOnce(@TempDir Path dir, Random random) throws Exception {
        try (LocalObjectStore storeA = new LocalObjectStore(dir); LocalObjectStore storeB = new LocalObjectStore(dir);
             Lodestone a = Lodestone.open(storeA, EngineOptions.defaults());
             Lodestone b = Lodestone.open(storeB, EngineOptions.defaults())) {
            Map<Long, Long> expected = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                Lodestone writer = random.nextBoolean() ? a : b;
                long id = random.nextInt(10);
                writer.namespace("shared").write(WriteRequest.builder().upsert(DocId.of(id), null, Map.of("v", (long) i)).build());
                expected.put(id, (long) i);
                for (int repeat = 0; repeat < 2; repeat++) { // the second query may take the unchanged-count path
                    for (Lodestone db : List.of(a, b)) {
                        Map<Long, Long> seen = new HashMap<>();
                        db.namespace("shared").query(all(100)).rows()
                                .forEach(r -> seen.put(((DocId.U64) r.id()).value(), (Long) r.attributes().get("v")));
                        assertThat(seen).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void schemaConvertsDeclaredTypes() throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), EngineOptions.defaults())) {
            Namespace ns = db.namespace("typed");
            ns.write(WriteRequest.builder()
                    .schema("when", AttributeSchema.of(AttributeType.DATETIME))
                    .schema("ref", AttributeSchema.of(AttributeType.UUID))
                    .upsert(DocId.of("a"), null, Map.of("when", "2024-05-01T10:00:00Z", "ref", "123e4567-e89b-12d3-a456-426614174000"))
                    .build());
            QueryResult r = ns.query(new Query(null, FilterSpec.sql("when > '2024-01-01T00:00:00Z'"), 10,
                    Query.AttributeSelection.ALL, Map.of(), List.of(), false));
            assertThat(r.rows()).hasSize(1);
            assertThat(r.rows().getFirst().attributes().get("when")).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
            assertThatThrownBy(() -> ns.write(WriteRequest.builder().schema("when", AttributeSchema.of(AttributeType.STRING)).build()))
                    .hasMessage("attribute 'when' has type datetime; its type cannot be changed to string");
        }
    }

    @Test
    void deletedNamespaceIsGoneAndCanBeRecreated() throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), EngineOptions.defaults())) {
            Namespace ns = db.namespace("gone");
            ns.write(WriteRequest.builder().upsert(DocId.of(1), new float[] {1}, Map.of()).build());
            assertThat(db.listNamespaces(null, null, 10)).containsExactly("gone");
            ns.delete();
            assertThat(db.listNamespaces(null, null, 10)).isEmpty();
            assertThatThrownBy(() -> ns.query(all(1))).isInstanceOf(NamespaceNotFoundException.class);
            ns.write(WriteRequest.builder().upsert(DocId.of(2), new float[] {1, 2}, Map.of()).build());
            assertThat(ids(ns.query(all(10)))).containsExactly(2L);
        }
    }

    @Test
    void namesThatDoNotExistHoldNoHandles() throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), EngineOptions.defaults())) {
            db.namespace("real").write(WriteRequest.builder().upsert(DocId.of(1), new float[] {1}, Map.of()).build());
            for (int i = 0; i < 1_000; i++) {
                Namespace missing = db.namespace("missing-" + i);
                assertThatThrownBy(() -> missing.query(all(1))).isInstanceOf(NamespaceNotFoundException.class);
                assertThatThrownBy(missing::metadata).isInstanceOf(NamespaceNotFoundException.class);
            }
            assertThat(db.loadedNamespaces()).isEqualTo(1);
            // A handle dropped as missing still works: a write through it creates the namespace.
            Namespace late = db.namespace("late");
            assertThat(late.exists()).isFalse();
            assertThatThrownBy(() -> late.query(all(1))).isInstanceOf(NamespaceNotFoundException.class);
            late.write(WriteRequest.builder().upsert(DocId.of(7), new float[] {1}, Map.of()).build());
            assertThat(ids(late.query(all(10)))).containsExactly(7L);
            assertThat(ids(db.namespace("late").query(all(10)))).containsExactly(7L);
        }
    }

    @Test
    void stringsThatAreNotValidUnicodeAreRefusedNeverAltered() throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), EngineOptions.defaults())) {
            Namespace ns = db.namespace("unicode");
            ns.write(WriteRequest.builder().upsert(DocId.of("ok😀"), null, Map.of("t", "fine")).build());
            String lone = "a\uD800b";
            assertThatThrownBy(() -> ns.write(WriteRequest.builder().upsert(DocId.of(lone), null, Map.of()).build()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("document id \"a\\uD800b\" is not valid Unicode: unpaired UTF-16 surrogate \\uD800 "
                            + "at index 1; strings are stored as UTF-8 and never altered");
            assertThatThrownBy(() -> ns.write(WriteRequest.builder().delete(DocId.of("x\uDC00")).build()))
                    .hasMessageStartingWith("document id \"x\\uDC00\" is not valid Unicode");
            assertThatThrownBy(() -> ns.write(WriteRequest.builder()
                    .upsert(DocId.of(2), null, Map.of("t", lone)).build()))
                    .hasMessageStartingWith("document 2: attribute 't' value \"a\\uD800b\" is not valid Unicode");
            assertThatThrownBy(() -> ns.write(WriteRequest.builder()
                    .upsert(DocId.of(3), null, Map.of("tags", List.of("ok", "\uDBFF"))).build()))
                    .hasMessageStartingWith("document 3: attribute 'tags' element \"\\uDBFF\" is not valid Unicode");
            assertThatThrownBy(() -> ns.write(WriteRequest.builder().patch(DocId.of("ok😀"), Map.of(lone, 1L)).build()))
                    .hasMessageStartingWith("attribute name \"a\\uD800b\" is not valid Unicode");
            assertThatThrownBy(() -> ns.query(new Query(null, FilterSpec.json(JSON.readTree("[\"t\",\"Eq\",\"\\ud800\"]")),
                    10, Query.AttributeSelection.ALL, Map.of(), List.of(), false)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("string \"\\uD800\" is not valid Unicode");
            QueryResult r = ns.query(all(10));
            assertThat(r.rows()).hasSize(1);
            assertThat(r.rows().getFirst().id()).isEqualTo(DocId.of("ok😀"));
            assertThat(ns.metadata().schema().attributes()).containsOnlyKeys("t");
        }
    }

    @Test
    void attributeNamesAreLimitedInCountAndBytes() throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), EngineOptions.defaults())) {
            Namespace ns = db.namespace("wide");
            String longest = "é".repeat(64); // 128 UTF-8 bytes
            ns.write(WriteRequest.builder().upsert(DocId.of(1), null, names(255, "a")).build());
            ns.write(WriteRequest.builder().patch(DocId.of(1), Map.of(longest, 1L)).build());
            assertThat(ns.metadata().schema().attributes()).hasSize(256);

            assertThatThrownBy(() -> ns.write(WriteRequest.builder().patch(DocId.of(1), Map.of(longest + "x", 1L)).build()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageEndingWith("...' is 129 UTF-8 bytes; the maximum is 128");
            assertThatThrownBy(() -> ns.write(WriteRequest.builder()
                    .upsert(DocId.of(2), null, Map.of("a0", 5L, "one_more", 1L)).build()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("too many attributes: namespace 'wide' has 256 attribute names and this write adds at "
                            + "least 1 (first refused: 'one_more'); the maximum is 256 attribute names per namespace");
            assertThatThrownBy(() -> ns.write(WriteRequest.builder()
                    .schema("declared", AttributeSchema.of(AttributeType.STRING)).build()))
                    .hasMessageStartingWith("too many attributes");
            assertThat(ns.metadata().schema().attributes()).hasSize(256).doesNotContainKeys("one_more", "declared");
            assertThat(ids(ns.query(all(10)))).containsExactly(1L);
        }
    }

    /** Schema work is linear: a row with 20,000 new names is refused at the 257th (generous liveness bound). */
    @Test
    void aRowWithTwentyThousandNamesIsRefusedPromptly() throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), EngineOptions.defaults())) {
            Namespace ns = db.namespace("huge");
            Map<String, Object> row = names(20_000, "attribute_");
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () ->
                    assertThatThrownBy(() -> ns.write(WriteRequest.builder().upsert(DocId.of(1), null, row).build()))
                            .hasMessageContaining("the maximum is 256 attribute names per namespace"));
            assertThat(ns.exists()).isFalse();
        }
    }

    /** Cosine distance is undefined for a zero vector: refused in queries and in writes, with a clear message. */
    @Test
    void zeroVectorsAreRefusedOnCosineNamespaces() throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), EngineOptions.defaults())) {
            Namespace cosine = db.namespace("cosine");
            cosine.write(WriteRequest.builder().upsert(DocId.of(1), new float[] {1, 2}, Map.of()).build());
            assertThatThrownBy(() -> cosine.query(new Query(new Query.RankBy.Vector(new float[] {0, 0}, true),
                    null, 10, Query.AttributeSelection.ALL, Map.of(), List.of(), false)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("query vector is all zeros; cosine_distance is undefined for a zero vector");
            assertThatThrownBy(() -> cosine.write(WriteRequest.builder().upsert(DocId.of(2), new float[] {0, -0f}, Map.of()).build()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("document 2: vector is all zeros; cosine_distance is undefined");
            assertThatThrownBy(() -> db.namespace("fresh").write(WriteRequest.builder()
                    .upsert(DocId.of(1), new float[] {0, 0}, Map.of()).build()))
                    .hasMessageContaining("vector is all zeros"); // cosine is the default metric
            assertThat(db.namespace("fresh").exists()).isFalse();

            Namespace euclid = db.namespace("euclid");
            euclid.write(WriteRequest.builder().distanceMetric(DistanceMetric.EUCLIDEAN_SQUARED)
                    .upsert(DocId.of(1), new float[] {0, 0}, Map.of()).upsert(DocId.of(2), new float[] {3, 4}, Map.of()).build());
            QueryResult r = euclid.query(new Query(new Query.RankBy.Vector(new float[] {0, 0}, true),
                    null, 10, Query.AttributeSelection.ALL, Map.of(), List.of(), false));
            assertThat(ids(r)).containsExactly(1L, 2L);
        }
    }

    private static Map<String, Object> names(int n, String prefix) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) m.put(prefix + i, (long) i);
        return m;
    }

    /**
     * The tail keeps its log entries encoded, and a rebase onto a manifest that covers none of them decodes and
     * applies them again: the same rows, vectors and attributes, in the same order, even when the caller has
     * since reused the arrays it wrote.
     */
    @Test
    void aRebaseReappliesTheTailFromItsEncodedEntries(Random random) {
        NamespaceState state = new NamespaceState(io.lodestone.segment.Manifest.initial(1, io.lodestone.doc.IndexConfig.defaults()), List.of());
        float[] reused = new float[4];
        for (long seq = 1; seq <= 3; seq++) {
            WriteRequest.Builder b = WriteRequest.builder();
            for (int i = 0; i < 20; i++) {
                for (int j = 0; j < reused.length; j++) reused[j] = random.nextFloat() - 0.5f;
                b.upsert(DocId.of(random.nextInt(40)), reused.clone(), Map.of("n", (long) i, "s", "r" + seq));
            }
            if (seq == 3) b.delete(DocId.of(random.nextInt(40))).patch(DocId.of(random.nextInt(40)), Map.of("n", -1L));
            BatchValidator.Result r = BatchValidator.validate("t", 16, state.view(), b.build());
            io.lodestone.wal.WalEntry entry = new io.lodestone.wal.WalEntry(seq, 1000 + seq, List.of(r.batch()));
            state.apply(entry, io.lodestone.wal.WalCodec.encode(entry));
        }
        List<String> before = tailRows(state.snapshot().table());
        long tailBytes = state.unindexedBytes();
        io.lodestone.segment.Manifest m = state.manifest();
        state.rebase(new io.lodestone.segment.Manifest(1, 0, m.createdAtMillis(), m.updatedAtMillis(), 2, m.metric(), m.metricSet(),
                m.dims(), m.schema(), m.index(), List.of()), List.of());
        assertThat(state.manifest().version()).isEqualTo(1);
        assertThat(tailRows(state.snapshot().table())).isEqualTo(before).hasSizeGreaterThan(10);
        assertThat(state.unindexedBytes()).isEqualTo(tailBytes);
        assertThat(state.oldestUnindexedMillis()).isEqualTo(1001);
    }

    private static List<String> tailRows(DocTable t) {
        List<String> out = new ArrayList<>();
        t.forEachLive(row -> out.add(t.id(row) + " " + java.util.Arrays.toString(t.vector(row)) + " " + t.attributes(row)));
        return out;
    }
}
