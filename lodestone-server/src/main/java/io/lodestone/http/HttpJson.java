package io.lodestone.http;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lodestone.doc.InvalidInputException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reading JSON request bodies (size-, depth- and time-limited, gzip-aware, strict) and writing JSON responses. */
public final class HttpJson {
    /** Deepest nesting of arrays and objects in a request body: room for filters nested to their own limit (64). */
    public static final int MAX_NESTING_DEPTH = 256;
    /** Longest object key, in characters, the parser accepts (attribute names are limited further by the engine). */
    public static final int MAX_NAME_CHARS = 1024;

    /** Strict writer; also the parser for trusted JSON. */
    public static final ObjectMapper MAPPER = mapper(StreamReadConstraints.defaults());

    private static final Map<ServerLimits, ObjectMapper> BODY_MAPPERS = new ConcurrentHashMap<>();

    private HttpJson() {
    }

    /** Accepts NaN/Infinity tokens only so that the error can say which component is not finite. */
    private static ObjectMapper mapper(StreamReadConstraints constraints) {
        return JsonMapper.builder(new VectorJsonFactory(new JsonFactoryBuilder().streamReadConstraints(constraints)))
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * The parser for request bodies under {@code limits}: nesting depth {@value #MAX_NESTING_DEPTH}, keys of at most
     * {@value #MAX_NAME_CHARS} characters, and strings no longer than an attribute value or a base64 vector may be.
     */
    private static ObjectMapper bodyMapper(ServerLimits limits) {
        return BODY_MAPPERS.computeIfAbsent(limits, l -> {
            long base64Vector = 4L * ((4L * l.maxDimensions() + 2) / 3);
            long maxString = Math.min(Integer.MAX_VALUE, Math.max(l.maxAttributeValueBytes(), base64Vector));
            return mapper(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNameLength(MAX_NAME_CHARS)
                    .maxStringLength((int) maxString)
                    .maxDocumentLength(l.maxBodyBytes())
                    .build());
        });
    }

    /** Reads a JSON value from a streaming parser over the request body. */
    @FunctionalInterface
    public interface BodyReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /**
     * The request body as a JSON tree: 400 when empty or malformed or nested too deep, 413 when over
     * {@code server.max_body_bytes} or holding a string longer than an attribute value may be, 415 for an unknown
     * Content-Encoding, 408 when it trickles in for longer than {@code server.request_timeout_seconds}.
     */
    public static JsonNode body(ServerRequest req, ServerLimits limits) {
        return body(req, limits, parser -> {
            JsonNode n = parser.readValueAsTree();
            if (n == null || n.isMissingNode()) throw new InvalidInputException("request body is empty; expected a JSON object");
            if (parser.nextToken() != null) throw new InvalidInputException("malformed JSON: trailing content after the request body's JSON value");
            return n;
        });
    }

    /**
     * The request body read by {@code reader} from a streaming parser over the decompressed, size-limited body
     * (never copied whole into memory); the same errors as {@link #body(ServerRequest, ServerLimits)}.
     */
    public static <T> T body(ServerRequest req, ServerLimits limits, BodyReader<T> reader) {
        try (InputStream in = RequestBody.open(req, limits.maxBodyBytes(), limits.requestTimeout());
             JsonParser parser = bodyMapper(limits).createParser(in)) {
            return reader.read(parser);
        } catch (StreamConstraintsException e) {
            throw constraint(e, limits);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidInputException("malformed JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new InvalidInputException("could not read the request body: " + e.getMessage());
        }
    }

    /** The limit a parser constraint stands for, named in a 400 (shape) or 413 (size). */
    private static RuntimeException constraint(StreamConstraintsException e, ServerLimits limits) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("nesting depth")) {
            return new InvalidInputException("JSON nested deeper than the limit of " + MAX_NESTING_DEPTH + " levels");
        }
        if (m.startsWith("Name length")) {
            return new InvalidInputException("JSON object key longer than the limit of " + MAX_NAME_CHARS + " characters");
        }
        if (m.startsWith("String value length")) {
            return new PayloadTooLargeException("a JSON string in the request is longer than an attribute value may be: "
                    + limits.maxAttributeValueBytes() + " bytes (limits.max_attribute_value_bytes)");
        }
        if (m.startsWith("Document length")) return new PayloadTooLargeException(-1, limits.maxBodyBytes());
        return new InvalidInputException("JSON request body over a parser limit: " + m);
    }

    public static void send(ServerResponse res, Status status, JsonNode body) {
        try {
            res.status(status);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render response", e);
        }
    }

    public static void ok(ServerResponse res, JsonNode body) {
        send(res, Status.OK_200, body);
    }
}
