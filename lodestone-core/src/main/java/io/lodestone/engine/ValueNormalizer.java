package io.lodestone.engine;

import io.lodestone.doc.AttributeType;
import io.lodestone.doc.InvalidInputException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Converts raw attribute values (as JSON gives them) to the classes of an {@link AttributeType}, or infers a type. */
final class ValueNormalizer {
    private ValueNormalizer() {
    }

    /** The type a raw value implies, or null for an empty list (unknown element type). */
    static AttributeType infer(String attribute, Object v) {
        return switch (v) {
            case String s -> AttributeType.STRING;
            case Long l -> AttributeType.INT;
            case Integer i -> AttributeType.INT;
            case Double d -> AttributeType.FLOAT;
            case Float f -> AttributeType.FLOAT;
            case Boolean b -> AttributeType.BOOL;
            case UUID u -> AttributeType.UUID;
            case Instant t -> AttributeType.DATETIME;
            case List<?> list -> {
                for (Object e : list) {
                    if (e instanceof List<?>) throw new InvalidInputException("attribute '" + attribute + "': nested arrays are not supported");
                    if (e != null) yield infer(attribute, e).arrayOf();
                }
                yield null;
            }
            default -> throw new InvalidInputException("attribute '" + attribute + "' has unsupported value " + v);
        };
    }

    /** Converts {@code v} to {@code type}; throws naming attribute, type and value when it does not fit. */
    static Object normalize(String attribute, AttributeType type, Object v) {
        if (type.isArray()) {
            if (!(v instanceof List<?> list)) throw mismatch(attribute, type, v);
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                if (e == null) throw new InvalidInputException("attribute '" + attribute + "': array elements may not be null");
                out.add(normalize(attribute, type.elementType(), e));
            }
            return List.copyOf(out);
        }
        Object r = switch (type) {
            case STRING -> v instanceof String ? v : null;
            case INT -> integral(v);
            case UINT -> {
                Long l = integral(v);
                if (l != null && l < 0) {
                    throw new InvalidInputException("attribute '" + attribute + "' is uint; got negative value " + l);
                }
                yield l;
            }
            case FLOAT -> v instanceof Number n ? finite(attribute, n.doubleValue()) : null;
            case BOOL -> v instanceof Boolean ? v : null;
            case UUID -> uuid(v);
            case DATETIME -> datetime(v);
            default -> null;
        };
        if (r == null) throw mismatch(attribute, type, v);
        return r;
    }

    private static Long integral(Object v) {
        if (v instanceof Long l) return l;
        if (v instanceof Integer i) return i.longValue();
        return null;
    }

    private static Double finite(String attribute, double d) {
        if (!Double.isFinite(d)) throw new InvalidInputException("attribute '" + attribute + "' must be a finite number; got " + d);
        return d;
    }

    private static UUID uuid(Object v) {
        if (v instanceof UUID u) return u;
        if (v instanceof String s) {
            try {
                return UUID.fromString(s);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static Instant datetime(Object v) {
        if (v instanceof Instant t) return t;
        if (v instanceof Long ms) return Instant.ofEpochMilli(ms);
        if (!(v instanceof String s)) return null;
        // RFC 3339 with offset, then without (UTC), then a bare date (midnight UTC).
        for (Function<String, Instant> parser : DATETIME_PARSERS) {
            try {
                return parser.apply(s);
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return null;
    }

    private static final List<Function<String, Instant>> DATETIME_PARSERS = List.of(
            s -> OffsetDateTime.parse(s).toInstant(),
            s -> LocalDateTime.parse(s).toInstant(ZoneOffset.UTC),
            s -> LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC));

    private static InvalidInputException mismatch(String attribute, AttributeType type, Object v) {
        String shown = v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
        if (shown.length() > 80) shown = shown.substring(0, 77) + "...";
        return new InvalidInputException("attribute '" + attribute + "' has type " + type.wireName()
                + " in the schema; got " + shown);
    }
}
