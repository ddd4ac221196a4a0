package io.lodestone.filter;

import io.lodestone.doc.AttributeSource;
import io.lodestone.doc.DocId;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/** Normalizes the value of a {@link Filter.Condition} and evaluates the condition against a document. */
final class ConditionValues {

    private ConditionValues() {}

    /** The canonical form of a condition value; throws IllegalArgumentException when the operator cannot take it. */
    static Object normalize(String attribute, FilterOp op, Object value) {
        boolean isId = "id".equals(attribute);
        Object v = normalizeValue(value, isId);
        switch (op.positive()) {
            case EQ -> { }
            case IN, CONTAINS_ANY -> {
                if (!(v instanceof List<?>)) throw wrongValue(op, "a list", v);
            }
            case LT, LTE, GT, GTE, CONTAINS -> {
                if (v == null || v instanceof List<?>) throw wrongValue(op, "a single value", v);
            }
            case GLOB, IGLOB -> {
                boolean ci = op.positive() == FilterOp.IGLOB;
                if (v instanceof String s) return GlobPattern.compile(s, ci);
                if (!(v instanceof GlobPattern g)) throw wrongValue(op, "a glob string", v);
                return g.caseInsensitive() == ci ? g : GlobPattern.compile(g.glob(), ci);
            }
            case REGEX -> {
                if (v instanceof String s) return RegexPattern.compile(s);
                if (!(v instanceof RegexPattern)) throw wrongValue(op, "a regex string", v);
            }
            case CONTAINS_ALL_TOKENS, CONTAINS_ANY_TOKEN -> {
                if (v instanceof String s) return TokenQuery.of(attribute, s, false, TokenAnalyzer.standard());
                if (!(v instanceof TokenQuery q)) throw wrongValue(op, "a query string", v);
                return q.forAttribute(attribute);
            }
            default -> throw new IllegalStateException("unhandled operator " + op);
        }
        return v;
    }

    private static Object normalizeValue(Object value, boolean isId) {
        Object v = switch (value) {
            case null -> null;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Float f -> (double) f;
            default -> value;
        };
        return switch (v) {
            case null -> null;
            case Long l when isId -> DocId.of(l);
            case String s when isId -> DocId.of(s);
            case List<?> list -> {
                List<Object> copy = new ArrayList<>(list.size());
                for (Object e : list) copy.add(normalizeValue(e, isId));
                yield Collections.unmodifiableList(copy);
            }
            case String s -> s;
            case Long l -> l;
            case Double d -> d;
            case Boolean b -> b;
            case UUID u -> u;
            case Instant t -> t.truncatedTo(ChronoUnit.MILLIS); // datetimes have millisecond resolution
            case DocId id -> id;
            case GlobPattern g -> g;
            case RegexPattern r -> r;
            case TokenQuery q -> q;
            default -> throw new IllegalArgumentException("unsupported filter value " + v.getClass().getName());
        };
    }

    private static IllegalArgumentException wrongValue(FilterOp op, String expected, Object got) {
        return new IllegalArgumentException(op.wireName() + " expects " + expected + "; got " + got);
    }

    static boolean matches(Filter.Condition c, AttributeSource doc) {
        Object v = "id".equals(c.attribute()) ? doc.id() : doc.attribute(c.attribute());
        Object lit = c.value();
        boolean positive = switch (c.op().positive()) {
            case EQ -> Values.eq(v, lit);
            case IN -> in(v, (List<?>) lit);
            case LT -> ordered(v, lit, r -> r < 0);
            case LTE -> ordered(v, lit, r -> r <= 0);
            case GT -> ordered(v, lit, r -> r > 0);
            case GTE -> ordered(v, lit, r -> r >= 0);
            case CONTAINS -> contains(v, lit);
            case CONTAINS_ANY -> containsAny(v, (List<?>) lit);
            case GLOB, IGLOB -> anyString(v, ((GlobPattern) lit)::matches);
            case REGEX -> anyString(v, ((RegexPattern) lit)::find);
            case CONTAINS_ALL_TOKENS -> ((TokenQuery) lit).matchesAll(v);
            case CONTAINS_ANY_TOKEN -> ((TokenQuery) lit).matchesAny(v);
            default -> throw new IllegalStateException("unhandled operator " + c.op());
        };
        return positive != c.op().isNegated();
    }

    private static boolean in(Object v, List<?> candidates) {
        for (Object candidate : candidates) {
            if (Values.eq(v, candidate)) return true;
        }
        return false;
    }

    private static boolean ordered(Object v, Object lit, IntPredicate test) {
        if (v == null || v instanceof List<?>) return false;
        Integer c = Values.compare(v, lit);
        return c != null && test.test(c);
    }

    private static boolean contains(Object v, Object element) {
        if (!(v instanceof List<?> list)) return false;
        for (Object e : list) {
            if (Values.scalarEq(e, element)) return true;
        }
        return false;
    }

    private static boolean containsAny(Object v, List<?> elements) {
        for (Object e : elements) {
            if (contains(v, e)) return true;
        }
        return false;
    }

    /** A string value, or any string element of a list value, passes the test. */
    private static boolean anyString(Object v, Predicate<String> test) {
        if (v instanceof String s) return test.test(s);
        if (v instanceof List<?> list) {
            for (Object e : list) {
                if (e instanceof String s && test.test(s)) return true;
            }
        }
        return false;
    }
}
