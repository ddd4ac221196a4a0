package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static io.lodestone.e2e.Json.obj;
import static io.lodestone.e2e.TestBadInput.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Hostile HTTP: inputs built to crash or hold the server (deep nesting, huge names and strings, zip bombs,
 * malformed or oversized request lines and headers, bodies that break off or trickle, slow loris). Each gets a
 * 4xx JSON error or a closed connection, promptly, and writes nothing. The server runs with small timeouts
 * (idle 2 s, request 3 s) so the liveness bounds (30 s) are generous.
 */
class TestHostileHttp {
    private static final String NS = "hostile";
    private static final long MAX_BODY_BYTES = 16L << 20;
    private static final int MAX_NAME = 20;
    private static final long MAX_VALUE_BYTES = 8L << 20;
    private static final int LIVENESS_MS = 30_000;

    @TempDir
    static Path root;
    static InProcessServer server;
    static final FreshHttp http = new FreshHttp();
    static JsonNode baseline;

    @BeforeAll
    static void start() {
        server = InProcessServer.start(root, Map.of(
                "LODESTONE_SERVER_MAX_BODY_BYTES", Long.toString(MAX_BODY_BYTES),
                "LODESTONE_SERVER_IDLE_TIMEOUT_SECONDS", "2",
                "LODESTONE_SERVER_REQUEST_TIMEOUT_SECONDS", "3",
                "LODESTONE_LIMITS_MAX_NAMESPACE_NAME_LENGTH", Integer.toString(MAX_NAME),
                "LODESTONE_LIMITS_MAX_ATTRIBUTE_VALUE_BYTES", Long.toString(MAX_VALUE_BYTES)));
        Json.Response r = http.post("/v2/namespaces/" + NS, obj("distance_metric", "cosine_distance",
                "upsert_rows", List.of(obj("id", 1, "vector", List.of(1, 0), "body", "hello world", "tag", "a"),
                        obj("id", 2, "vector", List.of(0, 1), "body", "goodbye world", "tag", "b"))));
        assertThat(r.status()).as("setup write: %s", r).isEqualTo(200);
        baseline = snapshot();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    // ------------------------------------------------------------------ bodies that used to give 500

    static Arguments[] hostileWrites() {
        String deep = "[".repeat(1_500) + "]".repeat(1_500);
        return new Arguments[] {
            arguments("JSON nested 1,500 levels", "{\"upsert_rows\": " + deep + "}", 400, List.of("nest", "256")),
            arguments("filter nested 1,000 levels", "{\"delete_by_filter\": " + "[\"Not\", ".repeat(1000) + "[\"tag\", \"Eq\", \"a\"]"
                    + "]".repeat(1000) + "}", 400, List.of("nest", "256")),
            arguments("100,000-character attribute name", rows("{\"id\": 9, \"vector\": [1, 1], \"" + "n".repeat(100_000) + "\": 1}"),
                    400, List.of("key", "1024", "name")),
            arguments("9 MiB string value", rows("{\"id\": 9, \"vector\": [1, 1], \"big\": \"" + "s".repeat(9 << 20) + "\"}"),
                    413, List.of("max_attribute_value_bytes")),
            arguments("2-byte characters: under the limit in characters, over it in bytes", rows("{\"id\": 9, \"vector\": [1, 1], \"big\": \""
                    + "é".repeat((4 << 20) + 1) + "\"}"), 413, List.of("max_attribute_value_bytes", "big")),
            arguments("array of strings over the value limit", rows("{\"id\": 9, \"vector\": [1, 1], \"big\": [\""
                    + "s".repeat(5 << 20) + "\", \"" + "s".repeat(5 << 20) + "\"]}"), 413, List.of("max_attribute_value_bytes", "big")),
            arguments("patch row over the value limit", "{\"patch_rows\": [{\"id\": 1, \"big\": [\"" + "s".repeat(5 << 20) + "\", \""
                    + "s".repeat(5 << 20) + "\"]}]}", 413, List.of("max_attribute_value_bytes")),
            arguments("patch_by_filter over the value limit", "{\"patch_by_filter\": {\"filters\": [\"tag\", \"Eq\", \"a\"], \"patch\": "
                    + "{\"big\": [\"" + "s".repeat(5 << 20) + "\", \"" + "s".repeat(5 << 20) + "\"]}}}", 413, List.of("max_attribute_value_bytes")),
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileWrites")
    void hostileWriteIsRefusedAndWritesNothing(String name, String body, int status, List<String> keywords) {
        Json.Response r = http.post("/v2/namespaces/" + NS, body);
        assertThat(r.status()).as("%s: %s", name, r).isEqualTo(status);
        assertError(r, keywords);
        assertThat(snapshot()).as("namespace unchanged after %s", name).isEqualTo(baseline);
        Json.Response vp = http.post("/namespaces/" + NS, body.replace("delete_by_filter", "deletes"));
        assertThat(vp.status()).as("VecPuff write, %s: %s", name, vp).isBetween(400, 499);
        assertThat(snapshot()).as("namespace unchanged after VecPuff %s", name).isEqualTo(baseline);
    }

    @Test
    void valueJustUnderTheLimitIsAccepted() {
        String ns = "value-limit-ok";
        Json.Response r = http.post("/v2/namespaces/" + ns, rows("{\"id\": 1, \"vector\": [1, 1], \"big\": \""
                + "s".repeat((int) MAX_VALUE_BYTES) + "\"}"));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(http.delete("/v2/namespaces/" + ns).status()).isEqualTo(200);
    }

    static Arguments[] hostileQueries() {
        return new Arguments[] {
            arguments("BM25 without its query string", obj("rank_by", List.of("body", "BM25")), List.of("bm25")),
            arguments("Sum of a BM25 without its query", obj("rank_by", List.of("Sum", List.of(List.of("body", "BM25")))), List.of("bm25")),
            arguments("Product of a bare string", obj("rank_by", List.of("Product", 2, "body")), List.of("rank_by")),
            arguments("Sum of a number", obj("rank_by", List.of("Sum", List.of(5))), List.of("rank_by")),
            arguments("filters nested 1,000 levels", "{\"filters\": " + "[\"Not\", ".repeat(1000) + "[\"tag\", \"Eq\", \"a\"]"
                    + "]".repeat(1000) + ", \"rank_by\": [\"id\", \"asc\"]}", List.of("nest", "256")),
            arguments("rank_by nested 1,000 levels", "{\"rank_by\": " + "[\"Sum\", [".repeat(1000) + "]]".repeat(1000) + "}",
                    List.of("nest", "256")),
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileQueries")
    void hostileQueryIs400(String name, Object body, List<String> keywords) {
        Json.Response r = http.post("/v2/namespaces/" + NS + "/query", body);
        assertThat(r.status()).as("%s: %s", name, r).isEqualTo(400);
        assertError(r, keywords);
    }

    @Test
    void listingWithAPathInThePrefixIs400() {
        for (String q : List.of("prefix=../", "prefix=..", "prefix=a/b", "cursor=../x", "prefix=" + "a".repeat(129))) {
            Json.Response r = http.get("/v1/namespaces?" + q);
            assertThat(r.status()).as("%s: %s", q, r).isEqualTo(400);
            assertError(r, List.of("prefix", "cursor"));
        }
        assertThat(http.get("/v1/namespaces?prefix=host").json().path("namespaces").toString()).contains(NS);
    }

    // ------------------------------------------------------------------ configured limits

    @Test
    void namespaceNameOverTheConfiguredLimitIsRefusedOnEveryRoute() {
        String name = "n".repeat(MAX_NAME + 1);
        String write = rows("{\"id\": 1, \"vector\": [1, 1]}");
        List<Json.Response> answers = List.of(
                http.post("/v2/namespaces/" + name, write),
                http.post("/v2/namespaces/" + name + "/query", obj("rank_by", List.of("id", "asc"))),
                http.get("/v2/namespaces/" + name + "/metadata"),
                http.get("/v1/namespaces/" + name + "/metadata"),
                http.get("/v1/namespaces/" + name + "/schema"),
                http.delete("/v2/namespaces/" + name),
                http.post("/namespaces/" + name, write),
                http.post("/namespaces/" + name + "/query", obj("top_k", 1)),
                http.get("/namespaces/" + name + "/metadata"),
                http.delete("/namespaces/" + name));
        for (Json.Response r : answers) {
            assertThat(r.status()).as("%s", r).isEqualTo(400);
            assertError(r, List.of("max_namespace_name_length"));
        }
        assertThat(http.get("/v1/namespaces?prefix=nnn").json().path("namespaces").toString()).doesNotContain(name);
        Json.Response ok = http.post("/v2/namespaces/" + "n".repeat(MAX_NAME), write);
        assertThat(ok.status()).as("a name of exactly the limit: %s", ok).isEqualTo(200);
        assertThat(http.delete("/v2/namespaces/" + "n".repeat(MAX_NAME)).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ content encodings

    @Test
    void gzipAndDeflateBodiesAreAccepted() throws IOException {
        String ns = "compressed";
        String body = rows("{\"id\": 1, \"vector\": [1, 0], \"t\": \"" + "x".repeat(10_000) + "\"}");
        assertThat(postEncoded("/v2/namespaces/" + ns, "gzip", gzip(body.getBytes(StandardCharsets.UTF_8))).status()).isEqualTo(200);
        String second = rows("{\"id\": 2, \"vector\": [0, 1]}");
        assertThat(postEncoded("/v2/namespaces/" + ns, "deflate", deflate(second.getBytes(StandardCharsets.UTF_8), false)).status())
                .isEqualTo(200);
        String third = rows("{\"id\": 3, \"vector\": [1, 1]}");
        assertThat(postEncoded("/v2/namespaces/" + ns, "deflate", deflate(third.getBytes(StandardCharsets.UTF_8), true)).status())
                .as("raw deflate").isEqualTo(200);
        Json.Response q = postEncoded("/v2/namespaces/" + ns + "/query", "gzip",
                gzip("{\"rank_by\": [\"id\", \"asc\"], \"top_k\": 10}".getBytes(StandardCharsets.UTF_8)));
        assertThat(q.status()).as("%s", q).isEqualTo(200);
        assertThat(q.json().path("rows").findValuesAsText("id")).containsExactly("1", "2", "3");
        assertThat(http.delete("/v2/namespaces/" + ns).status()).isEqualTo(200);
    }

    @Test
    void zipBombIs413AndUnknownEncodingIs415() throws IOException {
        String ns = "bomb";
        // 64 MiB of spaces inside a JSON string: about 64 KiB compressed, four times the body limit unpacked.
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(raw)) {
            gz.write("{\"upsert_rows\": [{\"id\": 1, \"vector\": [1, 1], \"t\": \"".getBytes(StandardCharsets.UTF_8));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 64; i++) gz.write(spaces);
            gz.write("\"}]}".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(raw.size()).isLessThan(1 << 20);
        Json.Response bomb = postEncoded("/v2/namespaces/" + ns, "gzip", raw.toByteArray());
        assertThat(bomb.status()).as("%s", bomb).isEqualTo(413);
        assertError(bomb, List.of("max_body_bytes", "max_attribute_value_bytes"));

        Json.Response br = postEncoded("/v2/namespaces/" + ns, "br", rows("{\"id\": 1, \"vector\": [1, 1]}").getBytes(StandardCharsets.UTF_8));
        assertThat(br.status()).as("%s", br).isEqualTo(415);
        assertError(br, List.of("br", "content-encoding"));

        Json.Response corrupt = postEncoded("/v2/namespaces/" + ns, "gzip", "not gzip at all".getBytes(StandardCharsets.UTF_8));
        assertThat(corrupt.status()).as("%s", corrupt).isEqualTo(400);
        assertError(corrupt, List.of("gzip"));
        try (Json.Http h = server.http()) {
            TestBadInput.assertAbsentOn(h, ns);
        }
    }

    private static Json.Response postEncoded(String path, String encoding, byte[] body) {
        return http.send(HttpRequest.newBuilder(http.uri(path))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", encoding)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            d.write(data);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ routing errors

    @Test
    void wrongMethodOnAKnownPathIs405WithAllow() throws IOException {
        RawHttp.Response r = exchange("GET /v2/namespaces/" + NS + "/query HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).as("%s", r).isEqualTo(405);
        assertThat(r.headers().get("allow")).isEqualTo("POST");
        assertError(r.json(), List.of("GET", "allowed"));
        RawHttp.Response put = exchange("PUT /v2/namespaces/" + NS + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(put.status()).as("%s", put).isEqualTo(405);
        assertThat(put.headers().get("allow")).isEqualTo("DELETE, POST");
        for (String path : List.of("/health", "/metrics")) {
            RawHttp.Response post = exchange("DELETE " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(post.status()).as("%s", post).isEqualTo(405);
            assertThat(post.headers().get("allow")).isEqualTo("GET");
        }
        RawHttp.Response missing = exchange("GET /no/such/route HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(missing.status()).isEqualTo(404);
        assertError(missing.json(), List.of("no route"));
        assertThat(snapshot()).isEqualTo(baseline);
    }

    // ------------------------------------------------------------------ protocol errors (raw sockets)

    static Arguments[] malformedRequests() {
        String body = rows("{\"id\": 7, \"vector\": [1, 1]}");
        return new Arguments[] {
            arguments("request line over 8 KiB (414)", "GET /v2/namespaces/" + NS + "/metadata?x=" + "a".repeat(9000)
                    + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
            arguments("headers over 16 KiB (431)", "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n", 431),
            arguments("not HTTP at all", "GARBAGE\r\n\r\n", 0),
            arguments("request line without a version", "GET /health\r\nHost: x\r\n\r\n", 0),
            arguments("request line with a space in the path", "GET /hea lth HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            arguments("path without a leading slash", "GET health HTTP/1.1\r\nHost: x\r\n\r\n", 0),
            arguments("bad HTTP version", "GET /health HTTP/9.9\r\nHost: x\r\n\r\n", 0),
            arguments("bad percent-encoding in the path", "POST /v2/namespaces/%zz HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body, 400),
            arguments("bad percent-encoding in the query", "GET /v1/namespaces?prefix=%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            arguments("header line without a colon", "GET /health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n", 400),
            arguments("invalid chunk size", "POST /v2/namespaces/" + NS + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "zz\r\n" + body + "\r\n0\r\n\r\n", 400),
            arguments("chunk shorter than its size", "POST /v2/namespaces/" + NS + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "ffff\r\n" + body + "\r\n0\r\n\r\n", 400),
            arguments("Content-Length not a number", "POST /v2/namespaces/" + NS + " HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"
                    + body, 400),
        };
    }

    /**
     * Each malformed request gets the expected 4xx with a JSON body, or (where {@code expected} is 0) any 4xx JSON
     * answer or a closed connection, within the liveness bound, and writes nothing.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void malformedRequestGetsJson4xxOrIsClosed(String name, String request, int expected) throws IOException {
        try (Socket s = socket()) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput();
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            if (expected != 0 || r != null) {
                assertThat(r).as("%s: a response, not a closed connection", name).isNotNull();
                if (expected != 0) assertThat(r.status()).as("%s: %s", name, r).isEqualTo(expected);
                assertError(r.json(), List.of());
            }
        }
        assertThat(snapshot()).as("namespace unchanged after %s", name).isEqualTo(baseline);
    }

    @Test
    void bodyShorterThanItsContentLengthIs400OrClosed() throws IOException {
        String body = rows("{\"id\": 8, \"vector\": [1, 1]}");
        String head = "POST /v2/namespaces/" + NS + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + (body.length() + 100) + "\r\n\r\n";
        // The client gives up sending (half-close): the server sees the end of the stream.
        try (Socket s = socket()) {
            s.getOutputStream().write((head + body).getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            if (r != null) {
                assertThat(r.status()).as("%s", r).isEqualTo(400);
                assertError(r.json(), List.of("body"));
            }
        }
        // The client stalls with the connection open: the idle timeout (2 s) ends it.
        long start = System.nanoTime();
        try (Socket s = socket()) {
            s.getOutputStream().write((head + body).getBytes(StandardCharsets.UTF_8));
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            if (r != null) assertThat(r.status()).as("%s", r).isBetween(400, 499);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(LIVENESS_MS);
        assertThat(snapshot()).isEqualTo(baseline);
    }

    /**
     * A large body, parsed as it streams in and malformed near its start: 400 with the JSON error while the client
     * is still sending the rest, and nothing written.
     */
    @Test
    void largeBodyMalformedEarlyIs400WhileStillArriving() throws Exception {
        String body = "{\"upsert_rows\": [{\"id\": 8, \"vector\": [1, 1]}, xyz" + " ".repeat(4 << 20) + "]}";
        String head = "POST /v2/namespaces/" + NS + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n";
        byte[] request = (head + body).getBytes(StandardCharsets.US_ASCII);
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < request.length; i += 64 * 1024) {
                        out.write(request, i, Math.min(64 * 1024, request.length - i));
                        Thread.sleep(1); // still arriving when the parser fails
                    }
                } catch (IOException | InterruptedException e) {
                    // the server may close the connection once it has answered
                }
            });
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            writer.join();
            assertThat(r).as("an answer, not a closed connection").isNotNull();
            assertThat(r.status()).as("%s", r).isEqualTo(400);
            assertError(r.json(), List.of("malformed JSON"));
        }
        assertThat(snapshot()).isEqualTo(baseline);
    }

    /**
     * A body refused part-way through (a key over the name limit, 100 KB before its end) is answered, and the
     * connection then serves the next request as a client's pool reuses it: the unread rest of the refused body is
     * never taken for the next request, and the answer is never lost to a reset.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v2/namespaces/", "/namespaces/"})
    void connectionServesTheNextRequestAfterABodyRefusedPartWay(String route) throws Exception {
        String refused = rows("{\"id\": 9, \"vector\": [1, 1], \"" + "n".repeat(100_000) + "\": 1}");
        String next = "{\"rank_by\": [\"id\", \"asc\"], \"top_k\": 1}";
        String request = "POST " + route + NS + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + refused.length() + "\r\n\r\n" + refused
                + "POST /v2/namespaces/" + NS + "/query HTTP/1.1\r\nHost: x\r\nContent-Length: " + next.length() + "\r\n\r\n" + next;
        for (int round = 0; round < 20; round++) {
            try (Socket s = socket()) {
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                RawHttp.Response first = RawHttp.read(s.getInputStream());
                assertThat(first).as("round %d: an answer, not a reset", round).isNotNull();
                assertThat(first.status()).as("%s", first).isEqualTo(400);
                assertError(first.json(), List.of("key", "1024"));
                RawHttp.Response second = RawHttp.read(s.getInputStream());
                if (second == null) {
                    assertThat(first.headers().get("connection")).as("round %d: closed without saying so", round).isEqualTo("close");
                } else {
                    assertThat(second.status()).as("round %d: the next request, not the rest of the refused body: %s", round, second)
                            .isEqualTo(200);
                }
            }
        }
        assertThat(snapshot()).isEqualTo(baseline);
    }

    /** A large body that stops arriving half-way is cut off by the request deadline. */
    @Test
    void largeBodyThatStallsIsCutOff() throws Exception {
        String body = rows("{\"id\": 9, \"vector\": [1, 1], \"t\": \"" + "t".repeat(1 << 20) + "\"}");
        String head = "POST /v2/namespaces/" + NS + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n";
        assertCutOff((head + body).getBytes(StandardCharsets.US_ASCII), head.length() + body.length() / 2);
    }

    @Test
    void slowLorisHeadersAreCutOff() throws Exception {
        byte[] request = ("POST /v2/namespaces/" + NS + " HTTP/1.1\r\nHost: x\r\nX-Padding: " + "p".repeat(200)
                + "\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII);
        int requestLine = new String(request, StandardCharsets.US_ASCII).indexOf("\r\n") + 2;
        assertCutOff(request, requestLine); // the request line at once, then the headers byte by byte
    }

    @Test
    void slowLorisRequestLineIsCutOff() throws Exception {
        byte[] request = ("GET /v2/namespaces/" + NS + "/metadata?" + "q".repeat(200) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertCutOff(request, 0);
    }

    @Test
    void tricklingBodyIsCutOff() throws Exception {
        String body = rows("{\"id\": 9, \"vector\": [1, 1], \"t\": \"" + "t".repeat(200) + "\"}");
        String head = "POST /v2/namespaces/" + NS + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n";
        assertCutOff((head + body).getBytes(StandardCharsets.US_ASCII), head.length());
    }

    /**
     * Sends {@code request}: the first {@code fast} bytes at once, the rest one byte every 100 ms (about 20 s or
     * more in all). The server must answer 4xx or close the connection well before the client is done.
     */
    private static void assertCutOff(byte[] request, int fast) throws Exception {
        AtomicInteger sent = new AtomicInteger();
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            out.write(request, 0, fast);
            out.flush();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = fast; i < request.length; i++) {
                        out.write(request[i]);
                        out.flush();
                        sent.incrementAndGet();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection: expected
                }
            });
            long start = System.nanoTime();
            InputStream in = s.getInputStream();
            RawHttp.Response r = RawHttp.read(in);
            if (r != null) {
                assertThat(r.status()).as("%s", r).isBetween(400, 499);
                assertError(r.json(), List.of());
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            writer.interrupt();
            writer.join();
            assertThat(ms).as("cut off within the liveness bound").isLessThan(LIVENESS_MS);
            assertThat(sent.get()).as("cut off before the whole request was sent").isLessThan(request.length - fast);
        }
        assertThat(snapshot()).isEqualTo(baseline);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Every request on a new connection: with the server's 2 s idle timeout, a pooled keep-alive connection could
     * be closed by the server just as the client reuses it.
     */
    static final class FreshHttp {
        Json.Response post(String path, Object body) {
            try (Json.Http h = server.http()) {
                return h.post(path, body);
            }
        }

        Json.Response get(String path) {
            try (Json.Http h = server.http()) {
                return h.get(path);
            }
        }

        Json.Response delete(String path) {
            try (Json.Http h = server.http()) {
                return h.delete(path);
            }
        }

        Json.Response send(HttpRequest.Builder request) {
            try (Json.Http h = server.http()) {
                return h.send(request);
            }
        }

        java.net.URI uri(String path) {
            return java.net.URI.create(server.baseUrl() + path);
        }
    }

    private static Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(LIVENESS_MS);
        return s;
    }

    private static RawHttp.Response exchange(String request) throws IOException {
        try (Socket s = socket()) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            assertThat(r).as("a response to %s", request.lines().findFirst().orElse("")).isNotNull();
            return r;
        }
    }

    private static String rows(String... rowJson) {
        return TestBadInput.rows(rowJson);
    }

    private static JsonNode snapshot() {
        Json.Response r = http.post("/v2/namespaces/" + NS + "/query",
                obj("rank_by", List.of("id", "asc"), "top_k", 100, "include_attributes", true));
        assertThat(r.status()).as("snapshot query: %s", r).isEqualTo(200);
        return r.json().path("rows");
    }
}
