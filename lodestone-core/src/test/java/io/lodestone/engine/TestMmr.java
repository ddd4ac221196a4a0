package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.store.MemoryObjectStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestMmr {

    @Test
    void diversifiesNearDuplicatesAndKeepsTheBestFirst() throws Exception {
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), TestIndexing.options(Path.of("target/cache-mmr"), 3_600_000, 8))) {
            Namespace ns = db.namespace("mmr");
            WriteRequest.Builder b = WriteRequest.builder().distanceMetric(io.lodestone.vector.DistanceMetric.EUCLIDEAN_SQUARED);
            // three near-duplicates close to the query, and two distinct points a little further away
            b.upsert(DocId.of(1), new float[] {1.00f, 0.00f}, Map.of());
            b.upsert(DocId.of(2), new float[] {1.01f, 0.00f}, Map.of());
            b.upsert(DocId.of(3), new float[] {1.02f, 0.00f}, Map.of());
            b.upsert(DocId.of(4), new float[] {0.00f, 1.20f}, Map.of());
            b.upsert(DocId.of(5), new float[] {-1.2f, 0.00f}, Map.of());
            ns.write(b.build());
            float[] q = {1, 0};
            List<Long> plain = ids(ns.query(new Query(new Query.RankBy.Vector(q, false), null, 3,
                    Query.AttributeSelection.NONE, Map.of(), List.of(), false)));
            assertThat(plain).containsExactly(1L, 2L, 3L);
            List<Long> diverse = ids(ns.query(new Query(new Query.RankBy.Vector(q, false), null, 3,
                    Query.AttributeSelection.NONE, Map.of(), List.of(), false, new Mmr(0.5, 5))));
            assertThat(diverse.getFirst()).isEqualTo(1L);
            assertThat(diverse).contains(4L).doesNotContain(2L, 3L);
            List<Long> relevanceOnly = ids(ns.query(new Query(new Query.RankBy.Vector(q, false), null, 3,
                    Query.AttributeSelection.NONE, Map.of(), List.of(), false, new Mmr(1.0, 5))));
            assertThat(relevanceOnly).containsExactly(1L, 2L, 3L);
            QueryResult withVectors = ns.query(new Query(new Query.RankBy.Vector(q, false), null, 2,
                    Query.AttributeSelection.NONE, Map.of(), List.of(), false, new Mmr(0.5, 5)));
            assertThat(withVectors.rows()).allMatch(r -> r.vector() == null);
        }
    }

    private static List<Long> ids(QueryResult r) {
        return r.rows().stream().map(row -> ((DocId.U64) row.id()).value()).toList();
    }
}
