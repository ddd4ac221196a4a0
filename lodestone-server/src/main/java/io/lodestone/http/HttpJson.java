package io.lodestone.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Reading JSON request bodies (size-limited, gzip-aware, strict) and writing JSON responses. */
public final class HttpJson {
    /** Strict parser; accepts NaN/Infinity tokens only so that the error can say which component is not finite. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private HttpJson() {
    }

    /** Reads a JSON value from a streaming parser over the request body. */
    @FunctionalInterface
    public interface BodyReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /** The request body as a JSON tree; 400 when empty or malformed, 413 when over {@code maxBytes}. */
    public static JsonNode body(ServerRequest req, long maxBytes) {
        return body(req, maxBytes, parser -> {
            JsonNode n = MAPPER.readTree(parser);
            if (n == null || n.isMissingNode()) throw new InvalidInputException("request body is empty; expected a JSON object");
            return n;
        });
    }

    /** The request body read by {@code reader}; 400 when empty or malformed, 413 when over {@code maxBytes}. */
    public static <T> T body(ServerRequest req, long maxBytes, BodyReader<T> reader) {
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > maxBytes) throw new PayloadTooLargeException(declared, maxBytes);
        byte[] bytes;
        try (InputStream raw = req.content().inputStream()) {
            boolean gzip = req.headers().first(HeaderNames.CONTENT_ENCODING).map(v -> v.equalsIgnoreCase("gzip")).orElse(false);
            bytes = readLimited(gzip ? new GZIPInputStream(raw) : raw, maxBytes);
        } catch (IOException e) {
            throw new InvalidInputException("could not read the request body: " + e.getMessage());
        }
        if (bytes.length == 0) throw new InvalidInputException("request body is empty; expected a JSON object");
        try (JsonParser parser = MAPPER.createParser(bytes)) {
            return reader.read(parser);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("malformed JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new InvalidInputException("could not read the request body: " + e.getMessage());
        }
    }

    private static byte[] readLimited(InputStream in, long maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > maxBytes) throw new PayloadTooLargeException(total, maxBytes);
            out.write(buf, 0, n);
        }
        return out.toByteArray();
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
