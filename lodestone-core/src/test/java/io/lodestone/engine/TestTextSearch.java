package io.lodestone.engine;

import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.store.MemoryObjectStore;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BM25 through the engine: live-document statistics, invariance under indexing, Thai, combinations, hybrid. */
@ExtendWith(Seeded.class)
class TestTextSearch {
    private static final String[] WORDS = {"rust", "iron", "magnet", "stone", "north", "compass", "needle", "field",
            "lode", "ore", "mine", "ship", "sea", "star", "map"};

    private static AttributeSchema text() {
        return new AttributeSchema(AttributeType.STRING, false, FullTextOptions.defaults());
    }

    private static Query bm25(String attr, String q, int k, FilterSpec filter) {
        return new Query(new Query.RankBy.Text(attr, q), filter, k, Query.AttributeSelection.NONE, Map.of(), List.of(), false);
    }

    private static List<String> render(QueryResult r) {
        List<String> out = new ArrayList<>();
        for (QueryResult.Row row : r.rows()) out.add(row.id() + "=" + row.distance());
        return out;
    }

    private static String sentence(Random random) {
        StringBuilder b = new StringBuilder();
        int n = 3 + random.nextInt(12);
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        return b.toString();
    }

    @Test
    void scoresDoNotChangeWhenIndexingCatchesUp(Random random, @TempDir Path dir) throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), TestIndexing.options(dir, 3_600_000, 3))) {
            Namespace ns = db.namespace("bm25");
            Map<Long, String> model = new HashMap<>();
            for (int round = 0; round < 8; round++) {
                WriteRequest.Builder b = WriteRequest.builder();
                if (round == 0) b.schema("body", text());
                for (int i = 0; i < 60; i++) {
                    long id = random.nextInt(120);
                    if (random.nextInt(5) == 0) {
                        b.delete(DocId.of(id));
                        model.remove(id);
                    } else {
                        String s = sentence(random);
                        b.upsert(DocId.of(id), null, Map.of("body", s, "n", id));
                        model.put(id, s);
                    }
                }
                ns.write(b.build());
                String q = WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)];
                List<String> before = render(ns.query(bm25("body", q, 10, null)));
                List<String> filteredBefore = render(ns.query(bm25("body", q, 5, FilterSpec.sql("n >= 60"))));
                ns.flushIndex();
                assertThat(render(ns.query(bm25("body", q, 10, null)))).as("round %d, query '%s'", round, q).isEqualTo(before);
                assertThat(render(ns.query(bm25("body", q, 5, FilterSpec.sql("n >= 60"))))).isEqualTo(filteredBefore);
                assertThat(before).hasSizeLessThanOrEqualTo(10);
                assertThat(ns.query(bm25("body", q, 10, null)).rows()).allMatch(r -> model.containsKey(((DocId.U64) r.id()).value()));
            }
        }
    }

    /** Two to five of the first eight words: short docs of few lengths, so that many docs tie. */
    private static String shortSentence(Random random) {
        StringBuilder b = new StringBuilder();
        int n = 2 + random.nextInt(4);
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(8)]);
        return b.toString();
    }

    @Test
    void topKOverManySegmentsEqualsExhaustiveRankingAndOneSegment(Random random, @TempDir Path dir) throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), TestIndexing.options(dir, 3_600_000, 16))) {
            Namespace split = db.namespace("split");
            Namespace merged = db.namespace("merged");
            WriteRequest.Builder all = WriteRequest.builder().schema("body", text());
            long id = 0;
            for (int part = 0; part < 9; part++) {
                WriteRequest.Builder b = WriteRequest.builder();
                if (part == 0) b.schema("body", text());
                for (int i = 0; i < 150; i++, id++) {
                    String s = shortSentence(random);
                    b.upsert(DocId.of(id), null, Map.of("body", s));
                    all.upsert(DocId.of(id), null, Map.of("body", s));
                }
                split.write(b.build());
                if (part < 8) split.flushIndex(); // 8 segments, then a tail
            }
            merged.write(all.build());
            merged.flushIndex();
            assertThat(split.indexState().segments()).isEqualTo(8);
            assertThat(merged.indexState().segments()).isEqualTo(1);
            for (int round = 0; round < 400; round++) {
                String q = shortSentence(random);
                int k = 1 + random.nextInt(12);
                List<String> top = render(split.query(bm25("body", q, k, null)));
                // Sum of the one clause scores every match exhaustively: the reference, ties by id included.
                Query exhaustive = new Query(new Query.RankBy.Sum(List.of(new Query.RankBy.Text("body", q))), null, k,
                        Query.AttributeSelection.NONE, Map.of(), List.of(), false);
                assertThat(top).as("query '%s', k %d", q, k).isEqualTo(render(split.query(exhaustive)));
                assertThat(top).as("query '%s', k %d, one segment", q, k).isEqualTo(render(merged.query(bm25("body", q, k, null))));
            }
        }
    }

    @Test
    void thaiSentencesAreSegmentedAndFound(@TempDir Path dir) throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), TestIndexing.options(dir, 3_600_000, 8))) {
            Namespace ns = db.namespace("thai");
            FullTextOptions thai = new FullTextOptions("thai", false, false, false, false, 1.2, 0.75, "word_v2");
            ns.write(WriteRequest.builder()
                    .schema("body", new AttributeSchema(AttributeType.STRING, false, thai))
                    .upsert(DocId.of(1), null, Map.of("body", "กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย"))
                    .upsert(DocId.of(2), null, Map.of("body", "ฉันชอบกินข้าวผัดกับไข่ดาวทุกวัน"))
                    .upsert(DocId.of(3), null, Map.of("body", "นักท่องเที่ยวจำนวนมากเดินทางมาประเทศไทยในฤดูหนาว"))
                    .upsert(DocId.of(4), null, Map.of("body", "Bangkok is the capital of Thailand และมีรถติดมาก"))
                    .build());
            ns.flushIndex();
            assertThat(ids(ns.query(bm25("body", "ประเทศไทย", 10, null)))).containsExactlyInAnyOrder(1L, 3L);
            assertThat(ids(ns.query(bm25("body", "ข้าวผัด", 10, null)))).containsExactly(2L);
            assertThat(ids(ns.query(bm25("body", "รถติด", 10, null)))).containsExactly(4L);
            assertThat(ids(ns.query(bm25("body", "capital", 10, null)))).containsExactly(4L);
            QueryResult tokens = ns.query(new Query(null, FilterSpec.sql("body CONTAINS ALL TOKENS 'เมืองหลวง ประเทศไทย'"), 10,
                    Query.AttributeSelection.NONE, Map.of(), List.of(), false));
            assertThat(ids(tokens)).containsExactly(1L);
        }
    }

    @Test
    void sumMaxAndProductCombineFields(@TempDir Path dir) throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), TestIndexing.options(dir, 3_600_000, 8))) {
            Namespace ns = db.namespace("fields");
            ns.write(WriteRequest.builder().schema("title", text()).schema("body", text())
                    .upsert(DocId.of(1), null, Map.of("title", "magnet stone", "body", "an iron ore"))
                    .upsert(DocId.of(2), null, Map.of("title", "iron ship", "body", "magnet magnet magnet"))
                    .upsert(DocId.of(3), null, Map.of("title", "sea map", "body", "stars"))
                    .build());
            Map<DocId, Double> title = scores(ns.query(bm25("title", "magnet", 10, null)));
            Map<DocId, Double> body = scores(ns.query(bm25("body", "magnet", 10, null)));
            Query.RankBy t = new Query.RankBy.Text("title", "magnet");
            Query.RankBy bb = new Query.RankBy.Text("body", "magnet");
            Map<DocId, Double> sum = scores(ns.query(new Query(new Query.RankBy.Sum(List.of(t, bb)), null, 10,
                    Query.AttributeSelection.NONE, Map.of(), List.of(), false)));
            assertThat(sum.keySet()).containsExactlyInAnyOrder(DocId.of(1), DocId.of(2));
            assertThat(sum.get(DocId.of(1))).isCloseTo(title.get(DocId.of(1)), org.assertj.core.data.Offset.offset(1e-5));
            assertThat(sum.get(DocId.of(2))).isCloseTo(body.get(DocId.of(2)), org.assertj.core.data.Offset.offset(1e-5));
            Map<DocId, Double> product = scores(ns.query(new Query(new Query.RankBy.Product(3, t), null, 10,
                    Query.AttributeSelection.NONE, Map.of(), List.of(), false)));
            assertThat(product.get(DocId.of(1))).isCloseTo(3 * title.get(DocId.of(1)), org.assertj.core.data.Offset.offset(1e-4));
            Map<DocId, Double> max = scores(ns.query(new Query(new Query.RankBy.Max(List.of(t, bb)), null, 10,
                    Query.AttributeSelection.NONE, Map.of(), List.of(), false)));
            assertThat(max.get(DocId.of(2))).isCloseTo(body.get(DocId.of(2)), org.assertj.core.data.Offset.offset(1e-5));
            assertThatThrownBy(() -> ns.query(bm25("n", "x", 1, null))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("not full-text indexed");
        }
    }

    @Test
    void hybridFusesVectorAndText(@TempDir Path dir) throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), TestIndexing.options(dir, 3_600_000, 8))) {
            Namespace ns = db.namespace("hybrid");
            ns.write(WriteRequest.builder().schema("body", text())
                    .upsert(DocId.of(1), new float[] {1, 0}, Map.of("body", "north star"))       // vector match only
                    .upsert(DocId.of(2), new float[] {0, 1}, Map.of("body", "magnet lode stone")) // text match only
                    .upsert(DocId.of(3), new float[] {0.9f, 0.1f}, Map.of("body", "magnet"))      // both
                    .build());
            Query.RankBy.Vector v = new Query.RankBy.Vector(new float[] {1, 0}, false);
            Query.RankBy tx = new Query.RankBy.Text("body", "magnet");
            for (boolean weighted : List.of(false, true)) {
                QueryResult r = ns.query(new Query(new Query.RankBy.Hybrid(v, tx, weighted, 0.5, 60, 10), null, 3,
                        Query.AttributeSelection.NONE, Map.of(), List.of(), false));
                assertThat(ids(r).getFirst()).as("weighted=%s", weighted).isEqualTo(3L);
                assertThat(ids(r)).containsExactlyInAnyOrder(1L, 2L, 3L);
            }
            QueryResult vectorHeavy = ns.query(new Query(new Query.RankBy.Hybrid(v, tx, true, 1.0, 60, 10), null, 1,
                    Query.AttributeSelection.NONE, Map.of(), List.of(), false));
            assertThat(ids(vectorHeavy)).containsExactly(1L);
        }
    }

    /**
     * Rows of equal score come in id order whatever segments hold them: a later segment with lower ids (the sources'
     * id ranges apart, out of row order), and two segments whose ids interleave.
     */
    @Test
    void tiesComeInIdOrderAcrossSegments(@TempDir Path dir) throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), TestIndexing.options(dir, 3_600_000, 8))) {
            for (String layout : List.of("apart", "interleaved")) {
                Namespace ns = db.namespace("ties-" + layout);
                ns.write(WriteRequest.builder().schema("body", text()).build());
                for (int part = 0; part < 2; part++) {
                    WriteRequest.Builder b = WriteRequest.builder();
                    for (int i = 0; i < 40; i++) {
                        long id = layout.equals("apart") ? (1 - part) * 40 + i : 2L * i + part;
                        b.upsert(DocId.of(id), null, Map.of("body", "compass needle"));
                    }
                    ns.write(b.build());
                    ns.flushIndex();
                }
                assertThat(ns.state().manifest().segments()).hasSize(2);
                List<Long> expected = java.util.stream.LongStream.range(0, 15).boxed().toList();
                assertThat(ids(ns.query(bm25("body", "compass", 15, null)))).as(layout).isEqualTo(expected);
            }
        }
    }

    private static Map<DocId, Double> scores(QueryResult r) {
        Map<DocId, Double> m = new HashMap<>();
        r.rows().forEach(row -> m.put(row.id(), row.distance()));
        return m;
    }

    private static List<Long> ids(QueryResult r) {
        return r.rows().stream().map(row -> ((DocId.U64) row.id()).value()).toList();
    }
}
