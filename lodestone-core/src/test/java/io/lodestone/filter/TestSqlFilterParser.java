package io.lodestone.filter;

import io.lodestone.doc.InvalidInputException;
import io.lodestone.doc.Schema;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.lodestone.filter.Fixtures.doc;
import static io.lodestone.filter.Fixtures.jf;
import static io.lodestone.filter.Fixtures.sf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQL-like parser gives the same trees as the JSON parser, and precise syntax errors. */
class TestSqlFilterParser {

    static void assertSame(String sql, String json) {
        assertThat(sf(sql)).as(sql).isEqualTo(jf(json));
    }

    static void assertError(String sql, String message) {
        assertThatThrownBy(() -> sf(sql)).as(sql).isInstanceOf(InvalidInputException.class).hasMessage(message);
    }

    @Test
    void designExample() {
        assertSame("category = 'tech' AND (score >= 40 OR tag IN ['a','b']) AND NOT archived = true",
                "[\"And\",[[\"category\",\"Eq\",\"tech\"],[\"Or\",[[\"score\",\"Gte\",40],[\"tag\",\"In\",[\"a\",\"b\"]]]],"
                        + "[\"Not\",[\"archived\",\"Eq\",true]]]]");
    }

    @Test
    void everyOperator() {
        assertSame("name = 'x'", "[\"name\",\"Eq\",\"x\"]");
        assertSame("name == 'x'", "[\"name\",\"Eq\",\"x\"]");
        assertSame("name != 'x'", "[\"name\",\"NotEq\",\"x\"]");
        assertSame("name <> 'x'", "[\"name\",\"NotEq\",\"x\"]");
        assertSame("count < 3", "[\"count\",\"Lt\",3]");
        assertSame("count <= 3", "[\"count\",\"Lte\",3]");
        assertSame("count > 3", "[\"count\",\"Gt\",3]");
        assertSame("count >= 3", "[\"count\",\"Gte\",3]");
        assertSame("count IN (1, 2)", "[\"count\",\"In\",[1,2]]");
        assertSame("count not in [1, 2]", "[\"count\",\"NotIn\",[1,2]]");
        assertSame("tags CONTAINS 'a'", "[\"tags\",\"Contains\",\"a\"]");
        assertSame("tags NOT CONTAINS 'a'", "[\"tags\",\"NotContains\",\"a\"]");
        assertSame("tags CONTAINS ANY ['a']", "[\"tags\",\"ContainsAny\",[\"a\"]]");
        assertSame("tags NOT CONTAINS ANY ('a')", "[\"tags\",\"NotContainsAny\",[\"a\"]]");
        assertSame("name GLOB 'a*'", "[\"name\",\"Glob\",\"a*\"]");
        assertSame("name NOT GLOB 'a*'", "[\"name\",\"NotGlob\",\"a*\"]");
        assertSame("name IGLOB 'a*'", "[\"name\",\"IGlob\",\"a*\"]");
        assertSame("name NOT IGLOB 'a*'", "[\"name\",\"NotIGlob\",\"a*\"]");
        assertSame("name REGEX '^a.'", "[\"name\",\"Regex\",\"^a.\"]");
        assertSame("body CONTAINS ALL TOKENS 'quick fox'", "[\"body\",\"ContainsAllTokens\",\"quick fox\"]");
        assertSame("body contains any token 'quick fox'", "[\"body\",\"ContainsAnyToken\",\"quick fox\"]");
        assertSame("name STARTSWITH 'ab'", "[\"name\",\"Glob\",\"ab*\"]");
    }

    @Test
    void nulls() {
        assertSame("name = null", "[\"name\",\"Eq\",null]");
        assertSame("name != NULL", "[\"name\",\"NotEq\",null]");
        assertSame("name IS NULL", "[\"name\",\"Eq\",null]");
        assertSame("name is not null", "[\"name\",\"NotEq\",null]");
        assertSame("name IN ['a', null]", "[\"name\",\"In\",[\"a\",null]]");
    }

