package io.lodestone.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.lodestone.doc.DocId;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * How filter values compare and how they are written as JSON. Values are the classes of
 * {@link io.lodestone.doc.AttributeType} plus {@link DocId} for the {@code id} attribute.
 */
final class Values {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Values() {}

    /**
     * Eq semantics: a null literal matches a missing value; lists equal lists of the same length whose elements
     * are equal in order; a list never equals a scalar.
     */
    static boolean eq(Object value, Object literal) {
        if (literal == null) return value == null;
        if (value == null) return false;
        if (value instanceof List<?> a && literal instanceof List<?> b) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) {
                if (!scalarEq(a.get(i), b.get(i))) return false;
            }
            return true;
        }
        if (value instanceof List<?> || literal instanceof List<?>) return false;
        return scalarEq(value, literal);
    }

    /** Equality of two scalars: numbers by numeric value (Long and Double mixed), datetimes by millisecond. */
    static boolean scalarEq(Object a, Object b) {
        if (a == null || b == null) return a == b;
        if (a instanceof Number x && b instanceof Number y) {
            Integer c = compareNumbers(x, y);
            return c != null && c == 0;
        }
        if (a instanceof Instant x && b instanceof Instant y) return x.toEpochMilli() == y.toEpochMilli();
        return a.equals(b);
    }

    /**
     * Order of two scalars of the same kind, or null when they are not ordered (different kinds, NaN, bools,
     * ids of different kinds). Strings compare by code point (the order of their UTF-8 bytes), datetimes by
     * millisecond, UUIDs as unsigned 128-bit numbers.
     */
    static Integer compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return compareNumbers(x, y);
        if (a instanceof String x && b instanceof String y) return compareCodePoints(x, y);
        if (a instanceof Instant x && b instanceof Instant y) return Long.compare(x.toEpochMilli(), y.toEpochMilli());
        if (a instanceof UUID x && b instanceof UUID y) {
            int c = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
            return c != 0 ? c : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
        }
        if (a instanceof DocId x && b instanceof DocId y && x.getClass() == y.getClass()) return x.compareTo(y);
        return null;
    }

    static Integer compareNumbers(Number x, Number y) {
        boolean xi = isIntegral(x);
        boolean yi = isIntegral(y);
        boolean xf = x instanceof Double || x instanceof Float;
        boolean yf = y instanceof Double || y instanceof Float;
        if (xi && yi) return Long.compare(x.longValue(), y.longValue());
        if (xi && yf) return compareLongDouble(x.longValue(), y.doubleValue());
        if (xf && yi) {
            Integer c = compareLongDouble(y.longValue(), x.doubleValue());
            return c == null ? null : -c;
        }
        if (xf && yf) {
            double a = x.doubleValue();
            double b = y.doubleValue();
            if (Double.isNaN(a) || Double.isNaN(b)) return null;
            return a < b ? -1 : a > b ? 1 : 0;
        }
        try { // other Number classes (BigInteger, BigDecimal) never come from parsing; compare them exactly
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        } catch (NumberFormatException notFinite) {
            return null;
        }
    }

    /** Exact comparison of a long with a double (no rounding of the long to a double). */
    static Integer compareLongDouble(long l, double d) {
        if (Double.isNaN(d)) return null;
        if (d >= 0x1p63) return -1;
        if (d < -0x1p63) return 1;
        long whole = (long) d; // exact: |d| < 2^63, and truncation drops only a fraction
        if (l != whole) return Long.compare(l, whole);
        double fraction = d - whole;
        return fraction > 0 ? -1 : fraction < 0 ? 1 : 0;
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) return Integer.compare(x, y);
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** The canonical JSON literal of a value, as {@link FilterParser} reads it back. */
    static JsonNode toJson(Object v) {
        return switch (v) {
            case null -> JSON.nullNode();
            case String s -> JSON.textNode(s);
            case Long l -> JSON.numberNode(l);
            case Double d -> JSON.numberNode(d);
            case Boolean b -> JSON.booleanNode(b);
            case UUID u -> JSON.textNode(u.toString());
            case Instant t -> JSON.textNode(t.toString());
            case DocId.U64 u -> u.value() >= 0 ? JSON.numberNode(u.value())
                    : JSON.numberNode(new BigInteger(Long.toUnsignedString(u.value())));
            case DocId id -> JSON.textNode(id.toString());
            case GlobPattern g -> JSON.textNode(g.glob());
            case RegexPattern r -> JSON.textNode(r.source());
            case TokenQuery q -> JSON.textNode(q.text());
            case List<?> list -> {
                ArrayNode a = JSON.arrayNode(list.size());
                for (Object e : list) a.add(toJson(e));
                yield a;
            }
            default -> throw new IllegalStateException("not a filter value: " + v.getClass().getName());
        };
    }
}
