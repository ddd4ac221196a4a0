package io.lodestone.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.Schema;
import io.lodestone.doc.Unicode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Filter.Condition} from an attribute, an operator and a JSON literal, checking that the
 * operator suits the attribute's type and converting the literal to it. Shared by both parsers, so that JSON and
 * SQL filters get the same trees and the same errors; it throws {@link FilterProblem}s and the parser adds where.
 */
final class ConditionBuilder {

    private ConditionBuilder() {}

    static Filter.Condition build(String attribute, FilterOp op, JsonNode value, JsonNode options,
                                  Schema schema, TokenAnalyzer analyzer) {
        boolean lastAsPrefix = options(op, options);
        requireWellFormed(value);
        if ("id".equals(attribute)) return new Filter.Condition(attribute, op, idValue(op, value));
        AttributeSchema as = schema.get(attribute);
        if (as != null && !as.filterable() && !op.isToken()) {
            throw new FilterProblem("attribute '" + attribute + "' is not filterable",
                    "its schema sets filterable: false");
        }
        AttributeType type = as == null ? null : as.type();
        Literals.Target t = new Literals.Target(attribute, type);
        Object v = switch (op.positive()) {
            case EQ -> eqValue(t, value, op);
            case IN -> {
                List<Object> out = new ArrayList<>();
                for (JsonNode e : requireArray(op, value)) out.add(inElement(t, e, op));
                yield Collections.unmodifiableList(out);
            }
            case LT, LTE, GT, GTE -> ordered(t, requireValue(op, value), op);
            case CONTAINS -> element(t, requireValue(op, value), op);
            case CONTAINS_ANY -> {
                List<Object> out = new ArrayList<>();
                for (JsonNode e : requireArray(op, value)) out.add(element(t, e, op));
                yield Collections.unmodifiableList(out);
            }
            case GLOB, IGLOB -> glob(t, requireString(op, value, t), op);
            case REGEX -> regex(requireString(op, value, t));
            case CONTAINS_ALL_TOKENS, CONTAINS_ANY_TOKEN ->
                    TokenQuery.of(attribute, requireString(op, value, t), lastAsPrefix, analyzer);
            default -> throw new IllegalStateException("unhandled operator " + op);
        };
        return new Filter.Condition(attribute, op, v);
    }

