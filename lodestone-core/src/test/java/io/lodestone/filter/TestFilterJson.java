package io.lodestone.filter;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.lodestone.filter.Fixtures.MAPPER;
import static io.lodestone.filter.Fixtures.SCHEMA;
import static io.lodestone.filter.Fixtures.json;
import static io.lodestone.filter.Fixtures.jf;
import static io.lodestone.filter.Fixtures.sf;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link Filter#toJson()} writes the canonical form, which parses back to an equal filter. */
class TestFilterJson {

    /** Compares JSON text: a LongNode and an IntNode of the same number are different nodes but the same JSON. */
    static void assertCanonical(String input, String canonical) {
        assertThat(jf(input).toJson().toString()).as(input).isEqualTo(json(canonical).toString());
    }

    @Test
    void canonicalForms() throws Exception {
        assertCanonical("[\"ts\",\"Gte\",\"2024-03-01\"]", "[\"ts\",\"Gte\",\"2024-03-01T00:00:00Z\"]");
        assertCanonical("[\"ts\",\"Eq\",\"2024-03-01T14:00:00.123456+02:00\"]", "[\"ts\",\"Eq\",\"2024-03-01T12:00:00.123Z\"]");
        assertCanonical("[\"ts\",\"Lt\",0]", "[\"ts\",\"Lt\",\"1970-01-01T00:00:00Z\"]");
        assertCanonical("[\"uid\",\"Eq\",\"3D7A7296-3D6A-4796-8FB0-F90406B1F621\"]",
                "[\"uid\",\"Eq\",\"3d7a7296-3d6a-4796-8fb0-f90406b1f621\"]");
        assertCanonical("[\"count\",\"In\",[5.0,6,1.5]]", "[\"count\",\"In\",[5,6,1.5]]");
        assertCanonical("[\"price\",\"Eq\",20]", "[\"price\",\"Eq\",20.0]");
        assertCanonical("[\"id\",\"In\",[18446744073709551615,\"a\"]]", "[\"id\",\"In\",[18446744073709551615,\"a\"]]");
        assertCanonical("[\"body\",\"ContainsAllTokens\",\"a b\",{\"last_as_prefix\":true}]",
                "[\"body\",\"ContainsAllTokens\",\"a b\",{\"last_as_prefix\":true}]");
        assertCanonical("[\"body\",\"ContainsAllTokens\",\"a b\",{\"last_as_prefix\":false}]",
                "[\"body\",\"ContainsAllTokens\",\"a b\"]");
        assertThat(MAPPER.writeValueAsString(sf("a = 1 AND NOT (b IN ['x'] OR c IS NULL)").toJson()))
                .isEqualTo("[\"And\",[[\"a\",\"Eq\",1],[\"Not\",[\"Or\",[[\"b\",\"In\",[\"x\"]],[\"c\",\"Eq\",null]]]]]]");
    }

    @Test
    void roundTrips() throws Exception {
        List<String> filters = List.of(
                "[\"name\",\"Eq\",\"apple\"]", "[\"name\",\"NotEq\",null]", "[\"count\",\"Lte\",1.5]",
                "[\"n\",\"Gt\",3]", "[\"price\",\"In\",[1,2.5]]", "[\"active\",\"NotIn\",[true]]",
                "[\"ts\",\"Gte\",\"2024-03-01T00:00:00.001Z\"]", "[\"uid\",\"Lt\",\"92ef7c95-a212-43a4-ae4e-0ebc96a65764\"]",
                "[\"tags\",\"Eq\",[\"a\",\"b\"]]", "[\"tags\",\"In\",[[\"a\"],null,[]]]",
                "[\"tags\",\"NotContainsAny\",[\"a\"]]", "[\"nums\",\"Contains\",-4]",
                "[\"dates\",\"ContainsAny\",[\"2020-01-01\"]]", "[\"name\",\"NotIGlob\",\"[!a-c]*\\\\*\"]",
                "[\"name\",\"Regex\",\"^a\\\\d+$\"]", "[\"body\",\"ContainsAnyToken\",\"x y\"]",
                "[\"id\",\"Gte\",\"3d7a7296-3d6a-4796-8fb0-f90406b1f621\"]", "[\"id\",\"NotIn\",[1,\"x\"]]",
                "[\"unknown\",\"Eq\",[1,\"a\",true,null,[2.5]]]",
                "[\"Or\",[[\"And\",[]],[\"Not\",[\"Or\",[]]],[\"count\",\"Eq\",null]]]");
        for (String text : filters) {
            Filter f = jf(text);
            assertThat(FilterParser.parse(f.toJson(), SCHEMA)).as(text).isEqualTo(f);
            String written = MAPPER.writeValueAsString(f.toJson());
            assertThat(FilterParser.parse(MAPPER.readTree(written), SCHEMA)).as(written).isEqualTo(f);
            assertThat(FilterParser.parse(f.toJson(), SCHEMA).toJson()).isEqualTo(f.toJson());
        }
    }

    @Test
    void equalFiltersHaveEqualHashCodes() {
        assertThat(jf("[\"name\",\"Glob\",\"a*\"]")).hasSameHashCodeAs(jf("[\"name\",\"Glob\",\"a*\"]"));
        assertThat(jf("[\"name\",\"Regex\",\"a\"]")).hasSameHashCodeAs(sf("name REGEX 'a'"));
        assertThat(jf("[\"name\",\"Glob\",\"a*\"]")).isNotEqualTo(jf("[\"name\",\"IGlob\",\"a*\"]"));
        assertThat(jf("[\"body\",\"ContainsAllTokens\",\"a\"]")).isNotEqualTo(jf("[\"body\",\"ContainsAnyToken\",\"a\"]"));
    }
}