    @Test
    void literals() {
        assertSame("price = -1.5e3", "[\"price\",\"Eq\",-1500.0]");
        assertSame("price = 2E-2", "[\"price\",\"Eq\",0.02]");
        assertSame("count >= -7", "[\"count\",\"Gte\",-7]");
        assertSame("other = 1.25", "[\"other\",\"Eq\",1.25]");
        assertSame("other = 12", "[\"other\",\"Eq\",12]");
        assertSame("active = TRUE OR active = false", "[\"Or\",[[\"active\",\"Eq\",true],[\"active\",\"Eq\",false]]]");
        assertSame("name = \"it's\"", "[\"name\",\"Eq\",\"it's\"]");
        assertSame("name = 'it''s'", "[\"name\",\"Eq\",\"it's\"]");
        assertSame("name = 'a\\'b\\\"c\\\\d\\ne\\tf\\u00e9\\/'", "[\"name\",\"Eq\",\"a'b\\\"c\\\\d\\ne\\tf\\u00e9/\"]");
        assertSame("ts > '2024-03-01'", "[\"ts\",\"Gt\",\"2024-03-01T00:00:00Z\"]");
        assertSame("uid = '3D7A7296-3D6A-4796-8FB0-F90406B1F621'", "[\"uid\",\"Eq\",\"3d7a7296-3d6a-4796-8fb0-f90406b1f621\"]");
        assertSame("tags = ['a', 'b']", "[\"tags\",\"Eq\",[\"a\",\"b\"]]");
        assertSame("tags IN [['a'], ('b', 'c'), []]", "[\"tags\",\"In\",[[\"a\"],[\"b\",\"c\"],[]]]");
        assertSame("id = 18446744073709551615", "[\"id\",\"Eq\",18446744073709551615]");
        assertSame("id IN ('a', 2)", "[\"id\",\"In\",[\"a\",2]]");
    }

    @Test
    void names() {
        assertSame("meta.page-count_2 = 1", "[\"meta.page-count_2\",\"Eq\",1]");
        assertSame("`my field` = 1", "[\"my field\",\"Eq\",1]");
        assertSame("`a``b` = 1", "[\"a`b\",\"Eq\",1]");
        assertSame("`and` = 1 AND `NOT` = 2", "[\"And\",[[\"and\",\"Eq\",1],[\"NOT\",\"Eq\",2]]]");
        assertSame("in = 1", "[\"in\",\"Eq\",1]");
    }

    @Test
    void precedenceAndGrouping() {
        assertSame("a = 1 OR b = 2 AND NOT c = 3",
                "[\"Or\",[[\"a\",\"Eq\",1],[\"And\",[[\"b\",\"Eq\",2],[\"Not\",[\"c\",\"Eq\",3]]]]]]");
        assertSame("(a = 1 OR b = 2) AND c = 3",
                "[\"And\",[[\"Or\",[[\"a\",\"Eq\",1],[\"b\",\"Eq\",2]]],[\"c\",\"Eq\",3]]]");
        assertSame("a = 1 AND b = 2 AND c = 3", "[\"And\",[[\"a\",\"Eq\",1],[\"b\",\"Eq\",2],[\"c\",\"Eq\",3]]]");
        assertSame("(a = 1 AND b = 2) AND c = 3",
                "[\"And\",[[\"And\",[[\"a\",\"Eq\",1],[\"b\",\"Eq\",2]]],[\"c\",\"Eq\",3]]]");
        assertSame("NOT NOT (a = 1)", "[\"Not\",[\"Not\",[\"a\",\"Eq\",1]]]");
        assertSame("not (a = 1 or b = 2)", "[\"Not\",[\"Or\",[[\"a\",\"Eq\",1],[\"b\",\"Eq\",2]]]]");
        assertSame("((a = 1))", "[\"a\",\"Eq\",1]");
    }

    @Test
    void startsWithEscapesGlobMetacharacters() {
        Filter f = sf("name STARTSWITH 'a*[?]{x,y}\\\\'");
        assertThat(f).isEqualTo(new Filter.Condition("name", FilterOp.GLOB, "a\\*\\[\\?\\]\\{x,y\\}\\\\*"));
        assertThat(f.matches(doc(1, "name", "a*[?]{x,y}\\ and more"))).isTrue();
        assertThat(f.matches(doc(1, "name", "ab[?]{x,y}\\"))).isFalse();
        assertThat(f.matches(doc(1, "name", "a*[?]x\\"))).isFalse();
    }

    @Test
    void withoutSchemaLiteralsKeepTheirType() {
        Filter f = SqlFilterParser.parse("x = '5' OR y > 2.5", Schema.EMPTY);
        assertThat(f).isEqualTo(Filter.or(new Filter.Condition("x", FilterOp.EQ, "5"),
                new Filter.Condition("y", FilterOp.GT, 2.5)));
        assertThat(f.matches(doc(1, "y", 3L))).isTrue();
        assertThat(f.matches(doc(1, "x", 5L))).isFalse();
        assertThat(SqlFilterParser.parse("tags CONTAINS ANY [1, 'a']", null))
                .isEqualTo(new Filter.Condition("tags", FilterOp.CONTAINS_ANY, List.of(1L, "a")));
    }

