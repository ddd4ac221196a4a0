package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.lodestone.e2e.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Bad requests over plain HTTP. Each one must get a 4xx with a JSON body
 * {@code {"status":"error","error":"..."}} whose message names the problem, and must leave no
 * trace: the target namespace reads back exactly as before, or still does not exist.
 *
 * <p>"Names the problem" is checked loosely: the message must contain (case-insensitively) at least
 * one of a few words, e.g. {@code dim} for a dimension mismatch, or the offending field, operator
 * or value.
 */
class TestBadInput {

    private static final String NS = "bad-input";
    private static final String WRITE = "/v2/namespaces/" + NS;
    private static final String QUERY = WRITE + "/query";
    private static final int DIM = 4;
    /** The largest vector dimension Lodestone accepts. */
    private static final int MAX_DIMS = 10_752;
    /** The request body limit this test configures ({@code [server] max_body_bytes}). */
    private static final long MAX_BODY_BYTES = 1 << 20;
    /** The largest top_k Lodestone accepts (the durability test reads pages of up to this). */
    private static final int MAX_TOP_K = 10_000;

    @TempDir
    static Path root;

    static InProcessServer server;
    static Json.Http http;
    /** The namespace as it reads back after setup; every case must leave it exactly so. */
    static JsonNode baseline;

    @BeforeAll
    static void start() {
        server = InProcessServer.start(root, Map.of("LODESTONE_SERVER_MAX_BODY_BYTES", Long.toString(MAX_BODY_BYTES)));
        http = server.http();
        Json.Response r = http.post(WRITE, obj(
                "distance_metric", "cosine_distance",
                "schema", obj("score", obj("type", "int"), "category", obj("type", "string")),
                "upsert_rows", List.of(
                        obj("id", 1, "vector", List.of(1, 0, 0, 0), "score", 10, "category", "tech"),
                        obj("id", 2, "vector", List.of(0, 1, 0, 0), "score", 20, "category", "art"),
                        obj("id", "doc-3", "vector", List.of(0, 0, 1, 0), "score", 30, "category", "art"))));
        assertThat(r.status()).as("setup write: %s", r).isEqualTo(200);
        baseline = snapshot();
        assertThat(baseline.size()).isEqualTo(3);
    }

    @AfterAll
    static void stop() {
        if (http != null) http.close();
        if (server != null) server.close();
    }

    // ------------------------------------------------------------------ writes to an existing namespace

