package io.lodestone.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.lodestone.doc.InvalidInputException;
import org.junit.jupiter.api.Test;

import static io.lodestone.filter.Fixtures.jf;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JSON parser's errors, with their exact messages. */
class TestFilterParserErrors {

    static void assertError(String filter, String message) {
        assertThatThrownBy(() -> jf(filter)).as(filter)
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(message);
    }

    @Test
    void unknownOperator() {
        assertError("[\"name\",\"Equals\",\"x\"]", "unknown filter operator 'Equals' in [\"name\",\"Equals\",\"x\"]; "
                + "expected one of Eq, NotEq, In, NotIn, Lt, Lte, Gt, Gte, Contains, NotContains, ContainsAny, "
                + "NotContainsAny, Glob, NotGlob, IGlob, NotIGlob, Regex, ContainsAllTokens, ContainsAnyToken");
        assertError("[\"name\",\"eq\",\"x\"]", "unknown filter operator 'eq' in [\"name\",\"eq\",\"x\"]; "
                + "expected one of " + FilterOp.wireNames());
    }

    @Test
    void typeMismatches() {
        assertError("[\"price\",\"Eq\",\"abc\"]",
                "filter on 'price' (float) cannot compare with string \"abc\" in [\"price\",\"Eq\",\"abc\"]");
        assertError("[\"name\",\"Gt\",5]", "filter on 'name' (string) cannot compare with number 5 in [\"name\",\"Gt\",5]");
        assertError("[\"active\",\"Eq\",1]", "filter on 'active' (bool) cannot compare with number 1 in [\"active\",\"Eq\",1]");
        assertError("[\"count\",\"Eq\",\"5\"]", "filter on 'count' (int) cannot compare with string \"5\" in [\"count\",\"Eq\",\"5\"]");
        assertError("[\"ts\",\"Gt\",\"yesterday\"]", "filter on 'ts' (datetime) cannot compare with string \"yesterday\" "
                + "in [\"ts\",\"Gt\",\"yesterday\"]; expected an ISO-8601 date or date-time such as 2024-03-01, "
                + "2024-03-01T12:00:00 (UTC) or 2024-03-01T12:00:00+02:00, or epoch milliseconds");
        assertError("[\"uid\",\"Eq\",\"abc\"]", "filter on 'uid' (uuid) cannot compare with string \"abc\" "
                + "in [\"uid\",\"Eq\",\"abc\"]; expected a UUID such as 3d7a7296-3d6a-4796-8fb0-f90406b1f621");
        assertError("[\"tags\",\"Contains\",5]",
                "filter on 'tags' ([]string) cannot compare with number 5 in [\"tags\",\"Contains\",5]");
        assertError("[\"nums\",\"ContainsAny\",[1,\"x\"]]",
                "filter on 'nums' ([]int) cannot compare with string \"x\" in [\"nums\",\"ContainsAny\",[1,\"x\"]]");
        assertError("[\"other\",\"Eq\",{\"a\":1}]",
                "filter on 'other' cannot compare with object {\"a\":1} in [\"other\",\"Eq\",{\"a\":1}]");
        assertError("[\"count\",\"Eq\",99999999999999999999]", "filter on 'count' (int) cannot compare with number "
                + "99999999999999999999 in [\"count\",\"Eq\",99999999999999999999]; integers must fit in 64 bits");
    }

