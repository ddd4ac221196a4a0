package io.lodestone.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.POJONode;
import io.lodestone.doc.DocId;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.vector.VectorCodec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Converts JSON request values to Lodestone values: ids, vectors, raw attribute values. Every failure names where. */
public final class JsonValues {
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private JsonValues() {
    }

    /** A document id: unsigned 64-bit integer, UUID string or string of at most 64 bytes. */
    public static DocId id(JsonNode n, String where) {
        if (n == null || n.isNull() || n.isMissingNode()) throw new InvalidInputException(where + ": id is required");
        if (n.isTextual()) {
            try {
                return DocId.of(n.textValue());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(where + ": " + e.getMessage());
            }
        }
        if (n.isIntegralNumber()) {
            BigInteger v = n.bigIntegerValue();
            if (v.signum() < 0) throw new InvalidInputException(where + ": id must not be negative; got " + v);
            if (v.compareTo(U64_MAX) > 0) throw new InvalidInputException(where + ": id exceeds the unsigned 64-bit range; got " + v);
            return DocId.of(v.longValue());
        }
        if (n.isNumber()) {
            throw new InvalidInputException(where + ": id must be an integer, a UUID or a string; got " + n);
        }
        throw new InvalidInputException(where + ": id must be an unsigned integer, a UUID or a string; got " + abbreviate(n));
    }

    /**
     * A vector as a JSON array of numbers or a base64 string of little-endian float32; null when JSON null.
     * A {@link POJONode} holding a {@code float[]} is a vector a streaming reader already decoded and checked.
     */
    public static float[] vector(JsonNode n, String where) {
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n instanceof POJONode p && p.getPojo() instanceof float[] decoded) return decoded;
        float[] v;
        if (n.isTextual()) {
            try {
                v = VectorCodec.decodeBase64(n.textValue());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(where + ": vector is not valid base64 float32: " + e.getMessage());
            }
        } else if (n.isArray()) {
            v = new float[n.size()];
            for (int i = 0; i < v.length; i++) {
                JsonNode c = n.get(i);
                if (!c.isNumber()) throw new InvalidInputException(where + ": vector component " + i + " is not a number: " + abbreviate(c));
                double d = c.doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new InvalidInputException(where + ": vector component " + i + " is " + d + "; components must be finite");
                }
                if (Math.abs(d) > Float.MAX_VALUE) {
                    throw new InvalidInputException(where + ": vector component " + i + " = " + c + " overflows float32");
                }
                v[i] = (float) d;
            }
        } else {
            throw new InvalidInputException(where + ": vector must be an array of numbers or a base64 string; got " + abbreviate(n));
        }
        if (v.length == 0) throw new InvalidInputException(where + ": vector must not be empty");
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) throw new InvalidInputException(where + ": vector component " + i + " is " + v[i] + "; components must be finite");
        }
        return v;
    }

    /** A raw attribute value: String, Long, Double, Boolean, List or null. Objects are refused. */
    public static Object attribute(JsonNode n, String attribute) {
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return n.textValue();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) throw new InvalidInputException("attribute '" + attribute + "': integer " + n + " is out of the 64-bit range");
            return n.longValue();
        }
        if (n.isNumber()) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) throw new InvalidInputException("attribute '" + attribute + "' must be a finite number; got " + n);
            return d;
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>(n.size());
            for (JsonNode e : n) {
                if (e.isArray() || e.isObject()) {
                    throw new InvalidInputException("attribute '" + attribute + "': arrays may hold only scalars; got " + abbreviate(e));
                }
                if (e.isNull()) throw new InvalidInputException("attribute '" + attribute + "': array elements may not be null");
                out.add(attribute(e, attribute));
            }
            return out;
        }
        throw new InvalidInputException("attribute '" + attribute + "' is a " + n.getNodeType().name().toLowerCase()
                + "; attributes must be strings, numbers, booleans or arrays of them");
    }

    /** Short rendering of a node for error messages. */
    public static String abbreviate(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /** Requires an object node. */
    public static JsonNode object(JsonNode n, String what) {
        if (n == null || !n.isObject()) throw new InvalidInputException(what + " must be a JSON object; got " + (n == null ? "nothing" : abbreviate(n)));
        return n;
    }

    /** Requires an array node. */
    public static JsonNode array(JsonNode n, String what) {
        if (n == null || !n.isArray()) throw new InvalidInputException(what + " must be a JSON array; got " + (n == null ? "nothing" : abbreviate(n)));
        return n;
    }

    /** An integer in [min, max]. */
    public static int intIn(JsonNode n, String what, int min, int max) {
        if (n == null || !n.isIntegralNumber()) throw new InvalidInputException(what + " must be an integer; got " + (n == null ? "nothing" : abbreviate(n)));
        long v = n.canConvertToLong() ? n.longValue() : Long.MAX_VALUE;
        if (v < min || v > max) throw new InvalidInputException(what + " must be in [" + min + ", " + max + "]; got " + n);
        return (int) v;
    }

    /** A string node's text. */
    public static String string(JsonNode n, String what) {
        if (n == null || !n.isTextual()) throw new InvalidInputException(what + " must be a string; got " + (n == null ? "nothing" : abbreviate(n)));
        return n.asText();
    }

    /** A {@code page_size} query parameter: an integer in [1, 1000]. */
    public static int pageSize(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 1000) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("page_size must be an integer in [1, 1000]; got '" + abbreviate(JsonNodeFactory.instance.textNode(s)) + "'");
    }
}