    static Stream<Arguments> badWrites() {
        String ok = "{\"id\": 50, \"vector\": [0.1, 0.2, 0.3, 0.4]}";
        return Stream.of(
                arguments("malformed JSON", "{\"upsert_rows\": [{\"id\": 1,", List.of("json", "malformed", "parse")),
                arguments("truncated string", "{\"upsert_rows\": [{\"id\": \"abc", List.of("json", "malformed", "parse")),
                arguments("empty body", "", List.of("empty", "body", "json")),
                arguments("whitespace body", "   ", List.of("empty", "body", "json")),
                arguments("body is an array", "[" + ok + "]", List.of("object")),
                arguments("body is a string", "\"upsert_rows\"", List.of("object")),
                arguments("body is a number", "42", List.of("object")),
                arguments("body is null", "null", List.of("object", "null", "empty")),
                arguments("trailing garbage", "{\"upsert_rows\": [" + ok + "]} xyz", List.of("json", "malformed", "parse", "trailing")),
                arguments("unknown top-level field", "{\"upsert_rowz\": [" + ok + "]}", List.of("upsert_rowz")),
                arguments("upsert_rows not an array", "{\"upsert_rows\": " + ok + "}", List.of("upsert_rows", "array")),
                arguments("row not an object", "{\"upsert_rows\": [[50, [0.1, 0.2, 0.3, 0.4]]]}", List.of("row", "object")),
                arguments("wrong dimension", rows("{\"id\": 50, \"vector\": [0.1, 0.2, 0.3]}"), List.of("dim")),
                arguments("NaN token", rows("{\"id\": 50, \"vector\": [NaN, 0.2, 0.3, 0.4]}"), List.of("nan", "finite", "json", "number")),
                arguments("Infinity token", rows("{\"id\": 50, \"vector\": [Infinity, 0.2, 0.3, 0.4]}"), List.of("infinity", "finite", "json", "number")),
                arguments("-Infinity token", rows("{\"id\": 50, \"vector\": [0.1, -Infinity, 0.3, 0.4]}"), List.of("infinity", "finite", "json", "number")),
                arguments("float32 overflow 1e39", rows("{\"id\": 50, \"vector\": [1e39, 0.2, 0.3, 0.4]}"),
                        List.of("finite", "float", "range", "overflow", "1e39", "1.0e39", "infinit")),
                arguments("float32 overflow -3.5e38", rows("{\"id\": 50, \"vector\": [0.1, 0.2, -3.5e38, 0.4]}"),
                        List.of("finite", "float", "range", "overflow", "3.5e38", "infinit")),
                arguments("vector component is a string", rows("{\"id\": 50, \"vector\": [\"0.1\", 0.2, 0.3, 0.4]}"), List.of("vector", "number")),
                arguments("empty vector", rows("{\"id\": 50, \"vector\": []}"), List.of("vector", "empty", "dim")),
                arguments("id too long (65 bytes)", rows("{\"id\": \"" + "x".repeat(65) + "\", \"vector\": [0.1, 0.2, 0.3, 0.4]}"), List.of("id")),
                arguments("id too long (33 two-byte chars = 66 bytes)", rows("{\"id\": \"" + "é".repeat(33) + "\", \"vector\": [0.1, 0.2, 0.3, 0.4]}"), List.of("id")),
                arguments("id empty string", rows("{\"id\": \"\", \"vector\": [0.1, 0.2, 0.3, 0.4]}"), List.of("id")),
                arguments("id negative", rows("{\"id\": -1, \"vector\": [0.1, 0.2, 0.3, 0.4]}"), List.of("id")),
                arguments("id fractional", rows("{\"id\": 1.5, \"vector\": [0.1, 0.2, 0.3, 0.4]}"), List.of("id")),
                arguments("id above u64", rows("{\"id\": 18446744073709551616, \"vector\": [0.1, 0.2, 0.3, 0.4]}"), List.of("id")),
                arguments("id object", rows("{\"id\": {\"a\": 1}, \"vector\": [0.1, 0.2, 0.3, 0.4]}"), List.of("id")),
                arguments("id array", rows("{\"id\": [1], \"vector\": [0.1, 0.2, 0.3, 0.4]}"), List.of("id")),
                arguments("id boolean", rows("{\"id\": true, \"vector\": [0.1, 0.2, 0.3, 0.4]}"), List.of("id")),
                arguments("id null", rows("{\"id\": null, \"vector\": [0.1, 0.2, 0.3, 0.4]}"), List.of("id")),
                arguments("id missing", rows("{\"vector\": [0.1, 0.2, 0.3, 0.4], \"score\": 5}"), List.of("id")),
                arguments("attribute contradicts schema (int)", rows("{\"id\": 50, \"vector\": [0.1, 0.2, 0.3, 0.4], \"score\": \"high\"}"), List.of("score")),
                arguments("attribute contradicts schema (string)", rows("{\"id\": 50, \"vector\": [0.1, 0.2, 0.3, 0.4], \"category\": 5}"), List.of("category")),
                arguments("one bad row in a batch (dimension)", rows(ok,
                        "{\"id\": 51, \"vector\": [0.5, 0.5, 0.5, 0.5]}",
                        "{\"id\": 52, \"vector\": [0.5, 0.5]}"), List.of("dim")),
                arguments("one bad row in a batch (id)", rows(ok,
                        "{\"id\": -52, \"vector\": [0.5, 0.5, 0.5, 0.5]}",
                        "{\"id\": 53, \"vector\": [0.5, 0.5, 0.5, 0.5]}"), List.of("id")),
                arguments("bad row plus a valid delete", "{\"deletes\": [1, 2], \"upsert_rows\": [{\"id\": 54, \"vector\": [1]}]}", List.of("dim")),
                arguments("unknown metric", "{\"distance_metric\": \"manhattan\", \"upsert_rows\": [" + ok + "]}",
                        List.of("manhattan", "distance_metric", "metric")),
                arguments("upsert_columns of unequal length", "{\"upsert_columns\": {\"id\": [60, 61], \"vector\": [[0.1, 0.2, 0.3, 0.4]]}}",
                        List.of("length", "column", "vector")),
                arguments("bad delete id", "{\"deletes\": [1, -5]}", List.of("id")),
                arguments("malformed delete_by_filter", "{\"delete_by_filter\": [\"score\", \"Eq\"]}", List.of("filter")),
                arguments("unknown operator in delete_by_filter", "{\"delete_by_filter\": [\"score\", \"Between\", [1, 2]]}", List.of("between")),
                arguments("id with a lone surrogate", rows("{\"id\": \"a\\ud800b\", \"vector\": [0.1, 0.2, 0.3, 0.4]}"), List.of("unicode", "surrogate")),
                arguments("delete id with a lone surrogate", "{\"deletes\": [\"\\udc00\"]}", List.of("unicode", "surrogate")),
                arguments("string value with a lone surrogate", rows("{\"id\": 50, \"category\": \"x\\ud800\"}"), List.of("unicode", "surrogate")),
                arguments("array element with a lone surrogate", rows("{\"id\": 50, \"tags\": [\"ok\", \"\\udbff\"]}"), List.of("unicode", "surrogate")),
                arguments("attribute name with a lone surrogate", rows("{\"id\": 50, \"a\\ud800\": 1}"), List.of("unicode", "surrogate")),
                arguments("attribute name of 129 UTF-8 bytes", rows("{\"id\": 50, \"x" + "é".repeat(64) + "\": 1}"), List.of("128")),
                arguments("257 attribute names", rows(wideRow(257)), List.of("256")),
                arguments("all-zero vector on a cosine namespace", rows("{\"id\": 50, \"vector\": [0, 0, 0, 0]}"), List.of("zero")),
                arguments("unknown index type", "{\"index\": {\"type\": \"ivf\"}, \"upsert_rows\": [" + ok + "]}",
                        List.of("index.type", "hnsw", "clustered")),
                arguments("an HNSW setting on the clustered index", "{\"index\": {\"type\": \"clustered\", \"m\": 8}, \"upsert_rows\": ["
                        + ok + "]}", List.of("index.m", "hnsw")));
    }

