package io.lodestone.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.lodestone.e2e.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code [cors]}: preflights from allowed origins get 204 with the allowed methods, headers and max age, others 403
 * JSON; every answer to an allowed origin carries {@code Access-Control-Allow-Origin}, errors included; a
 * disallowed origin, a request without {@code Origin} and a server with CORS off get no CORS headers.
 */
class TestCors {
    private static final String APP = "https://app.example.com";
    private static final String OTHER = "https://evil.example.net";
    private static final String DEFAULT_METHODS = "GET, POST, PUT, PATCH, DELETE";
    private static final String DEFAULT_HEADERS = "Authorization, Content-Type, Content-Encoding, X-API-Key";

    @TempDir
    static Path root;
    static InProcessServer server;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        server = InProcessServer.start(root.resolve("cors"), Map.of(
                "LODESTONE_CORS_ALLOWED_ORIGINS", APP + ",http://localhost:3000"));
        HttpResponse<String> write = send(server, "POST", "/v2/namespaces/cors", Map.of(),
                Json.write(obj("upsert_rows", List.of(obj("id", 1, "vector", List.of(1, 0))))));
        assertThat(write.statusCode()).as("setup write: %s", write.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        client.close();
    }

    @Test
    void aPreflightFromAnAllowedOriginAnswers204WithWhatIsAllowed() {
        HttpResponse<String> r = preflight(server, APP, "POST", "content-type, authorization");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        HttpHeaders h = r.headers();
        assertThat(h.firstValue("access-control-allow-origin")).hasValue(APP);
        assertThat(h.firstValue("access-control-allow-methods")).hasValue(DEFAULT_METHODS);
        assertThat(h.firstValue("access-control-allow-headers")).hasValue(DEFAULT_HEADERS);
        assertThat(h.firstValue("access-control-max-age")).hasValue("600");
        assertThat(h.allValues("vary")).contains("Origin");
    }

    @Test
    void aPreflightNeedsNoRouteAndMatchesTheOriginIgnoringCase() {
        HttpResponse<String> r = preflight(server, "HTTP://LOCALHOST:3000", "DELETE", null, "/no/such/route");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("HTTP://LOCALHOST:3000");
    }

    @Test
    void aPreflightFromAnotherOriginOrForAnotherMethodOrHeaderGets403Json() {
        HttpResponse<String> origin = preflight(server, OTHER, "POST", null);
        HttpResponse<String> method = preflight(server, APP, "HEAD", null);
        HttpResponse<String> header = preflight(server, APP, "POST", "Content-Type, X-Custom");

        assertError(origin, 403, "origin " + OTHER + " is not in cors.allowed_origins");
        assertError(method, 403, "method HEAD is not in cors.allowed_methods (" + DEFAULT_METHODS + ")");
        assertError(header, 403, "request headers X-Custom are not in cors.allowed_headers (" + DEFAULT_HEADERS + ")");
        for (HttpResponse<String> r : List.of(origin, method, header)) {
            assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
        }
    }

