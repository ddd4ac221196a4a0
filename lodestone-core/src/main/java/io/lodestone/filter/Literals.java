package io.lodestone.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Converts JSON literals to filter values of an attribute's type, with errors that name the attribute. */
final class Literals {

    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
    private static final String DATETIME_HINT = "expected an ISO-8601 date or date-time such as 2024-03-01, "
            + "2024-03-01T12:00:00 (UTC) or 2024-03-01T12:00:00+02:00, or epoch milliseconds";

    private Literals() {}

    /** The attribute a literal is compared with; {@code declared} is null for an attribute not in the schema. */
    record Target(String attribute, AttributeType declared) {
        String label() {
            return "filter on '" + attribute + "'" + (declared == null ? "" : " (" + declared.wireName() + ")");
        }

        FilterProblem mismatch(JsonNode n, String hint) {
            return new FilterProblem(label() + " cannot compare with " + describe(n), hint);
        }
    }

    /** A non-null literal of scalar {@code type}, or of the literal's own JSON type when {@code type} is null. */
    static Object scalar(JsonNode n, AttributeType type, Target t) {
        if (n.isNull()) throw t.mismatch(n, null);
        if (type == null) return inferred(n, t);
        return switch (type) {
            case STRING -> {
                if (!n.isTextual()) throw t.mismatch(n, null);
                yield n.textValue();
            }
            case INT, UINT -> integer(n, t);
            case FLOAT -> {
                if (!n.isNumber()) throw t.mismatch(n, null);
                yield finiteDouble(n, t);
            }
            case BOOL -> {
                if (!n.isBoolean()) throw t.mismatch(n, null);
                yield n.booleanValue();
            }
            case UUID -> uuid(n, t);
            case DATETIME -> datetime(n, t);
            default -> throw new IllegalStateException("not a scalar type: " + type);
        };
    }

    /** A literal converted by its JSON type: string, Long, Double, Boolean, null, or a list of those. */
    static Object inferred(JsonNode n, Target t) {
        if (n.isNull()) return null;
        if (n.isTextual()) return n.textValue();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) throw t.mismatch(n, "integers must fit in 64 bits");
            return n.longValue();
        }
        if (n.isNumber()) return finiteDouble(n, t);
        if (n.isArray()) {
            List<Object> out = new ArrayList<>(n.size());
            for (JsonNode e : n) out.add(inferred(e, t));
            return Collections.unmodifiableList(out);
        }
        throw t.mismatch(n, null);
    }

    /** A document id literal: an unsigned 64-bit number or a string (a UUID string becomes a UUID id). */
    static DocId id(JsonNode n, Target t) {
        if (n.isIntegralNumber()) {
            BigInteger b = n.bigIntegerValue();
            if (b.signum() < 0 || b.compareTo(TWO_TO_64) >= 0) {
                throw t.mismatch(n, "numeric ids are unsigned 64-bit integers");
            }
            return DocId.of(b.longValue());
        }
        if (n.isTextual()) {
            try {
                return DocId.of(n.textValue());
            } catch (IllegalArgumentException e) {
                throw t.mismatch(n, e.getMessage());
            }
        }
        throw t.mismatch(n, "ids are unsigned 64-bit integers, UUIDs or strings");
    }

    private static Object integer(JsonNode n, Target t) {
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) throw t.mismatch(n, "integers must fit in 64 bits");
            return n.longValue();
        }
        if (!n.isNumber()) throw t.mismatch(n, null);
        double d = finiteDouble(n, t);
        // A whole number becomes a Long; any other keeps its exact value and compares numerically.
        if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) return (long) d;
        return d;
    }

    private static double finiteDouble(JsonNode n, Target t) {
        double d = n.doubleValue();
        if (!Double.isFinite(d)) throw t.mismatch(n, "numbers must be finite");
        return d;
    }

    private static UUID uuid(JsonNode n, Target t) {
        String s = n.isTextual() ? n.textValue() : null;
        if (s == null || s.length() != 36) throw t.mismatch(n, "expected a UUID such as 3d7a7296-3d6a-4796-8fb0-f90406b1f621");
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw t.mismatch(n, "expected a UUID such as 3d7a7296-3d6a-4796-8fb0-f90406b1f621");
        }
    }

    private static Instant datetime(JsonNode n, Target t) {
        if (n.isIntegralNumber() && n.canConvertToLong()) return Instant.ofEpochMilli(n.longValue());
        if (!n.isTextual()) throw t.mismatch(n, DATETIME_HINT);
        Instant parsed = parseDatetime(n.textValue());
        if (parsed == null) throw t.mismatch(n, DATETIME_HINT);
        return parsed;
    }

    /**
     * Parses an RFC 3339 / ISO-8601 date or date-time, truncated to milliseconds (turbopuffer's resolution).
     * A date means midnight UTC, a date-time without offset means UTC, and a space may separate date and time.
     * Returns null when the text is neither.
     */
    static Instant parseDatetime(String text) {
        String s = text.length() > 10 && text.charAt(10) == ' '
                ? text.substring(0, 10) + 'T' + text.substring(11) : text;
        try {
            if (s.length() <= 10) {
                return LocalDate.parse(s, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            TemporalAccessor ta = DateTimeFormatter.ISO_DATE_TIME.parseBest(s, ZonedDateTime::from, LocalDateTime::from);
            Instant instant = ta instanceof ZonedDateTime z ? z.toInstant() : ((LocalDateTime) ta).toInstant(ZoneOffset.UTC);
            return instant.truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A literal for messages: its JSON kind and text, e.g. {@code string "abc"}, cut at 100 characters. */
    static String describe(JsonNode n) {
        String kind = switch (n.getNodeType()) {
            case STRING -> "string ";
            case NUMBER -> "number ";
            case BOOLEAN -> "bool ";
            case ARRAY -> "array ";
            case OBJECT -> "object ";
            case NULL -> "";
            default -> "value ";
        };
        return kind + compact(n, 100);
    }

    /**
     * Compact JSON text of a node, cut at {@code max} characters with an ellipsis. Writes only about {@code max}
     * characters, so a huge or deeply nested node costs nothing extra.
     */
    static String compact(JsonNode n, int max) {
        StringBuilder sb = new StringBuilder();
        write(n, sb, max);
        return sb.length() <= max ? sb.toString() : sb.substring(0, max) + "…";
    }

    private static void write(JsonNode n, StringBuilder sb, int max) {
        if (sb.length() > max) return;
        if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size() && sb.length() <= max; i++) {
                if (i > 0) sb.append(',');
                write(n.get(i), sb, max);
            }
            sb.append(']');
        } else if (n.isObject()) {
            sb.append('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext() && sb.length() <= max; ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) sb.append(',');
                first = false;
                sb.append(TextNode.valueOf(e.getKey())).append(':');
                write(e.getValue(), sb, max);
            }
            sb.append('}');
        } else {
            sb.append(n); // scalars: their JSON text
        }
    }
}