    /** Reads the options object of a token operator (only {@code last_as_prefix}); returns last_as_prefix. */
    private static boolean options(FilterOp op, JsonNode options) {
        if (options == null) return false;
        if (!op.isToken()) {
            throw new FilterProblem(op.wireName() + " takes no options; got " + Literals.compact(options, 100),
                    "only ContainsAllTokens and ContainsAnyToken take an options object");
        }
        if (!options.isObject()) {
            throw new FilterProblem(op.wireName() + " options must be an object; got " + Literals.compact(options, 100));
        }
        boolean lastAsPrefix = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("last_as_prefix")) {
                throw new FilterProblem("unknown option '" + e.getKey() + "' for " + op.wireName(),
                        "expected last_as_prefix");
            }
            if (!e.getValue().isBoolean()) {
                throw new FilterProblem("last_as_prefix must be true or false; got " + Literals.compact(e.getValue(), 100));
            }
            lastAsPrefix = e.getValue().booleanValue();
        }
        return lastAsPrefix;
    }

    private static Object idValue(FilterOp op, JsonNode value) {
        Literals.Target t = new Literals.Target("id", null);
        return switch (op) {
            case EQ, NOT_EQ -> value.isNull() ? null : Literals.id(value, t);
            case IN, NOT_IN -> {
                List<Object> out = new ArrayList<>();
                for (JsonNode e : requireArray(op, value)) out.add(e.isNull() ? null : Literals.id(e, t));
                yield Collections.unmodifiableList(out);
            }
            case LT, LTE, GT, GTE -> Literals.id(requireValue(op, value), t);
            default -> throw new FilterProblem(op.wireName() + " is not supported on 'id'",
                    "id supports Eq, NotEq, In, NotIn, Lt, Lte, Gt and Gte");
        };
    }

    /** Eq/NotEq: null is "missing"; an array attribute compares whole arrays. */
    private static Object eqValue(Literals.Target t, JsonNode n, FilterOp op) {
        if (n.isNull()) return null;
        AttributeType type = t.declared();
        if (type == null) return Literals.inferred(n, t);
        if (!type.isArray()) return Literals.scalar(n, type, t);
        if (!n.isArray()) {
            throw new FilterProblem(op.wireName() + " on " + type.wireName() + " attribute '" + t.attribute()
                    + "' compares whole arrays and expects an array; got " + Literals.compact(n, 100),
                    "use Contains to test for one element");
        }
        List<Object> out = new ArrayList<>(n.size());
        for (JsonNode e : n) out.add(Literals.scalar(e, type.elementType(), t));
        return Collections.unmodifiableList(out);
    }

    private static Object inElement(Literals.Target t, JsonNode e, FilterOp op) {
        AttributeType type = t.declared();
        if (type != null && type.isArray() && !e.isArray() && !e.isNull()) {
            throw new FilterProblem(op.wireName() + " on " + type.wireName() + " attribute '" + t.attribute()
                    + "' expects an array of arrays; got element " + Literals.compact(e, 100),
                    "use ContainsAny to test for any element");
        }
        return eqValue(t, e, op);
    }

    private static Object ordered(Literals.Target t, JsonNode n, FilterOp op) {
        AttributeType type = t.declared();
        if (type != null && (type.isArray() || type == AttributeType.BOOL)) {
            throw new FilterProblem(op.wireName() + " is not supported on " + type.wireName()
                    + " attribute '" + t.attribute() + "'");
        }
        if (type == null && (n.isBoolean() || n.isArray() || n.isObject())) {
            throw new FilterProblem(op.wireName() + " cannot compare with " + Literals.describe(n),
                    "it orders numbers, strings, datetimes and UUIDs");
        }
        return Literals.scalar(n, type, t);
    }

    /** One element for Contains/ContainsAny: the attribute must be an array; the element is of its element type. */
    private static Object element(Literals.Target t, JsonNode n, FilterOp op) {
        AttributeType type = t.declared();
        if (type != null && !type.isArray()) {
            throw new FilterProblem(op.wireName() + " requires an array attribute; '" + t.attribute() + "' is "
                    + type.wireName(), op.positive() == FilterOp.CONTAINS ? "use Eq" : "use In");
        }
        if (n.isArray() || n.isObject()) throw t.mismatch(n, op.wireName() + " compares single elements");
        return Literals.scalar(n, type == null ? null : type.elementType(), t);
    }

    private static GlobPattern glob(Literals.Target t, String glob, FilterOp op) {
        try {
            return GlobPattern.compile(glob, op.positive() == FilterOp.IGLOB);
        } catch (IllegalArgumentException e) {
            throw new FilterProblem("invalid glob pattern " + quote(glob) + " (" + e.getMessage() + ")");
        }
    }

    private static RegexPattern regex(String source) {
        try {
            return RegexPattern.compile(source);
        } catch (IllegalArgumentException e) {
            throw new FilterProblem("invalid regex " + quote(source) + " (" + e.getMessage() + ")");
        }
    }

    private static JsonNode requireValue(FilterOp op, JsonNode n) {
        if (n.isNull()) throw new FilterProblem(op.wireName() + " expects a value; got null");
        return n;
    }

    private static JsonNode requireArray(FilterOp op, JsonNode n) {
        if (!n.isArray()) throw new FilterProblem(op.wireName() + " expects an array; got " + Literals.compact(n, 100));
        return n;
    }

    /** The string operand of a pattern or token operator, on a string or []string attribute. */
    private static String requireString(FilterOp op, JsonNode n, Literals.Target t) {
        AttributeType type = t.declared();
        if (type != null && type != AttributeType.STRING && type != AttributeType.STRING_ARRAY) {
            throw new FilterProblem(op.wireName() + " requires a string or []string attribute; '" + t.attribute()
                    + "' is " + type.wireName());
        }
        if (!n.isTextual()) throw new FilterProblem(op.wireName() + " expects a string; got " + Literals.compact(n, 100));
        return n.textValue();
    }

    /** String literals must be valid Unicode, as stored strings are: a lone surrogate could never match anything. */
    private static void requireWellFormed(JsonNode value) {
        if (value == null) return;
        if (value.isTextual() && Unicode.unpairedSurrogate(value.textValue()) >= 0) {
            throw new FilterProblem("string " + Unicode.shown(value.textValue()) + " is not valid Unicode "
                    + "(unpaired UTF-16 surrogate at index " + Unicode.unpairedSurrogate(value.textValue()) + ")");
        }
        for (JsonNode e : value) requireWellFormed(e);
    }

    private static String quote(String s) {
        return TextNode.valueOf(s).toString();
    }
}