    @Test
    void answersToAnAllowedOriginCarryTheAllowOriginHeader() {
        HttpResponse<String> query = send(server, "POST", "/v2/namespaces/cors/query", Map.of("Origin", APP),
                Json.write(obj("rank_by", List.of("id", "asc"), "top_k", 10)));

        assertThat(query.statusCode()).isEqualTo(200);
        assertThat(Json.parse(query.body()).path("rows")).hasSize(1);
        assertThat(query.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        assertThat(query.headers().allValues("vary")).contains("Origin");
        assertThat(query.headers().firstValue("access-control-allow-methods")).as("only preflights list methods").isEmpty();
    }

    @Test
    void errorAnswersToAnAllowedOriginCarryItToo() {
        Map<String, String> fromApp = Map.of("Origin", APP);
        List<HttpResponse<String>> errors = List.of(
                send(server, "POST", "/v2/namespaces/cors/query", fromApp, "{not json"),
                send(server, "POST", "/v2/namespaces/missing/query", fromApp, Json.write(obj("rank_by", List.of("id", "asc")))),
                send(server, "GET", "/no/such/route", fromApp, null),
                send(server, "PUT", "/v2/namespaces/cors/query", fromApp, "{}"),
                send(server, "GET", "/v2/namespaces/a%2Fb", fromApp, null));

        assertThat(errors).extracting(HttpResponse::statusCode).containsExactly(400, 404, 404, 405, 400);
        for (HttpResponse<String> r : errors) {
            assertThat(Json.parse(r.body()).path("status").asText()).as("%s", r.body()).isEqualTo("error");
            assertThat(r.headers().firstValue("access-control-allow-origin")).as("%s", r.body()).hasValue(APP);
        }
        HttpResponse<String> noOrigin = send(server, "POST", "/v2/namespaces/missing/query", Map.of(), "{}");
        assertThat(noOrigin.statusCode()).isEqualTo(404);
        assertNoCorsHeaders(noOrigin); // what one request kept is not carried to the next on the same connection
    }

    @Test
    void anotherOriginAndASameOriginRequestGetNoCorsHeaders() {
        HttpResponse<String> other = send(server, "GET", "/health", Map.of("Origin", OTHER), null);
        HttpResponse<String> noOrigin = send(server, "GET", "/health", Map.of(), null);

        assertThat(other.statusCode()).as("served; the browser keeps the page from reading it").isEqualTo(200);
        assertNoCorsHeaders(other);
        assertThat(other.headers().allValues("vary")).as("caches must tell origins apart").contains("Origin");
        assertThat(noOrigin.statusCode()).isEqualTo(200);
        assertNoCorsHeaders(noOrigin);
        assertThat(noOrigin.headers().allValues("vary")).doesNotContain("Origin");
    }

    @Test
    void withCorsOffThereAreNoCorsHeadersAtAll() {
        try (InProcessServer off = InProcessServer.start(root.resolve("off"))) {
            HttpResponse<String> pre = preflight(off, APP, "POST", "content-type");
            HttpResponse<String> get = send(off, "GET", "/health", Map.of("Origin", APP), null);

            assertThat(pre.statusCode()).as("no route answers OPTIONS").isEqualTo(405);
            assertNoCorsHeaders(pre);
            assertThat(get.statusCode()).isEqualTo(200);
            assertNoCorsHeaders(get);
            assertThat(get.headers().allValues("vary")).doesNotContain("Origin");
        }
    }

    @Test
    void aWildcardAllowsEveryOriginWithAStar() {
        try (InProcessServer any = InProcessServer.start(root.resolve("any"), Map.of(
                "LODESTONE_CORS_ALLOWED_ORIGINS", "*", "LODESTONE_CORS_MAX_AGE_SECONDS", "60",
                "LODESTONE_CORS_ALLOWED_METHODS", "GET,POST"))) {
            HttpResponse<String> pre = preflight(any, OTHER, "POST", null);
            HttpResponse<String> put = preflight(any, OTHER, "PUT", null);
            HttpResponse<String> get = send(any, "GET", "/health", Map.of("Origin", "http://127.0.0.1:8000"), null);

            assertThat(pre.statusCode()).isEqualTo(204);
            assertThat(pre.headers().firstValue("access-control-allow-origin")).hasValue("*");
            assertThat(pre.headers().firstValue("access-control-allow-methods")).hasValue("GET, POST");
            assertThat(pre.headers().firstValue("access-control-max-age")).hasValue("60");
            assertError(put, 403, "method PUT is not in cors.allowed_methods (GET, POST)");
            assertThat(get.headers().firstValue("access-control-allow-origin")).hasValue("*");
        }
    }

    private static HttpResponse<String> preflight(InProcessServer s, String origin, String method, String headers) {
        return preflight(s, origin, method, headers, "/v2/namespaces/cors/query");
    }

    private static HttpResponse<String> preflight(InProcessServer s, String origin, String method, String headers,
                                                  String path) {
        Map<String, String> h = headers == null
                ? Map.of("Origin", origin, "Access-Control-Request-Method", method)
                : Map.of("Origin", origin, "Access-Control-Request-Method", method, "Access-Control-Request-Headers", headers);
        return send(s, "OPTIONS", path, h, null);
    }

    @Test
    void withAuthOnPreflightsNeedNoKeyAndA401StillCarriesTheOrigin() {
        try (InProcessServer authed = InProcessServer.start(root.resolve("cors-auth"), Map.of(
                "LODESTONE_CORS_ALLOWED_ORIGINS", APP, "LODESTONE_AUTH_ENABLED", "true",
                "LODESTONE_AUTH_ADMIN_KEY", TestTenancy.OPERATOR_KEY))) {
            HttpResponse<String> pre = preflight(authed, APP, "POST", "authorization, content-type");
            assertThat(pre.statusCode()).isEqualTo(204);
            assertThat(pre.headers().firstValue("access-control-allow-origin")).hasValue(APP);
            HttpResponse<String> unauthorized = send(authed, "POST", "/v2/namespaces/x/query", Map.of("Origin", APP), "{}");
            assertThat(unauthorized.statusCode()).isEqualTo(401);
            assertThat(unauthorized.headers().firstValue("access-control-allow-origin")).hasValue(APP);
            HttpResponse<String> ok = send(authed, "GET", "/v1/namespaces",
                    Map.of("Origin", APP, "Authorization", "Bearer " + TestTenancy.OPERATOR_KEY), null);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        }
    }

    private static HttpResponse<String> send(InProcessServer s, String method, String path, Map<String, String> headers,
                                             String bodyOrNull) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, bodyOrNull == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(bodyOrNull, StandardCharsets.UTF_8));
        if (bodyOrNull != null) b.header("Content-Type", "application/json");
        headers.forEach(b::header);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void assertError(HttpResponse<String> r, int status, String messageStart) {
        assertThat(r.statusCode()).as("%s", r.body()).isEqualTo(status);
        assertThat(Json.parse(r.body()).path("status").asText()).isEqualTo("error");
        assertThat(Json.parse(r.body()).path("error").asText()).startsWith(messageStart);
    }

    private static void assertNoCorsHeaders(HttpResponse<String> r) {
        assertThat(r.headers().map().keySet()).as("headers").noneMatch(name -> name.startsWith("access-control-"));
    }
}
