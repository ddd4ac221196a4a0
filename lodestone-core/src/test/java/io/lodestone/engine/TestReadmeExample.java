package io.lodestone.engine;

import io.lodestone.doc.DocId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded example of the README, as written there, so it keeps compiling and working. */
class TestReadmeExample {

    @Test
    void readmeExampleRuns(@TempDir Path dir) throws Exception {
        QueryResult top;
        try (Lodestone db = Lodestone.open(dir.resolve("data"))) {          // or Lodestone.open(objectStore, options)
            Namespace ns = db.namespace("docs");
            ns.write(WriteRequest.builder()
                    .upsert(DocId.of(1), new float[] {0.1f, 0.2f, 0.3f}, Map.of("title", "granite", "year", 2021L))
                    .upsert(DocId.of(2), new float[] {0.3f, 0.2f, 0.1f}, Map.of("title", "lodestone", "year", 2024L))
                    .build());                                           // returns once durable
            top = ns.query(new Query(
                    new Query.RankBy.Vector(new float[] {0.3f, 0.2f, 0.1f}, false),
                    FilterSpec.sql("year >= 2020"), 10, Query.AttributeSelection.ALL, Map.of(), java.util.List.of(), false));
            top.rows().forEach(r -> System.out.println(r.id() + " " + r.distance() + " " + r.attributes()));
        }
        assertThat(top.rows()).extracting(QueryResult.Row::id).containsExactly(DocId.of(2), DocId.of(1));
        assertThat(top.rows().getFirst().attributes()).containsEntry("title", "lodestone");
    }
}