    @Test
    void syntaxErrors() {
        assertError("", "expected a filter expression at position 1; found end of input");
        assertError("   ", "expected a filter expression at position 4; found end of input");
        assertError("category = 'tech' AND score >=", "expected a value after '>=' at position 31; found end of input");
        assertError("score >= AND x = 1", "expected a value after '>=' at position 10; found 'AND'");
        assertError("a = 1 b = 2", "unexpected 'b' at position 7; expected AND, OR or end of input");
        assertError("a = 1)", "unbalanced ')' at position 6");
        assertError("(a = 1", "expected ')' at position 7 to close the '(' at position 1; found end of input");
        assertError("(a = 1 OR (b = 2)", "expected ')' at position 18 to close the '(' at position 1; found end of input");
        assertError("a = 'abc", "unterminated string starting at position 5");
        assertError("a = \"abc\\\"", "unterminated string starting at position 5");
        assertError("a = 'a\\qb'", "invalid escape '\\q' at position 7; expected one of \\' \\\" \\\\ \\/ \\n \\t \\r \\b \\f \\uXXXX");
        assertError("a = '\\u12g4'", "invalid \\u escape at position 6; expected four hex digits");
        assertError("`abc = 1", "unterminated quoted name starting at position 1");
        assertError("a = 1 # x", "unexpected character '#' at position 7");
        assertError("a ! 1", "unexpected character '!' at position 3");
        assertError("a = 12abc", "invalid number '12abc' at position 5");
        assertError("a = 1.", "invalid number '1.' at position 5");
        assertError("a = 1e", "invalid number '1e' at position 5");
        assertError("= 1", "expected an attribute name at position 1; found '='");
        assertError("a = 1 AND OR b = 2", "expected an attribute name at position 11; found 'OR'");
        assertError("a LIKE 'x'", "expected an operator after 'a' at position 3; found 'LIKE'; operators are "
                + "=, !=, <, <=, >, >=, IN, NOT IN, CONTAINS, NOT CONTAINS, CONTAINS ANY, NOT CONTAINS ANY, STARTSWITH, "
                + "GLOB, NOT GLOB, IGLOB, NOT IGLOB, REGEX, CONTAINS ALL TOKENS, CONTAINS ANY TOKEN, IS NULL, IS NOT NULL");
        assertError("a", "expected an operator after 'a' at position 2; found end of input; operators are "
                + "=, !=, <, <=, >, >=, IN, NOT IN, CONTAINS, NOT CONTAINS, CONTAINS ANY, NOT CONTAINS ANY, STARTSWITH, "
                + "GLOB, NOT GLOB, IGLOB, NOT IGLOB, REGEX, CONTAINS ALL TOKENS, CONTAINS ANY TOKEN, IS NULL, IS NOT NULL");
        assertError("a NOT = 1", "expected IN, CONTAINS, CONTAINS ANY, GLOB or IGLOB after NOT at position 7; found '='");
        assertError("a IS 1", "expected NULL after IS at position 6; found '1'");
        assertError("a IS NOT 1", "expected NULL after IS NOT at position 10; found '1'");
        assertError("a CONTAINS ALL 'x'", "expected TOKENS after CONTAINS ALL at position 16; found ''x''");
        assertError("a STARTSWITH 5", "expected a string after STARTSWITH at position 14; found '5'");
        assertError("a IN [1, 2", "expected ',' or ']' at position 11; found end of input");
        assertError("a IN (1 2)", "expected ',' or ')' at position 9; found '2'");
        assertError("a IN [1,]", "expected a value after ',' at position 9; found ']'");
        assertError("a NOT IN x", "expected a value after 'NOT IN' at position 10; found 'x'");
        assertError("a = foo", "expected a value after '=' at position 5; found 'foo'");
    }

    @Test
    void valueErrorsNameThePosition() {
        assertError("x = 1 AND price = 'abc'",
                "filter on 'price' (float) cannot compare with string \"abc\" at position 11");
        assertError("tag IN 'x'", "In expects an array; got \"x\" at position 1");
        assertError("name REGEX '('", "invalid regex \"(\" (missing closing ): `(`) at position 1");
        assertError("tags = 'red'", "Eq on []string attribute 'tags' compares whole arrays and expects an array; "
                + "got \"red\" at position 1; use Contains to test for one element");
    }

    @Test
    void nestingDepthIsLimited() {
        String deep = "(".repeat(64) + "a = 1" + ")".repeat(64);
        assertThat(sf(deep)).isEqualTo(jf("[\"a\",\"Eq\",1]"));
        assertError("(".repeat(65) + "a = 1" + ")".repeat(65), "filter nesting depth exceeds 64 at position 65");
        assertError("NOT ".repeat(100) + "a = 1", "filter nesting depth exceeds 64 at position 257");
        assertError("a IN " + "[".repeat(70), "filter nesting depth exceeds 64 at position 70");
        StringBuilder alternating = new StringBuilder("a = 1");
        // each level: Or(b, And(c, (...))) adds two tree levels but only one parenthesis: 33 levels are 67 deep
        for (int i = 0; i < 33; i++) alternating = new StringBuilder("b = 1 OR c = 1 AND (" + alternating + ")");
        assertError(alternating.toString(), "filter nesting depth exceeds 64");
    }
}