    @Test
    void operatorDoesNotSuitAttribute() {
        assertError("[\"name\",\"In\",\"x\"]", "In expects an array; got \"x\" in [\"name\",\"In\",\"x\"]");
        assertError("[\"tags\",\"ContainsAny\",\"x\"]", "ContainsAny expects an array; got \"x\" in [\"tags\",\"ContainsAny\",\"x\"]");
        assertError("[\"count\",\"Lt\",null]", "Lt expects a value; got null in [\"count\",\"Lt\",null]");
        assertError("[\"active\",\"Lt\",true]", "Lt is not supported on bool attribute 'active' in [\"active\",\"Lt\",true]");
        assertError("[\"tags\",\"Gte\",\"a\"]", "Gte is not supported on []string attribute 'tags' in [\"tags\",\"Gte\",\"a\"]");
        assertError("[\"other\",\"Lt\",true]", "Lt cannot compare with bool true in [\"other\",\"Lt\",true]; "
                + "it orders numbers, strings, datetimes and UUIDs");
        assertError("[\"name\",\"Contains\",\"a\"]", "Contains requires an array attribute; 'name' is string "
                + "in [\"name\",\"Contains\",\"a\"]; use Eq");
        assertError("[\"tags\",\"Eq\",\"red\"]", "Eq on []string attribute 'tags' compares whole arrays and expects "
                + "an array; got \"red\" in [\"tags\",\"Eq\",\"red\"]; use Contains to test for one element");
        assertError("[\"tags\",\"In\",[\"red\"]]", "In on []string attribute 'tags' expects an array of arrays; got "
                + "element \"red\" in [\"tags\",\"In\",[\"red\"]]; use ContainsAny to test for any element");
        assertError("[\"price\",\"Glob\",\"1*\"]",
                "Glob requires a string or []string attribute; 'price' is float in [\"price\",\"Glob\",\"1*\"]");
        assertError("[\"name\",\"Regex\",5]", "Regex expects a string; got 5 in [\"name\",\"Regex\",5]");
        assertError("[\"body\",\"Eq\",\"x\"]",
                "attribute 'body' is not filterable in [\"body\",\"Eq\",\"x\"]; its schema sets filterable: false");
        assertError("[\"id\",\"Glob\",\"a*\"]", "Glob is not supported on 'id' in [\"id\",\"Glob\",\"a*\"]; "
                + "id supports Eq, NotEq, In, NotIn, Lt, Lte, Gt and Gte");
        assertError("[\"id\",\"Eq\",-1]",
                "filter on 'id' cannot compare with number -1 in [\"id\",\"Eq\",-1]; numeric ids are unsigned 64-bit integers");
        assertError("[\"id\",\"Eq\",\"\"]", "filter on 'id' cannot compare with string \"\" in [\"id\",\"Eq\",\"\"]; "
                + "string id must be 1..64 UTF-8 bytes; got 0");
    }

    @Test
    void invalidPatterns() {
        assertError("[\"name\",\"Regex\",\"(a\"]",
                "invalid regex \"(a\" (missing closing ): `(a`) in [\"name\",\"Regex\",\"(a\"]");
        assertError("[\"name\",\"Glob\",\"[ab\"]",
                "invalid glob pattern \"[ab\" (unclosed '[' at index 0) in [\"name\",\"Glob\",\"[ab\"]");
        assertError("[\"name\",\"IGlob\",\"{a,b\"]", "invalid glob pattern \"{a,b\" (unclosed '{') in [\"name\",\"IGlob\",\"{a,b\"]");
        assertError("[\"name\",\"Glob\",\"a\\\\\"]",
                "invalid glob pattern \"a\\\\\" (dangling '\\' at the end) in [\"name\",\"Glob\",\"a\\\\\"]");
        assertError("[\"name\",\"Glob\",\"[z-a]\"]",
                "invalid glob pattern \"[z-a]\" (invalid range 'z-a' at index 1) in [\"name\",\"Glob\",\"[z-a]\"]");
    }

    /** RE2 is linear-time because it has no backtracking features; a regex that needs one is refused by name. */
    @Test
    void regexConstructsRe2DoesNotSupport() {
        String why = " is not supported (RE2 syntax: matching is linear-time, so no backreferences, lookaround, "
                + "atomic groups or possessive quantifiers)";
        assertError("[\"name\",\"Regex\",\"a(?=b)\"]",
                "invalid regex \"a(?=b)\" (lookahead `(?=`" + why + ") in [\"name\",\"Regex\",\"a(?=b)\"]");
        assertError("[\"name\",\"Regex\",\"(?<!a)b\"]",
                "invalid regex \"(?<!a)b\" (negative lookbehind `(?<!`" + why + ") in [\"name\",\"Regex\",\"(?<!a)b\"]");
        assertError("[\"name\",\"Regex\",\"(a)\\\\1\"]",
                "invalid regex \"(a)\\\\1\" (backreference `\\1`" + why + ") in [\"name\",\"Regex\",\"(a)\\\\1\"]");
        assertError("[\"name\",\"Regex\",\"a*+\"]",
                "invalid regex \"a*+\" (possessive quantifier `*+`" + why + ") in [\"name\",\"Regex\",\"a*+\"]");
    }

