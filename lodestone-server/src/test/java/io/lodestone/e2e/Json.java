package io.lodestone.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON and plain-HTTP helpers for the end-to-end tests: building request bodies, sending them with
 * {@link java.net.http.HttpClient}, and reading the answers.
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** An ordered map from alternating keys and values: {@code obj("a", 1, "b", List.of(2))}. */
    static Map<String, Object> obj(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) throw new IllegalArgumentException("odd number of arguments");
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** Serializes maps, lists, arrays, numbers, strings and booleans to JSON text. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + abbreviate(text), e);
        }
    }

    static ObjectNode object() { return MAPPER.createObjectNode(); }

    static ArrayNode array() { return MAPPER.createArrayNode(); }

    static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "...(" + s.length() + " chars)";
    }

    /** One HTTP answer: status, raw body, and the body as JSON when it is JSON (else null). */
    record Response(int status, String body, JsonNode json) {

        boolean ok() { return status / 100 == 2; }

        /** The {@code error} message of a {@code {"status":"error","error":"..."}} body, or "". */
        String error() {
            return json != null && json.path("error").isTextual() ? json.get("error").asText() : "";
        }

        @Override
        public String toString() { return status + " " + abbreviate(body); }
    }

    /** A tiny HTTP client bound to one base URL. */
    static final class Http implements AutoCloseable {
        private final HttpClient client;
        private final String baseUrl;
        private final Duration timeout;
        private final String apiKey;

        Http(String baseUrl) { this(baseUrl, Duration.ofSeconds(60)); }

        Http(String baseUrl, Duration timeout) { this(baseUrl, timeout, null, null); }

        /** Sends {@code Authorization: Bearer apiKey} with every request (none when null). */
        Http(String baseUrl, String apiKey) { this(baseUrl, Duration.ofSeconds(60), apiKey, null); }

        /** A client for an {@code https} base URL that trusts what {@code tls} trusts. */
        Http(String baseUrl, Duration timeout, SSLContext tls) { this(baseUrl, timeout, null, tls); }

        Http(String baseUrl, Duration timeout, String apiKey, SSLContext tlsOrNull) {
            this.baseUrl = baseUrl;
            this.timeout = timeout;
            this.apiKey = apiKey;
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5));
            if (tlsOrNull != null) builder.sslContext(tlsOrNull);
            this.client = builder.build();
        }

        String baseUrl() { return baseUrl; }

        @Override
        public void close() { client.close(); }

        /** POSTs a value serialized with {@link #write}; a String is sent as-is (raw JSON text). */
        Response post(String path, Object body) {
            String text = body instanceof String s ? s : write(body);
            return send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)));
        }

        /** PATCHes a value serialized with {@link #write}. */
        Response patch(String path, Object body) {
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8)));
        }

        Response get(String path) { return send(HttpRequest.newBuilder(uri(path)).GET()); }

        Response delete(String path) { return send(HttpRequest.newBuilder(uri(path)).DELETE()); }

        Response send(HttpRequest.Builder request) {
            try {
                if (apiKey != null) request.header("Authorization", "Bearer " + apiKey);
                HttpResponse<String> r = client.send(request.timeout(timeout).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return new Response(r.statusCode(), r.body(), tryParse(r.body()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /**
         * The path is used verbatim (no normalization, no encoding), so tests can send
         * {@code ..} or {@code %2F}.
         */
        URI uri(String path) { return URI.create(baseUrl + path); }
    }

    static JsonNode tryParse(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A float vector as a JSON-friendly list of floats. */
    static List<Float> vec(float[] v) {
        Float[] boxed = new Float[v.length];
        for (int i = 0; i < v.length; i++) boxed[i] = v[i];
        return List.of(boxed);
    }
}
