package io.lodestone.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.doc.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses turbopuffer's JSON filter form: {@code [attribute, Op, value]} (plus an options object for the token
 * operators), {@code ["And", [filter, ...]]}, {@code ["Or", [filter, ...]]} and {@code ["Not", filter]},
 * nested at most {@value #MAX_DEPTH} levels. Literals are converted to the attribute's schema type here, once;
 * for an attribute missing from the schema they keep their JSON type (strings, Long, Double, Boolean).
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li><b>Missing attributes.</b> {@code Eq null} matches documents without the attribute and {@code NotEq null}
 *       those with it. Every other positive operator is false on a missing attribute, and every {@code Not…}
 *       operator is the exact negation of its positive form (turbopuffer: "inverse of Eq"), so
 *       {@code NotEq 5}, {@code NotIn}, {@code NotContains}, {@code NotContainsAny}, {@code NotGlob} and
 *       {@code NotIGlob} match documents without the attribute. A filter on an attribute no document has
 *       therefore matches nothing, except {@code Eq null} and the negated operators, which match everything.</li>
 *   <li><b>Eq/In.</b> Exact match; numbers compare numerically (Long and Double mixed), datetimes by millisecond.
 *       On an array attribute {@code Eq} compares whole arrays (same elements in the same order) and {@code In}
 *       takes a list of arrays; {@code Contains}/{@code ContainsAny} test for elements. A null in an {@code In}
 *       list matches a missing attribute.</li>
 *   <li><b>Lt, Lte, Gt, Gte.</b> Numbers numerically, strings lexicographically by code point (UTF-8 byte order),
 *       datetimes by millisecond, UUIDs as unsigned 128-bit numbers, ids of the same kind by id order. Not on
 *       bools or arrays (turbopuffer's AnyLt… are not supported).</li>
 *   <li><b>Contains, ContainsAny.</b> An array attribute holds the element / any of the elements.</li>
 *   <li><b>Glob, IGlob.</b> {@link GlobPattern} against the whole string; IGlob ignores case. On a []string
 *       attribute, any element may match.</li>
 *   <li><b>Regex.</b> An RE2 regex ({@link RegexPattern}, linear-time) compiled at parse time that matches when
 *       found anywhere in the string
 *       ({@code find}, as turbopuffer's Rust {@code is_match}); anchor with {@code ^…$}. Any element of a
 *       []string attribute may match.</li>
 *   <li><b>ContainsAllTokens, ContainsAnyToken.</b> The query string and the attribute's string (or all its
 *       elements) are tokenized by the {@link TokenAnalyzer}; option {@code {"last_as_prefix": true}} lets the
 *       last query token match as a prefix. A query without tokens matches nothing.</li>
 *   <li><b>id.</b> The attribute {@code id} is the document id; number literals are numeric ids, strings are
 *       string or UUID ids ({@link io.lodestone.doc.DocId#of(String)}). Only Eq, NotEq, In, NotIn, Lt, Lte, Gt
 *       and Gte apply; ids of different kinds are never equal or ordered.</li>
 *   <li><b>Connectives.</b> An empty And matches everything; an empty Or matches nothing.</li>
 *   <li><b>Schema.</b> An attribute whose schema says {@code filterable: false} only takes the token
 *       operators, as in turbopuffer.</li>
 * </ul>
 * Errors are {@link InvalidInputException}s naming the problem and the filter it is in.
 */
public final class FilterParser {

    /** Deepest nesting of And/Or/Not accepted; a single condition has depth 1. */
    public static final int MAX_DEPTH = 64;

    private static final String SHAPES = "expected [attribute, operator, value], [\"And\", [filters]], "
            + "[\"Or\", [filters]] or [\"Not\", filter]";

    private final Schema schema;
    private final TokenAnalyzer analyzer;

    private FilterParser(Schema schema, TokenAnalyzer analyzer) {
        this.schema = schema == null ? Schema.EMPTY : schema;
        this.analyzer = analyzer;
    }

    /** Parses a filter with the {@link TokenAnalyzer#standard() standard} token analyzer. */
    public static Filter parse(JsonNode node, Schema schema) {
        return parse(node, schema, TokenAnalyzer.standard());
    }

    public static Filter parse(JsonNode node, Schema schema, TokenAnalyzer analyzer) {
        if (node == null) throw new InvalidInputException("filter is missing; " + SHAPES);
        return new FilterParser(schema, analyzer).filter(node, 1);
    }

    private Filter filter(JsonNode node, int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidInputException("filter nesting depth exceeds " + MAX_DEPTH + " at " + where(node, 60));
        }
        if (!node.isArray() || node.isEmpty()) throw shape("malformed filter", node);
        JsonNode head = node.get(0);
        String name = head.isTextual() ? head.textValue() : null;
        boolean connective = "And".equals(name) || "Or".equals(name) || "Not".equals(name);
        if (connective && node.size() == 1) throw shape(name + " takes exactly one operand", node);
        if (connective && (node.size() == 2 || !node.get(1).isTextual())) {
            if (node.size() != 2) throw shape(name + " takes exactly one operand", node);
            return connective(name, node.get(1), node, depth);
        }
        if (node.size() != 3 && node.size() != 4) throw shape("malformed filter", node);
        return condition(node);
    }

    private Filter connective(String name, JsonNode operand, JsonNode node, int depth) {
        if (name.equals("Not")) return new Filter.Not(filter(operand, depth + 1));
        if (!operand.isArray()) {
            throw new InvalidInputException(name + " expects an array of filters; got "
                    + Literals.compact(operand, 100) + " in " + where(node, 200));
        }
        List<Filter> children = new ArrayList<>(operand.size());
        for (JsonNode child : operand) children.add(filter(child, depth + 1));
        return name.equals("And") ? new Filter.And(children) : new Filter.Or(children);
    }

    private Filter condition(JsonNode node) {
        JsonNode attr = node.get(0);
        JsonNode opNode = node.get(1);
        if (!attr.isTextual()) {
            throw new InvalidInputException("filter attribute must be a string; got "
                    + Literals.compact(attr, 100) + " in " + where(node, 200));
        }
        if (!opNode.isTextual()) {
            throw new InvalidInputException("filter operator must be a string; got "
                    + Literals.compact(opNode, 100) + " in " + where(node, 200));
        }
        FilterOp op = FilterOp.fromWireName(opNode.textValue()).orElseThrow(() -> new InvalidInputException(
                "unknown filter operator '" + opNode.textValue() + "' in " + where(node, 200)
                        + "; expected one of " + FilterOp.wireNames()));
        try {
            return ConditionBuilder.build(attr.textValue(), op, node.get(2), node.get(3), schema, analyzer);
        } catch (FilterProblem p) {
            throw p.at("in " + where(node, 200));
        }
    }

    private static InvalidInputException shape(String problem, JsonNode node) {
        return new InvalidInputException(problem + " " + Literals.compact(node, 200) + "; " + SHAPES);
    }

    private static String where(JsonNode node, int max) {
        return Literals.compact(node, max);
    }
}
