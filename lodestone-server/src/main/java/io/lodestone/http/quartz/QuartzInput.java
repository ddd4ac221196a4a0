package io.lodestone.http.quartz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.http.HttpJson;
import io.lodestone.http.JsonValues;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** QuartzDB's request validation (its {@code validation.rs}): ids, vectors, metadata, k and keys. */
final class QuartzInput {
    static final int MAX_ID_LENGTH = 256;
    static final int MAX_DIMENSIONS = 4096;
    static final int MAX_METADATA_BYTES = 32 * 1024;
    static final int MAX_SEARCH_K = 1000;
    static final int MAX_KEY_LENGTH = 512;
    static final int MAX_BATCH = 100;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]+");

    private QuartzInput() {
    }

    /** A vector id: 1 to 256 characters of {@code [A-Za-z0-9_-]}. */
    static String vectorId(String id) {
        if (id.isEmpty()) throw new InvalidInputException("Validation error: Vector ID cannot be empty");
        if (id.length() > MAX_ID_LENGTH) {
            throw new InvalidInputException("Validation error: Vector ID too long (max " + MAX_ID_LENGTH + " chars)");
        }
        if (!ID.matcher(id).matches()) {
            throw new InvalidInputException("Validation error: Vector ID must be alphanumeric (plus _ and -)");
        }
        return id;
    }

    /** The id field of a body, validated. */
    static String vectorId(JsonNode body, String where) {
        JsonNode id = body.get("id");
        if (id == null || !id.isTextual()) throw new InvalidInputException("Validation error: Missing or invalid 'id' field" + where);
        return vectorId(id.textValue());
    }

    /** A vector: a JSON array of 1 to 4096 finite numbers. */
    static float[] vector(JsonNode n, String where) {
        if (n == null || n.isNull()) throw new InvalidInputException("Validation error: Missing 'vector' field" + where);
        if (!n.isArray()) throw new InvalidInputException("Validation error: Invalid vector format" + where + ": expected an array of numbers");
        if (n.isEmpty()) throw new InvalidInputException("Validation error: Vector cannot be empty" + where);
        if (n.size() > MAX_DIMENSIONS) {
            throw new InvalidInputException("Validation error: Vector too large (max " + MAX_DIMENSIONS + " dimensions)" + where);
        }
        return JsonValues.vector(n, "Validation error" + where);
    }

    /** Metadata: absent or null (null returned), or a JSON object of at most 32 KB as compact JSON text. */
    static String metadata(JsonNode n, String where) {
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) throw new InvalidInputException("Validation error: Metadata must be a JSON object" + where);
        String text;
        try {
            text = HttpJson.MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("Validation error: Invalid metadata JSON" + where + ": " + e.getOriginalMessage());
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
            throw new InvalidInputException("Validation error: Metadata too large (max " + MAX_METADATA_BYTES + " bytes)" + where);
        }
        return text;
    }

    /** Stored metadata text back as the JSON it was (null when none). */
    static JsonNode metadataJson(Object stored) {
        if (!(stored instanceof String text)) return null;
        try {
            return HttpJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** k of a search: absent or null means 10; else an integer in [1, 1000]. */
    static int k(JsonNode n) {
        if (n == null || n.isNull()) return 10;
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw new InvalidInputException("Invalid JSON body: k must be an integer; got " + JsonValues.abbreviate(n));
        long k = n.longValue();
        if (k < 1) throw new InvalidInputException("Validation error: k must be at least 1");
        if (k > MAX_SEARCH_K) throw new InvalidInputException("Validation error: k too large (max " + MAX_SEARCH_K + ")");
        return (int) k;
    }

    /** A key-value key: 1 to 512 characters. */
    static String key(String key) {
        if (key == null || key.isEmpty()) throw new InvalidInputException("Key cannot be empty");
        if (key.length() > MAX_KEY_LENGTH) throw new InvalidInputException("Key too long (max " + MAX_KEY_LENGTH + " chars)");
        return key;
    }

    /** A string field of a body. */
    static String string(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual()) {
            throw new InvalidInputException("Invalid JSON body: '" + field + "' must be a string; got " + (n == null ? "nothing" : JsonValues.abbreviate(n)));
        }
        return n.textValue();
    }
}
