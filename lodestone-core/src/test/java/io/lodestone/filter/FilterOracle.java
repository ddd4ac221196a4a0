package io.lodestone.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A slow reference evaluator for JSON filters, written independently of the filter package: numbers as
 * BigDecimal, strings ordered by their UTF-8 bytes. It covers strings, numbers, bools, arrays, the id and the
 * attribute no document has; for anything else (datetimes, UUIDs, patterns, tokens) it answers null.
 */
final class FilterOracle {

    private FilterOracle() {}

    /** Whether the document matches, or null when the filter uses something this oracle does not model. */
    static Boolean matches(JsonNode f, Document d) {
        String head = f.get(0).textValue();
        if (f.size() == 2) {
            if (head.equals("Not")) {
                Boolean inner = matches(f.get(1), d);
                return inner == null ? null : !inner;
            }
            boolean and = head.equals("And");
            Boolean result = and;
            for (JsonNode child : f.get(1)) {
                Boolean m = matches(child, d);
                if (m == null) return null;
                result = and ? result && m : result || m;
            }
            return result;
        }
        String op = f.get(1).textValue();
        if (head.equals("t") || head.equals("u") || op.contains("Glob") || op.equals("Regex") || op.contains("Token")) {
            return null;
        }
        Object value = head.equals("id") ? idModel(d.id()) : model(d.attribute(head));
        JsonNode lit = f.get(2);
        boolean negated = op.startsWith("Not");
        String positive = negated ? op.substring(3) : op;
        boolean m = switch (positive) {
            case "Eq" -> eq(value, lit);
            case "In" -> any(lit, e -> eq(value, e));
            case "Lt", "Lte", "Gt", "Gte" -> {
                Integer c = compare(value, lit);
                yield c != null && switch (positive) {
                    case "Lt" -> c < 0;
                    case "Lte" -> c <= 0;
                    case "Gt" -> c > 0;
                    default -> c >= 0;
                };
            }
            case "Contains" -> value instanceof List<?> l && l.stream().anyMatch(e -> eq(e, lit));
            case "ContainsAny" -> value instanceof List<?> l && any(lit, x -> l.stream().anyMatch(e -> eq(e, x)));
            default -> throw new IllegalStateException(op);
        };
        return m != negated;
    }

    private interface NodeTest { boolean test(JsonNode n); }

    private static boolean any(JsonNode list, NodeTest t) {
        for (JsonNode e : list) {
            if (t.test(e)) return true;
        }
        return false;
    }

    private static Object model(Object v) {
        if (v instanceof Long l) return new BigDecimal(l);
        if (v instanceof Double x) return new BigDecimal(x);
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object e : l) out.add(model(e));
            return out;
        }
        return v;
    }

    private static Object idModel(DocId id) {
        return id instanceof DocId.U64 u ? new BigDecimal(Long.toUnsignedString(u.value())) : "id:" + id;
    }

    private static Object literal(JsonNode n, Object like) {
        if (n.isNumber()) return like instanceof String s && s.startsWith("id:") ? null : n.decimalValue();
        if (n.isTextual()) return like instanceof String s && s.startsWith("id:") ? "id:" + n.textValue() : n.textValue();
        if (n.isBoolean()) return n.booleanValue();
        return null;
    }

    private static boolean eq(Object value, JsonNode lit) {
        if (lit.isNull()) return value == null;
        if (value == null) return false;
        if (lit.isArray()) {
            if (!(value instanceof List<?> l) || l.size() != lit.size()) return false;
            for (int k = 0; k < l.size(); k++) {
                if (!eq(l.get(k), lit.get(k))) return false;
            }
            return true;
        }
        if (value instanceof List<?>) return false;
        Integer c = compare(value, lit);
        return c != null && c == 0 || value instanceof Boolean b && lit.isBoolean() && b == lit.booleanValue();
    }

    private static Integer compare(Object value, JsonNode lit) {
        Object l = literal(lit, value);
        if (value instanceof BigDecimal a && l instanceof BigDecimal b) return a.compareTo(b);
        if (value instanceof String a && l instanceof String b) {
            return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }
}