    @Test
    void options() {
        assertError("[\"name\",\"Eq\",\"x\",{}]", "Eq takes no options; got {} in [\"name\",\"Eq\",\"x\",{}]; "
                + "only ContainsAllTokens and ContainsAnyToken take an options object");
        assertError("[\"name\",\"ContainsAllTokens\",\"x\",{\"prefix\":true}]", "unknown option 'prefix' for "
                + "ContainsAllTokens in [\"name\",\"ContainsAllTokens\",\"x\",{\"prefix\":true}]; expected last_as_prefix");
        assertError("[\"name\",\"ContainsAllTokens\",\"x\",{\"last_as_prefix\":1}]", "last_as_prefix must be true or "
                + "false; got 1 in [\"name\",\"ContainsAllTokens\",\"x\",{\"last_as_prefix\":1}]");
        assertError("[\"name\",\"ContainsAnyToken\",\"x\",[]]",
                "ContainsAnyToken options must be an object; got [] in [\"name\",\"ContainsAnyToken\",\"x\",[]]");
    }

    @Test
    void malformedShapes() {
        String shapes = "; expected [attribute, operator, value], [\"And\", [filters]], [\"Or\", [filters]] or [\"Not\", filter]";
        assertError("{\"name\":\"x\"}", "malformed filter {\"name\":\"x\"}" + shapes);
        assertError("[]", "malformed filter []" + shapes);
        assertError("\"name\"", "malformed filter \"name\"" + shapes);
        assertError("null", "malformed filter null" + shapes);
        assertError("[\"name\",\"Eq\"]", "malformed filter [\"name\",\"Eq\"]" + shapes);
        assertError("[\"a\",\"Eq\",1,{},2]", "malformed filter [\"a\",\"Eq\",1,{},2]" + shapes);
        assertError("[\"And\",[[\"a\",\"Eq\",1]],[\"b\",\"Eq\",2]]",
                "And takes exactly one operand [\"And\",[[\"a\",\"Eq\",1]],[\"b\",\"Eq\",2]]" + shapes);
        assertError("[\"And\",[\"a\",\"Eq\",1]]", "malformed filter \"a\"" + shapes);
        assertError("[\"Or\",\"x\"]", "Or expects an array of filters; got \"x\" in [\"Or\",\"x\"]");
        assertError("[\"Not\",5]", "malformed filter 5" + shapes);
        assertError("[5,\"Eq\",1]", "filter attribute must be a string; got 5 in [5,\"Eq\",1]");
        assertError("[\"a\",[\"Eq\"],1]", "filter operator must be a string; got [\"Eq\"] in [\"a\",[\"Eq\"],1]");
        assertThatThrownBy(() -> FilterParser.parse(null, Fixtures.SCHEMA))
                .isInstanceOf(InvalidInputException.class).hasMessage("filter is missing" + shapes);
    }

    @Test
    void attributeNamedLikeAConnective() {
        assertThatCode(() -> jf("[\"And\",\"Eq\",1]")).doesNotThrowAnyException();
    }

    @Test
    void nestingDepthIsLimited() {
        assertThatCode(() -> FilterParser.parse(nested(64), Fixtures.SCHEMA)).doesNotThrowAnyException();
        assertThatThrownBy(() -> FilterParser.parse(nested(65), Fixtures.SCHEMA))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("filter nesting depth exceeds 64 at [\"name\",\"Eq\",\"x\"]");
        assertThatThrownBy(() -> FilterParser.parse(nested(10_000), Fixtures.SCHEMA))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("filter nesting depth exceeds 64 at [\"And\",[[\"Not\",[\"And\",");
    }

    /** A filter of the given depth: alternating Not and single-child And around one condition. */
    static JsonNode nested(int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonNode node = f.arrayNode().add("name").add("Eq").add("x");
        for (int d = 2; d <= depth; d++) {
            ArrayNode outer = f.arrayNode();
            if (d % 2 == 0) {
                outer.add("And").addArray().add(node);
            } else {
                outer.add("Not").add(node);
            }
            node = outer;
        }
        return node;
    }
}
