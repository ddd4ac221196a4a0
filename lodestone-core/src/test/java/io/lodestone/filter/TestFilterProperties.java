package io.lodestone.filter;

import io.lodestone.doc.Document;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.lodestone.filter.RandomFilters.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

/** Random filter trees, written as JSON and as SQL, parse to the same filter and agree on random documents. */
@ExtendWith(Seeded.class)
class TestFilterProperties {

    @Test
    void jsonAndSqlAgree(Random random) throws Exception {
        RandomFilters gen = new RandomFilters(random);
        List<Document> docs = new ArrayList<>();
        for (int n = 0; n < 60; n++) docs.add(gen.document());
        int matchedSome = 0;
        for (int n = 0; n < Seeded.atLeast(random, 400); n++) {
            RandomFilters.Spec spec = gen.filter(0);
            Filter fromJson = FilterParser.parse(spec.json(), SCHEMA);
            Filter fromSql = SqlFilterParser.parse(spec.sql(), SCHEMA);
            String what = spec.json() + "  <->  " + spec.sql();
            assertThat(fromSql).as(what).isEqualTo(fromJson);
            assertThat(FilterParser.parse(fromJson.toJson(), SCHEMA)).as("round trip of " + what).isEqualTo(fromJson);
            int matches = 0;
            for (Document d : docs) {
                boolean m = fromJson.matches(d);
                assertThat(fromSql.matches(d)).as(what + " on " + d).isEqualTo(m);
                assertThat(new Filter.Not(fromJson).matches(d)).isEqualTo(!m);
                if (m) matches++;
            }
            if (matches > 0 && matches < docs.size()) matchedSome++;
        }
        // The domains are small on purpose: many filters must split the documents, or this test tests nothing.
        assertThat(matchedSome).isGreaterThan(50);
    }

    @Test
    void matchesAReferenceModel(Random random) {
        RandomFilters gen = new RandomFilters(random);
        List<Document> docs = new ArrayList<>();
        for (int n = 0; n < 60; n++) docs.add(gen.document());
        int checked = 0;
        for (int n = 0; n < Seeded.atLeast(random, 600); n++) {
            RandomFilters.Spec spec = gen.filter(0);
            Filter f = FilterParser.parse(spec.json(), SCHEMA);
            for (Document d : docs) {
                Boolean expected = FilterOracle.matches(spec.json(), d);
                if (expected == null) break;
                assertThat(f.matches(d)).as(spec.json() + " on " + d).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }
}
