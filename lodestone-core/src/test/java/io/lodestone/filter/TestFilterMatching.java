package io.lodestone.filter;

import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.lodestone.filter.Fixtures.doc;
import static io.lodestone.filter.Fixtures.jf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Every operator against matching, non-matching and attribute-less documents. */
class TestFilterMatching {

    static final UUID U1 = UUID.fromString("3d7a7296-3d6a-4796-8fb0-f90406b1f621");
    static final UUID U2 = UUID.fromString("92ef7c95-a212-43a4-ae4e-0ebc96a65764");

    static final Document EMPTY = doc(1);
    static final Document A = doc(2, "name", "apple", "count", 5L, "n", 7L, "price", 9.5, "active", true,
            "ts", Instant.parse("2024-03-01T12:00:00Z"), "uid", U1, "tags", List.of("red", "green"),
            "nums", List.of(1L, 2L, 3L), "dates", List.of(Instant.parse("2020-01-01T00:00:00Z")),
            "uids", List.of(U1), "body", "The Quick brown fox");
    static final Document B = doc(3, "name", "Banana split", "count", 10L, "price", 20.0, "active", false,
            "ts", Instant.parse("2023-12-31T23:59:59.999Z"), "uid", U2, "tags", List.of("blue"), "nums", List.of(),
            "body", "lazy dogs, quick foxes");
    static final List<Document> ALL = List.of(EMPTY, A, B);

    /** Asserts that exactly {@code expected} of {@link #ALL} match the JSON filter. */
    static void assertMatches(String filter, Document... expected) {
        Filter f = jf(filter);
        List<Document> matched = new ArrayList<>();
        for (Document d : ALL) {
            if (f.matches(d)) matched.add(d);
        }
        assertThat(matched).as(filter).containsExactly(expected);
    }

    @Test
    void eqAndNotEq() {
        assertMatches("[\"name\",\"Eq\",\"apple\"]", A);
        assertMatches("[\"name\",\"NotEq\",\"apple\"]", EMPTY, B);
        assertMatches("[\"count\",\"Eq\",5]", A);
        assertMatches("[\"count\",\"Eq\",5.0]", A);
        assertMatches("[\"price\",\"Eq\",20]", B);
        assertMatches("[\"active\",\"Eq\",false]", B);
        assertMatches("[\"active\",\"NotEq\",true]", EMPTY, B);
    }

    @Test
    void eqNullMeansMissing() {
        assertMatches("[\"name\",\"Eq\",null]", EMPTY);
        assertMatches("[\"name\",\"NotEq\",null]", A, B);
        assertMatches("[\"n\",\"Eq\",null]", EMPTY, B);
        assertMatches("[\"nowhere\",\"Eq\",null]", EMPTY, A, B);
        assertMatches("[\"nowhere\",\"NotEq\",null]");
        assertMatches("[\"nowhere\",\"Eq\",\"x\"]");
        assertMatches("[\"nowhere\",\"NotEq\",\"x\"]", EMPTY, A, B);
    }

    @Test
    void inAndNotIn() {
        assertMatches("[\"count\",\"In\",[1,5,7]]", A);
        assertMatches("[\"count\",\"NotIn\",[1,5,7]]", EMPTY, B);
        assertMatches("[\"name\",\"In\",[]]");
        assertMatches("[\"name\",\"NotIn\",[]]", EMPTY, A, B);
        assertMatches("[\"name\",\"In\",[null,\"apple\"]]", EMPTY, A);
        assertMatches("[\"price\",\"In\",[9.5,20]]", A, B);
    }

    @Test
    void orderingComparisons() {
        assertMatches("[\"count\",\"Lt\",10]", A);
        assertMatches("[\"count\",\"Lte\",10]", A, B);
        assertMatches("[\"count\",\"Gt\",5]", B);
        assertMatches("[\"count\",\"Gte\",5]", A, B);
        assertMatches("[\"count\",\"Gt\",5.5]", B);
        assertMatches("[\"count\",\"Lt\",5.000001]", A);
        assertMatches("[\"price\",\"Gt\",9]", A, B);
        assertMatches("[\"price\",\"Lte\",9.5]", A);
        assertMatches("[\"name\",\"Lt\",\"a\"]", B); // "B…" < "a": lexicographic, case-sensitive
        assertMatches("[\"name\",\"Gte\",\"apple\"]", A);
        assertMatches("[\"nowhere\",\"Lt\",100]");
    }

