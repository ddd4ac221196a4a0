package io.lodestone.http.tpuf;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.http.HttpJson;
import io.lodestone.http.PlainStringParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads a write body from a streaming parser into the tree {@link WriteParser} validates, except that each
 * well-formed {@code vector} of {@code upsert_rows}, {@code patch_rows}, {@code upsert_columns} and
 * {@code patch_columns} is decoded straight into a {@code float[]} (held by a {@link POJONode}) instead of a
 * node per number: JSON numbers are rounded once to the nearest float32, exactly as {@link Float#parseFloat}
 * rounds ({@link FastFloat} for the common shapes, {@code Float.parseFloat} for the rest), base64 strings are
 * read as little-endian float32. A vector the fast path would not accept as it is (a non-number
 * component, a value that is not finite as a float, bad base64, an empty vector) is kept as the JSON it was,
 * so {@link io.lodestone.http.JsonValues#vector} refuses it with the same message as for any tree.
 * One instance per body: it keeps scratch buffers between vectors.
 */
public final class WriteBodyReader {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Subtrees are read one at a time mid-stream, so trailing tokens are checked once, for the whole body. */
    private static final ObjectReader TREE = HttpJson.MAPPER.readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Longest number text read by {@link FastFloat}; longer ones (far more digits than a float holds) go to the exact parser. */
    private static final int MAX_FAST_NUMBER_BYTES = 64;

    private final JsonParser p;
    private final byte[] numberBytes = new byte[MAX_FAST_NUMBER_BYTES];
    private float[] floats = new float[1024];
    private byte[] scratchBase64 = new byte[0];
    private byte[] scratchBytes = new byte[0];

    private WriteBodyReader(JsonParser p) {
        this.p = p;
    }

    /**
     * The whole body as a tree for {@link WriteParser#parse}, with vectors pre-decoded.
     *
     * @throws InvalidInputException when the body is empty
     * @throws IOException           when the JSON is malformed or has trailing tokens
     */
    public static JsonNode read(JsonParser p) throws IOException {
        return new WriteBodyReader(p).body();
    }

    /**
     * A reader of rows one at a time from {@code p} (JSON Lines: a row per line), each as {@link #row()} reads it;
     * it keeps scratch buffers from row to row.
     */
    public static WriteBodyReader rows(JsonParser p) {
        return new WriteBodyReader(p);
    }

    /**
     * The row object the parser is on (its START_OBJECT) as a tree for {@link WriteParser#row}, its vector
     * pre-decoded; the parser ends on the row's END_OBJECT.
     */
    public ObjectNode row() throws IOException {
        return object(this::rowField);
    }

    private JsonNode body() throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) throw new InvalidInputException("request body is empty; expected a JSON object");
        JsonNode body = first == JsonToken.START_OBJECT ? object(this::topLevelField) : tree();
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
            throw MismatchedInputException.from(p, JsonNode.class, "Trailing token (of type " + trailing
                    + ") found after value (bound as `" + JsonNode.class.getName()
                    + "`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
        }
        return body;
    }

    /** Reads the value of one field; the parser is on the value's first token. */
    private interface FieldReader {
        JsonNode read(String name) throws IOException;
    }

    /** An object whose values {@code field} reads; the parser is on its START_OBJECT and ends on its END_OBJECT. */
    private ObjectNode object(FieldReader field) throws IOException {
        ObjectNode o = F.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            o.set(name, field.read(name));
        }
        return o;
    }

    private JsonNode topLevelField(String name) throws IOException {
        return switch (name) {
            case "upsert_rows", "patch_rows" -> p.currentToken() == JsonToken.START_ARRAY ? rows() : tree();
            case "upsert_columns", "patch_columns" -> p.currentToken() == JsonToken.START_OBJECT ? object(this::columnField) : tree();
            default -> tree();
        };
    }

    private ArrayNode rows() throws IOException {
        ArrayNode rows = F.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            rows.add(p.currentToken() == JsonToken.START_OBJECT ? row() : tree());
        }
        return rows;
    }

    private JsonNode rowField(String name) throws IOException {
        return name.equals("vector") ? vector() : tree();
    }

    private JsonNode columnField(String name) throws IOException {
        if (!name.equals("vector") || p.currentToken() != JsonToken.START_ARRAY) return tree();
        ArrayNode vectors = F.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) vectors.add(vector());
        return vectors;
    }

    private JsonNode vector() throws IOException {
        return switch (p.currentToken()) {
            case START_ARRAY -> floatArray();
            case VALUE_STRING -> base64Vector();
            default -> tree();
        };
    }

    /**
     * A JSON array of numbers, each parsed once as a correctly rounded float: straight from the parser's input
     * bytes when the whole array is plain numbers in {@link FastFloat}'s shape (as good as every vector), else
     * token by token.
     */
    private JsonNode floatArray() throws IOException {
        if (p instanceof PlainStringParser plain) {
            float[] v = plain.readNumberArray(this::fastFloats);
            if (v != null) return new POJONode(v);
        }
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                float f = fastFloat(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                if (Float.isNaN(f)) f = exactFloat(p.getText());
                if (Float.isFinite(f)) {
                    if (n == floats.length) floats = Arrays.copyOf(floats, n * 2);
                    floats[n++] = f;
                    continue;
                }
            }
            return asTree(n);
        }
        return n == 0 ? F.arrayNode() : new POJONode(Arrays.copyOf(floats, n));
    }

    /**
     * The floats of {@code length} bytes of comma-separated JSON numbers, or null unless {@link FastFloat} reads
     * every one ({@link FastFloat#parseList}): anything else is left to the token-by-token reading, whose values
     * and errors are then exactly as before.
     */
    private float[] fastFloats(byte[] text, int offset, int length) {
        int room = (length + 1) / 2;
        if (floats.length < room) floats = new float[Math.max(room, floats.length * 2)];
        int n = FastFloat.parseList(text, offset, offset + length, floats, MAX_FAST_NUMBER_BYTES);
        return n < 0 ? null : Arrays.copyOf(floats, n);
    }

    /** {@link FastFloat} on a number token's characters (ASCII: digits, signs, a point, an exponent). */
    private float fastFloat(char[] text, int offset, int length) {
        if (length > MAX_FAST_NUMBER_BYTES) return FastFloat.NOT_FAST;
        for (int i = 0; i < length; i++) numberBytes[i] = (byte) text[offset + i];
        return FastFloat.parse(numberBytes, 0, length);
    }

    /**
     * The correctly rounded float of a number token's text. Not {@link JsonParser#getFloatValue}: that would
     * leave the token typed as a float, and a fallback tree would then show the rounded value, not the text.
     */
    private static float exactFloat(String text) {
        try {
            return Float.parseFloat(text);
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }

    /** The array so far (n accepted components, then the current token) and the rest of it, as plain JSON. */
    private ArrayNode asTree(int n) throws IOException {
        ArrayNode a = F.arrayNode(n + 1);
        for (int i = 0; i < n; i++) a.add(floats[i]);
        a.add(tree());
        while (p.nextToken() != JsonToken.END_ARRAY) a.add(tree());
        return a;
    }

    /**
     * Base64 of little-endian float32. A plain string (as good as every one) is decoded straight from the parser's
     * input bytes; one with escapes or other characters from its text.
     */
    private JsonNode base64Vector() throws IOException {
        if (p instanceof PlainStringParser plain) {
            JsonNode v = plain.readPlainString((bytes, offset, length) -> {
                float[] floats = base64Floats(bytes, offset, length);
                return floats != null ? new POJONode(floats) : TextNode.valueOf(new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
            });
            if (v != null) return v;
        }
        String text = p.getText();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) return TextNode.valueOf(text);
        }
        byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1);
        float[] floats = base64Floats(ascii, 0, ascii.length);
        return floats != null ? new POJONode(floats) : TextNode.valueOf(text);
    }

    /**
     * The finite floats {@code length} base64 characters encode, or null when they are not valid base64 of finite
     * float32s. The characters and their bytes pass through scratch arrays kept between vectors (all of a body's
     * vectors usually have one length), so the only allocation per vector is its {@code float[]}.
     */
    private float[] base64Floats(byte[] base64, int offset, int length) {
        if (scratchBase64.length != length) scratchBase64 = new byte[length];
        System.arraycopy(base64, offset, scratchBase64, 0, length);
        int max = length / 4 * 3 + 2;
        if (scratchBytes.length < max) scratchBytes = new byte[max];
        int n;
        try {
            n = Base64.getDecoder().decode(scratchBase64, scratchBytes);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (n == 0 || n % Float.BYTES != 0) return null;
        float[] v = new float[n / Float.BYTES];
        ByteBuffer.wrap(scratchBytes, 0, n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        for (float f : v) {
            if (!Float.isFinite(f)) return null;
        }
        return v;
    }

    private JsonNode tree() throws IOException {
        return TREE.readTree(p);
    }
}