    /** A row with {@code n} distinct attribute names. */
    private static String wideRow(int n) {
        StringBuilder sb = new StringBuilder("{\"id\": 50");
        for (int i = 0; i < n; i++) sb.append(", \"attr_").append(i).append("\": ").append(i);
        return sb.append('}').toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badWrites")
    void badWriteIsRefusedAndWritesNothing(String name, String body, List<String> keywords) {
        Json.Response r = http.post(WRITE, body);
        assertError(r, keywords);
        assertThat(snapshot()).as("namespace unchanged after %s", name).isEqualTo(baseline);
    }

    // ------------------------------------------------------------------ writes that would create a namespace

    static Stream<Arguments> badFirstWrites() {
        String big = "[" + String.join(", ", Collections.nCopies(MAX_DIMS + 1, "0.5")) + "]";
        return Stream.of(
                arguments("more than 10,752 dims", rows("{\"id\": 1, \"vector\": " + big + "}"), List.of("10752", "10,752", "dim")),
                arguments("NaN in the first write", rows("{\"id\": 1, \"vector\": [NaN, 1]}"), List.of("nan", "finite", "json", "number")),
                arguments("empty vector in the first write", rows("{\"id\": 1, \"vector\": []}"), List.of("vector", "empty", "dim")),
                arguments("rows of different dimensions", rows("{\"id\": 1, \"vector\": [1, 2]}", "{\"id\": 2, \"vector\": [1, 2, 3]}"), List.of("dim")),
                arguments("same attribute with two types", rows("{\"id\": 1, \"vector\": [1, 2], \"x\": 1}", "{\"id\": 2, \"vector\": [1, 2], \"x\": \"one\"}"), List.of("x", "type")),
                arguments("unknown metric", "{\"distance_metric\": \"angular\", \"upsert_rows\": [{\"id\": 1, \"vector\": [1, 2]}]}", List.of("angular", "distance_metric", "metric")),
                arguments("unknown schema type", "{\"schema\": {\"x\": {\"type\": \"decimal\"}}, \"upsert_rows\": [{\"id\": 1, \"vector\": [1, 2], \"x\": 1}]}", List.of("decimal", "type")),
                arguments("attribute contradicts declared schema", "{\"schema\": {\"x\": {\"type\": \"datetime\"}}, \"upsert_rows\": [{\"id\": 1, \"vector\": [1, 2], \"x\": \"not a date\"}]}", List.of("x", "datetime")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFirstWrites")
    void badFirstWriteCreatesNoNamespace(String name, String body, List<String> keywords) {
        String ns = "bad-first-" + name.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT);
        Set<String> before = namespaces();
        Json.Response r = http.post("/v2/namespaces/" + ns, body);
        assertError(r, keywords);
        assertAbsent(ns);
        assertThat(namespaces()).isEqualTo(before);
    }

    @Test
    void limitsThemselvesAreAccepted() {
        // Exactly 10,752 dims, a 64-byte id and a 128-character namespace name are all fine.
        String ns = "limits-" + "n".repeat(121);
        assertThat(ns).hasSize(128);
        String vector = "[" + String.join(", ", Collections.nCopies(MAX_DIMS, "0.25")) + "]";
        Json.Response r = http.post("/v2/namespaces/" + ns, rows(
                "{\"id\": \"" + "x".repeat(64) + "\", \"vector\": " + vector + "}",
                "{\"id\": 18446744073709551615, \"vector\": " + vector + "}"));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        Json.Response q = http.post("/v2/namespaces/" + ns + "/query",
                obj("rank_by", List.of("id", "asc"), "top_k", MAX_TOP_K));
        assertThat(q.status()).as("%s", q).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        q.json().path("rows").forEach(row -> ids.add(row.get("id").asText()));
        assertThat(ids).containsExactlyInAnyOrder("x".repeat(64), "18446744073709551615");
        assertThat(http.delete("/v2/namespaces/" + ns).status()).isEqualTo(200);

        Json.Response odd = http.post("/v2/namespaces/Ab-_.9", rows("{\"id\": 1, \"vector\": [1, 2]}"));
        assertThat(odd.status()).as("name with every allowed kind of character: %s", odd).isEqualTo(200);
        assertThat(http.delete("/v2/namespaces/Ab-_.9").status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ queries

    static Stream<Arguments> badQueries() {
        return Stream.of(
                arguments("unknown filter operator", q("filters", List.of("score", "Between", List.of(1, 2))), List.of("between")),
                arguments("filter missing its value", q("filters", List.of("score", "Eq")), List.of("filter")),
                arguments("filter is an object", q("filters", obj("score", 1)), List.of("filter")),
                arguments("filter is a number", q("filters", 42), List.of("filter")),
                arguments("And without a list", q("filters", List.of("And", "x")), List.of("filter", "and")),
                arguments("Not of nothing", q("filters", List.of("Not")), List.of("filter", "not")),
                arguments("unknown logical operator", q("filters", List.of("Xor", List.of(List.of("score", "Eq", 1)))), List.of("xor", "filter")),
                arguments("string filter: dangling AND", q("filters", "category = 'tech' AND"), sqlWords()),
                arguments("string filter: bad operator", q("filters", "score >>= 4"), sqlWords()),
                arguments("string filter: unterminated string", q("filters", "category = 'tech"), sqlWords()),
                arguments("string filter: unbalanced parenthesis", q("filters", "(score > 1 OR category = 'art'"), sqlWords()),
                arguments("top_k zero", q("top_k", 0), List.of("top_k")),
                arguments("top_k negative", q("top_k", -1), List.of("top_k")),
                arguments("top_k over the limit", q("top_k", MAX_TOP_K + 1), List.of("top_k", "10000", "10,000")),
                arguments("top_k fractional", q("top_k", 2.5), List.of("top_k")),
                arguments("top_k a string", q("top_k", "10"), List.of("top_k")),
                arguments("query vector of wrong dimension", obj("rank_by", List.of("vector", "ANN", List.of(1, 0, 0)), "top_k", 2), List.of("dim")),
                arguments("kNN vector of wrong dimension", obj("rank_by", List.of("vector", "kNN", List.of(1, 0, 0, 0, 0)), "top_k", 2), List.of("dim")),
                arguments("query vector with a string", obj("rank_by", List.of("vector", "ANN", List.of(1, 0, "x", 0)), "top_k", 2), List.of("vector", "number")),
                arguments("unknown ranking function", obj("rank_by", List.of("vector", "XYZ", List.of(1, 0, 0, 0)), "top_k", 2), List.of("xyz", "rank_by")),
                arguments("rank_by not an array", obj("rank_by", "id", "top_k", 2), List.of("rank_by")),
                arguments("unknown distance metric", obj("rank_by", List.of("vector", "ANN", List.of(1, 0, 0, 0)), "top_k", 2, "distance_metric", "hamming"), List.of("hamming", "metric")),
                arguments("unknown query field", obj("rank_by", List.of("id", "asc"), "top_kk", 2), List.of("top_kk")),
                arguments("malformed JSON", "{\"top_k\": ", List.of("json", "malformed", "parse")),
                arguments("query body not an object", "[1, 2]", List.of("object")),
                arguments("all-zero query vector on a cosine namespace", obj("rank_by", List.of("vector", "ANN", List.of(0, 0, 0, 0)), "top_k", 2), List.of("zero")),
                arguments("regex with lookahead", q("filters", List.of("category", "Regex", "a(?=b)")), List.of("lookahead")),
                arguments("regex with a backreference", q("filters", List.of("category", "Regex", "(a)\\1")), List.of("backreference")),
                arguments("filter string with a lone surrogate", "{\"rank_by\": [\"id\", \"asc\"], \"filters\": [\"category\", \"Eq\", \"\\ud800\"]}",
                        List.of("unicode", "surrogate")));
    }

    private static List<String> sqlWords() {
        return List.of("filter", "syntax", "parse", "unexpected", "expected", "unterminated");
    }

    /** A valid attribute-ordered query with one field replaced. */
    private static Map<String, Object> q(String key, Object value) {
        Map<String, Object> m = obj("rank_by", List.of("id", "asc"), "top_k", 10);
        m.put(key, value);
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badQueries")
    void badQueryIsRefused(String name, Object body, List<String> keywords) {
        assertError(http.post(QUERY, body), keywords);
        assertThat(snapshot()).as("namespace unchanged after %s", name).isEqualTo(baseline);
    }

    /** Patterns that take exponential time in a backtracking engine answer at once (generous liveness bound). */
    @Test
    void catastrophicGlobAndRegexAnswerPromptly() {
        String ns = "catastrophic";
        assertThat(http.post("/v2/namespaces/" + ns, rows("{\"id\": 1, \"s\": \"" + "a".repeat(41) + "\"}")).status()).isEqualTo(200);
        String glob = "*a".repeat(30) + "*b";
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
            for (List<Object> filter : List.of(List.<Object>of("s", "Glob", glob), List.<Object>of("s", "Regex", "^(a+)+$b"),
                    List.<Object>of("s", "Regex", "^(a|aa)*b"))) {
                Json.Response r = http.post("/v2/namespaces/" + ns + "/query", obj("rank_by", List.of("id", "asc"), "filters", filter));
                assertThat(r.status()).as("%s: %s", filter, r).isEqualTo(200);
                assertThat(r.json().path("rows").size()).as("%s", filter).isZero();
            }
        });
        assertThat(http.delete("/v2/namespaces/" + ns).status()).isEqualTo(200);
    }

    @Test
    void missingNamespaceIs404() {
        Json.Response query = http.post("/v2/namespaces/does-not-exist/query", obj("rank_by", List.of("id", "asc"), "top_k", 1));
        assertThat(query.status()).as("%s", query).isEqualTo(404);
        assertError(query, List.of("does-not-exist", "not found", "namespace"));
        for (Json.Response r : List.of(
                http.get("/v2/namespaces/does-not-exist/metadata"),
                http.get("/v1/namespaces/does-not-exist/metadata"),
                http.delete("/v2/namespaces/does-not-exist"))) {
            assertThat(r.status()).as("%s", r).isEqualTo(404);
            assertError(r, List.of("does-not-exist", "not found", "namespace"));
        }
        assertAbsent("does-not-exist");
    }

    // ------------------------------------------------------------------ namespace names

    static Stream<Arguments> badNamespacePaths() {
        return Stream.of(
                arguments("empty name", "/v2/namespaces/", List.of()),
                arguments("empty name before /query", "/v2/namespaces//query", List.of()),
                arguments("129 characters", "/v2/namespaces/" + "a".repeat(129), List.of("namespace", "128", "long")),
                arguments("space", "/v2/namespaces/bad%20name", List.of("namespace")),
                arguments("dollar", "/v2/namespaces/bad$name", List.of("namespace")),
                arguments("colon", "/v2/namespaces/bad:name", List.of("namespace")),
                arguments("asterisk", "/v2/namespaces/bad*name", List.of("namespace")),
                arguments("non-ASCII", "/v2/namespaces/caf%C3%A9", List.of("namespace")),
                arguments("dot-dot", "/v2/namespaces/..", List.of()),
                arguments("dot", "/v2/namespaces/.", List.of()),
                arguments("encoded slash", "/v2/namespaces/a%2Fb", List.of()),
                arguments("encoded slash, lower case", "/v2/namespaces/a%2fb", List.of()),
                arguments("encoded dot-dot", "/v2/namespaces/%2E%2E", List.of()),
                arguments("encoded dot-dot, lower case", "/v2/namespaces/%2e%2e", List.of()),
                arguments("encoded dot-dot with slash", "/v2/namespaces/%2E%2E%2Fbad-input", List.of()),
                arguments("encoded backslash", "/v2/namespaces/a%5Cb", List.of("namespace")),
                arguments("encoded NUL", "/v2/namespaces/a%00b", List.of("namespace")));
    }

    /**
     * A valid write to an invalid namespace path gets a 4xx JSON error and creates nothing. Where
     * the name cannot even be routed (empty, {@code ..}, {@code %2F}) only the JSON error shape is
     * required, not a particular message.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badNamespacePaths")
    void badNamespaceNameIsRefused(String name, String path, List<String> keywords) {
        Set<String> before = namespaces();
        Json.Response r = http.post(path, rows("{\"id\": 1, \"vector\": [1, 2, 3, 4]}"));
        assertError(r, keywords);
        assertThat(namespaces()).as("namespaces after %s", name).isEqualTo(before);
        assertThat(snapshot()).as("namespace %s unchanged", NS).isEqualTo(baseline);
        // The same name on the query, metadata and delete routes is refused too.
        if (!path.endsWith("/") && !path.endsWith("/query")) {
            assertThat(http.post(path + "/query", obj("rank_by", List.of("id", "asc"), "top_k", 1)).status())
                    .as("query on %s", path).isBetween(400, 499);
            assertThat(http.get(path + "/metadata").status()).as("metadata on %s", path).isBetween(400, 499);
            assertThat(http.delete(path).status()).as("delete on %s", path).isBetween(400, 499);
            assertThat(snapshot()).as("namespace %s unchanged", NS).isEqualTo(baseline);
        }
    }

    // ------------------------------------------------------------------ oversized body

    /**
     * A body larger than the server accepts is refused with 413 as soon as its Content-Length is
     * known. Sent over a raw socket that announces 10 GiB and sends only a little, so the answer
     * must come without reading the body.
     */
    @Test
    void oversizedBodyIs413() throws IOException {
        String ns = "too-big";
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v2/namespaces/" + ns + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + server.port() + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + (10L << 30) + "\r\n"
                    + "\r\n"
                    + "{\"upsert_rows\": [{\"id\": 1, \"vector\": [1, 2]}").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            assertThat(r).as("a response before the connection closes").isNotNull();
            assertThat(r.status()).as("status line %s", r.statusLine()).isEqualTo(413);
            assertError(r.json(), List.of("large", "size", "limit", "bytes", "body"));
        }
        assertAbsent(ns);
    }

    /**
     * A real body just over the limit is refused with 413 (sent with {@code Expect: 100-continue} so
     * the client can take the early answer), and one just under it is accepted.
     */
    @Test
    void bodyOverTheConfiguredLimitIs413AndJustUnderIsAccepted() {
        String over = paddedWrite(MAX_BODY_BYTES + 1024);
        assertThat((long) over.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(MAX_BODY_BYTES);
        Json.Response r;
        try {
            r = http.send(java.net.http.HttpRequest.newBuilder(http.uri("/v2/namespaces/too-big-real"))
                    .header("Content-Type", "application/json")
                    .expectContinue(true)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(over)));
        } catch (java.io.UncheckedIOException e) {
            throw new AssertionError("no answer to a body over the limit; the server should answer 413 right after"
                    + " the headers (Content-Length > max_body_bytes), before any 100 Continue", e);
        }
        assertThat(r.status()).as("%s", r).isEqualTo(413);
        assertError(r, List.of("large", "size", "limit", "bytes", "body"));
        assertAbsent("too-big-real");

        String under = paddedWrite(MAX_BODY_BYTES - 64 * 1024);
        assertThat((long) under.getBytes(StandardCharsets.UTF_8).length).isLessThan(MAX_BODY_BYTES);
        Json.Response ok = http.post("/v2/namespaces/just-under-limit", under);
        assertThat(ok.status()).as("%s", ok).isEqualTo(200);
        assertThat(http.delete("/v2/namespaces/just-under-limit").status()).isEqualTo(200);
    }

    /** A valid write of about {@code bytes} bytes: rows with a 1,000-character string attribute. */
    private static String paddedWrite(long bytes) {
        String pad = "p".repeat(1000);
        StringBuilder sb = new StringBuilder("{\"upsert_rows\": [");
        for (int id = 1; sb.length() < bytes - 100; id++) {
            if (id > 1) sb.append(", ");
            sb.append("{\"id\": ").append(id).append(", \"vector\": [1, 2], \"pad\": \"").append(pad).append("\"}");
        }
        return sb.append("]}").toString();
    }

    // ------------------------------------------------------------------ helpers

    /** {@code {"upsert_rows": [row, ...]}} from raw JSON row texts (so they can hold invalid tokens). */
    static String rows(String... rowJson) {
        return "{\"upsert_rows\": [" + String.join(", ", rowJson) + "]}";
    }

    /** 4xx, JSON {"status":"error","error":"..."}, and the message names one of the keywords. */
    static void assertError(Json.Response r, List<String> keywords) {
        assertThat(r.status()).as("status of %s", r).isBetween(400, 499);
        assertThat(r.json()).as("JSON error body in %s", r).isNotNull();
        assertThat(r.json().path("status").asText()).as("status field in %s", r).isEqualTo("error");
        assertThat(r.error()).as("error message in %s", r).isNotBlank();
        if (!keywords.isEmpty()) {
            String msg = r.error().toLowerCase(Locale.ROOT);
            assertThat(keywords.stream().anyMatch(k -> msg.contains(k.toLowerCase(Locale.ROOT))))
                    .as("error message \"%s\" names the problem (one of %s)", r.error(), keywords).isTrue();
        }
    }

    /** The test namespace's full contents, by id, all attributes (vector included if returned). */
    static JsonNode snapshot() {
        Json.Response r = http.post(QUERY, obj("rank_by", List.of("id", "asc"), "top_k", 1000, "include_attributes", true));
        assertThat(r.status()).as("snapshot query: %s", r).isEqualTo(200);
        return r.json().path("rows");
    }

    static void assertAbsent(String ns) {
        assertAbsentOn(http, ns);
    }

    /** {@code ns} answers 404 and is not listed, on the server behind {@code http}. */
    static void assertAbsentOn(Json.Http http, String ns) {
        Json.Response q = http.post("/v2/namespaces/" + ns + "/query", obj("rank_by", List.of("id", "asc"), "top_k", 1));
        assertThat(q.status()).as("query on absent namespace %s: %s", ns, q).isEqualTo(404);
        assertThat(namespaces(http)).doesNotContain(ns);
    }

    /** All namespace names, following next_cursor. */
    static Set<String> namespaces() {
        return namespaces(http);
    }

    private static Set<String> namespaces(Json.Http http) {
        Set<String> names = new TreeSet<>();
        String cursor = null;
        for (int pages = 0; pages < 100; pages++) {
            Json.Response r = http.get("/v1/namespaces?page_size=1000" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(r.status()).as("list namespaces: %s", r).isEqualTo(200);
            r.json().path("namespaces").forEach(n -> names.add(n.get("id").asText()));
            JsonNode next = r.json().path("next_cursor");
            if (next.isMissingNode() || next.isNull() || r.json().path("namespaces").isEmpty()) return names;
            cursor = java.net.URLEncoder.encode(next.asText(), StandardCharsets.UTF_8);
        }
        throw new AssertionError("namespace listing does not end");
    }
}