    @Test
    void datetimesCompareByMillisecond() {
        assertMatches("[\"ts\",\"Gte\",\"2024-03-01\"]", A);
        assertMatches("[\"ts\",\"Lt\",\"2024-01-01T00:00:00Z\"]", B);
        assertMatches("[\"ts\",\"Eq\",\"2024-03-01T14:00:00+02:00\"]", A);
        assertMatches("[\"ts\",\"Eq\",\"2024-03-01 12:00:00\"]", A);
        assertMatches("[\"ts\",\"Eq\",\"2023-12-31T23:59:59.999999Z\"]", B);
        assertMatches("[\"ts\",\"Eq\",1709294400000]", A);
        assertMatches("[\"dates\",\"Contains\",\"2020-01-01\"]", A);
    }

    @Test
    void uuidsAreConverted() {
        assertMatches("[\"uid\",\"Eq\",\"3D7A7296-3D6A-4796-8FB0-F90406B1F621\"]", A);
        assertMatches("[\"uid\",\"In\",[\"" + U2 + "\"]]", B);
        assertMatches("[\"uid\",\"Gt\",\"" + U1 + "\"]", B); // unsigned order: 0x92… > 0x3d…
        assertMatches("[\"uids\",\"Contains\",\"" + U1 + "\"]", A);
    }

    @Test
    void arrays() {
        assertMatches("[\"tags\",\"Contains\",\"red\"]", A);
        assertMatches("[\"tags\",\"NotContains\",\"red\"]", EMPTY, B);
        assertMatches("[\"tags\",\"ContainsAny\",[\"blue\",\"green\"]]", A, B);
        assertMatches("[\"tags\",\"NotContainsAny\",[\"blue\",\"green\"]]", EMPTY);
        assertMatches("[\"tags\",\"ContainsAny\",[]]");
        assertMatches("[\"nums\",\"Contains\",2]", A);
        assertMatches("[\"nums\",\"Contains\",2.0]", A);
        assertMatches("[\"tags\",\"Eq\",[\"red\",\"green\"]]", A);
        assertMatches("[\"tags\",\"Eq\",[\"green\",\"red\"]]");
        assertMatches("[\"nums\",\"Eq\",[]]", B);
        assertMatches("[\"tags\",\"NotEq\",[\"blue\"]]", EMPTY, A);
        assertMatches("[\"tags\",\"In\",[[\"blue\"],[\"red\"]]]", B);
        assertMatches("[\"tags\",\"Glob\",\"gr*\"]", A);
        assertMatches("[\"tags\",\"NotGlob\",\"gr*\"]", EMPTY, B);
    }

    @Test
    void globs() {
        assertMatches("[\"name\",\"Glob\",\"a*\"]", A);
        assertMatches("[\"name\",\"Glob\",\"b*\"]");
        assertMatches("[\"name\",\"IGlob\",\"b*\"]", B);
        assertMatches("[\"name\",\"NotIGlob\",\"b*\"]", EMPTY, A);
        assertMatches("[\"name\",\"NotGlob\",\"b*\"]", EMPTY, A, B);
        assertMatches("[\"name\",\"Glob\",\"?pple\"]", A);
        assertMatches("[\"name\",\"Glob\",\"[!a]*\"]", B);
        assertMatches("[\"name\",\"Glob\",\"[A-C]anana*\"]", B);
        assertMatches("[\"name\",\"Glob\",\"{apple,pear}\"]", A);
        assertMatches("[\"name\",\"Glob\",\"*split\"]", B);
        assertMatches("[\"name\",\"Glob\",\"apple?\"]");
    }

    @Test
    void regexFindsAnywhere() {
        assertMatches("[\"name\",\"Regex\",\"pl\"]", A, B);
        assertMatches("[\"name\",\"Regex\",\"^pl\"]");
        assertMatches("[\"name\",\"Regex\",\"^[ab]\"]", A);
        assertMatches("[\"name\",\"Regex\",\"(?i)^b.*T$\"]", B);
        assertMatches("[\"tags\",\"Regex\",\"^b\"]", B);
    }

    /** Patterns that make a backtracking engine take exponential time; RE2 is linear (generous liveness bound). */
    @Test
    void catastrophicRegexFinishesPromptly() {
        Document longA = doc(9, "name", "a".repeat(5_000) + "!");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThat(jf("[\"name\",\"Regex\",\"^(a+)+$\"]").matches(longA)).isFalse();
            assertThat(jf("[\"name\",\"Regex\",\"^(a|aa)*b\"]").matches(longA)).isFalse();
            assertThat(jf("[\"name\",\"Regex\",\"(a|a)*!\"]").matches(longA)).isTrue();
        });
    }

    @Test
    void tokens() {
        assertMatches("[\"body\",\"ContainsAllTokens\",\"QUICK fox\"]", A);
        assertMatches("[\"body\",\"ContainsAnyToken\",\"fox dogs\"]", A, B);
        assertMatches("[\"body\",\"ContainsAllTokens\",\"quick fo\",{\"last_as_prefix\":true}]", A, B);
        assertMatches("[\"body\",\"ContainsAnyToken\",\"cat fo\",{\"last_as_prefix\":true}]", A, B);
        assertMatches("[\"body\",\"ContainsAllTokens\",\"quick cat\"]");
        assertMatches("[\"body\",\"ContainsAllTokens\",\" ,; \"]");
        assertMatches("[\"tags\",\"ContainsAnyToken\",\"Blue\"]", B);
        assertMatches("[\"Not\",[\"body\",\"ContainsAnyToken\",\"lazy\"]]", EMPTY, A);
    }

    @Test
    void pluggableAnalyzer() {
        TokenAnalyzer exact = (attribute, text) -> List.of(text.split(" "));
        Filter f = FilterParser.parse(Fixtures.json("[\"body\",\"ContainsAllTokens\",\"Quick\"]"), Fixtures.SCHEMA, exact);
        assertThat(f.matches(A)).isTrue();
        assertThat(f.matches(doc(9, "body", "quick"))).isFalse();
    }

    @Test
    void idFilters() {
        assertMatches("[\"id\",\"Eq\",2]", A);
        assertMatches("[\"id\",\"In\",[1,3]]", EMPTY, B);
        assertMatches("[\"id\",\"Gte\",2]", A, B);
        assertMatches("[\"id\",\"NotEq\",2]", EMPTY, B);
        assertMatches("[\"id\",\"Eq\",\"2\"]"); // a string id is never a numeric id
        assertMatches("[\"id\",\"Eq\",null]");
        Document s = doc(DocId.of("doc-b"));
        Document u = doc(DocId.of(U1));
        Filter gt = jf("[\"id\",\"Gt\",\"doc-a\"]");
        assertThat(gt.matches(s)).isTrue();
        assertThat(gt.matches(A)).isFalse();
        assertThat(jf("[\"id\",\"Eq\",\"" + U1 + "\"]").matches(u)).isTrue();
        Document big = doc(-1L); // 2^64 - 1
        assertThat(jf("[\"id\",\"Eq\",18446744073709551615]").matches(big)).isTrue();
        assertThat(jf("[\"id\",\"Gt\",9223372036854775807]").matches(big)).isTrue();
    }

    @Test
    void nestedConnectives() {
        assertMatches("[\"And\",[[\"count\",\"Gte\",5],[\"Or\",[[\"tags\",\"Contains\",\"blue\"],"
                + "[\"Not\",[\"active\",\"Eq\",true]]]]]]", B);
        assertMatches("[\"Or\",[[\"name\",\"Eq\",null],[\"price\",\"Lt\",10]]]", EMPTY, A);
        assertMatches("[\"Not\",[\"Not\",[\"name\",\"Eq\",null]]]", EMPTY);
        assertMatches("[\"And\",[]]", EMPTY, A, B);
        assertMatches("[\"Or\",[]]");
    }

    @Test
    void negationIsExactInverse() {
        String[][] pairs = {
                {"[\"count\",\"Eq\",5]", "[\"count\",\"NotEq\",5]"},
                {"[\"tags\",\"ContainsAny\",[\"red\"]]", "[\"tags\",\"NotContainsAny\",[\"red\"]]"},
                {"[\"name\",\"IGlob\",\"A*\"]", "[\"name\",\"NotIGlob\",\"A*\"]"},
                {"[\"name\",\"In\",[\"apple\"]]", "[\"name\",\"NotIn\",[\"apple\"]]"}};
        for (String[] p : pairs) {
            Filter pos = jf(p[0]);
            Filter neg = jf(p[1]);
            for (Document d : ALL) assertThat(neg.matches(d)).as(p[1]).isEqualTo(!pos.matches(d));
        }
    }

    @Test
    void programmaticConditionsAreNormalized() {
        Filter.Condition c = new Filter.Condition("count", FilterOp.EQ, 5);
        assertThat(c.value()).isEqualTo(5L);
        assertThat(c).isEqualTo(jf("[\"count\",\"Eq\",5]"));
        assertThat(new Filter.Condition("id", FilterOp.IN, List.of(1, "x")).value())
                .isEqualTo(List.of(DocId.of(1), DocId.of("x")));
        assertThat(new Filter.Condition("name", FilterOp.IGLOB, "A*").matches(A)).isTrue();
        assertThat(new Filter.Condition("ts", FilterOp.EQ, Instant.parse("2024-03-01T12:00:00.000999Z")))
                .isEqualTo(jf("[\"ts\",\"Eq\",\"2024-03-01T12:00:00Z\"]"));
        assertThat(Filter.and(new Filter.Condition("name", FilterOp.REGEX, "^app"),
                Filter.not(new Filter.Condition("tags", FilterOp.CONTAINS, "blue"))).matches(A)).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Filter.Condition("x", FilterOp.IN, "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("In expects a list; got a");
    }
}
