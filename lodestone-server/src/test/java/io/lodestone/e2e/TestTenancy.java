package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.config.ConfigException;
import io.lodestone.config.ConfigLoader;
import io.lodestone.http.LodestoneServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static io.lodestone.e2e.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tenants, API keys, scopes and quotas through a real server with auth on: keys at rest, the two key headers,
 * isolation between tenants, read-only and prefix-limited keys, tenant admins, quotas (hard, rate, concurrency),
 * the audit log, the first admin key and the start-up refusal of a public bind with auth off.
 */
class TestTenancy {
    static final String OPERATOR_KEY = "operator-key-for-tests-0123456789abcdef-0123";

    @TempDir
    static Path root;
    static InProcessServer server;
    static Json.Http operator;

    @BeforeAll
    static void start() {
        server = InProcessServer.start(root, Map.of("LODESTONE_AUTH_ENABLED", "true", "LODESTONE_AUTH_ADMIN_KEY", OPERATOR_KEY));
        operator = new Json.Http(server.baseUrl(), OPERATOR_KEY);
    }

    @AfterAll
    static void stop() {
        operator.close();
        server.close();
    }

    static void createTenant(String name, Map<String, Object> quotas) {
        Json.Response r = operator.post("/v1/admin/tenants", obj("name", name, "quotas", quotas));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    static JsonNode createKey(Json.Http admin, String tenant, Map<String, Object> body) {
        Json.Response r = admin.post("/v1/admin/tenants/" + tenant + "/keys", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    static String key(String tenant, String scope) {
        return createKey(operator, tenant, obj("scope", scope)).get("key").asText();
    }

    static Map<String, Object> rows(String owner, int from, int n) {
        List<Object> rows = new ArrayList<>();
        for (int i = from; i < from + n; i++) rows.add(obj("id", i, "vector", List.of(i, 1.0), "owner", owner));
        return obj("distance_metric", "euclidean_squared", "upsert_rows", rows);
    }

    static Map<String, Object> query(int topK) {
        return obj("rank_by", List.of("vector", "ANN", List.of(0.0, 1.0)), "top_k", topK, "include_attributes", List.of("owner"));
    }

    @Test
    void keysAreShownOnceAndStoredOnlyAsSaltedDigests() throws IOException {
        createTenant("atrest", Map.of());
        JsonNode created = createKey(operator, "atrest", obj("scope", "read_write"));
        String key = created.get("key").asText();
        assertThat(key).startsWith("lsk_").hasSize(64);
        assertThat(key).contains(created.get("id").asText());

        JsonNode listed = operator.get("/v1/admin/tenants/atrest/keys").json();
        assertThat(listed.get("keys")).hasSize(1);
        assertThat(listed.toString()).doesNotContain(key).doesNotContain("sha256").doesNotContain("salt");

        String secret = key.substring("lsk_".length() + 16 + 1); // the secret itself may hold "_"
        List<Path> stored;
        try (Stream<Path> s = Files.walk(root.resolve("data"))) {
            stored = s.filter(Files::isRegularFile).toList();
        }
        String digestB64 = null;
        for (Path f : stored) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(text).as(f.toString()).doesNotContain(secret).doesNotContain(key).doesNotContain(OPERATOR_KEY);
            if (f.toString().contains("_system/keys/" + created.get("id").asText())) digestB64 = Json.parse(text).get("sha256").asText();
        }
        assertThat(digestB64).as("the key record is on the store").isNotNull();
        byte[] digest = Base64.getDecoder().decode(digestB64);
        String id = created.get("id").asText();
        for (String forged : List.of(digestB64, HexFormat.of().formatHex(digest),
                "lsk_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest))) {
            try (Json.Http h = new Json.Http(server.baseUrl(), forged)) {
                assertThat(h.get("/v1/namespaces").status()).as(forged).isEqualTo(401);
            }
        }
        try (Json.Http h = new Json.Http(server.baseUrl(), key)) {
            assertThat(h.get("/v1/namespaces").status()).isEqualTo(200);
        }
    }

    @Test
    void bothKeyHeadersWorkAndEverythingElseIs401WithJson() {
        createTenant("headers", Map.of());
        String key = key("headers", "read_write");
        try (Json.Http anonymous = new Json.Http(server.baseUrl())) {
            Json.Response none = anonymous.get("/v2/namespaces");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.error()).contains("API key is required");
            assertThat(anonymous.get("/health").status()).isEqualTo(200);
            assertThat(anonymous.get("/metrics").status()).isEqualTo(401);
            Json.Response viaHeader = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/v2/namespaces")).header("X-API-Key", key).GET());
            assertThat(viaHeader.status()).as(viaHeader.toString()).isEqualTo(200);
            Json.Response basic = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/v2/namespaces"))
                    .header("Authorization", "Basic " + key).GET());
            assertThat(basic.status()).isEqualTo(401);
            assertThat(basic.error()).contains("Bearer");
        }
        String tampered = key.substring(0, 63) + (key.charAt(63) == 'A' ? 'B' : 'A');
        try (Json.Http wrong = new Json.Http(server.baseUrl(), tampered)) {
            Json.Response r = wrong.post("/v2/namespaces/h1", rows("headers", 0, 1));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.error()).isEqualTo("invalid API key");
        }
        try (Json.Http client = new Json.Http(server.baseUrl(), key)) {
            assertThat(client.post("/v2/namespaces/h1", rows("headers", 0, 1)).status()).isEqualTo(200);
            assertThat(client.get("/metrics").status()).as("metrics are for operators").isEqualTo(403);
        }
        assertThat(operator.get("/metrics").status()).isEqualTo(200);
    }

    @Test
    void revokedAndExpiredKeysStopWorking() throws InterruptedException {
        createTenant("revoke", Map.of());
        JsonNode k = createKey(operator, "revoke", obj("scope", "read_write"));
        JsonNode soon = createKey(operator, "revoke", obj("scope", "read_only", "expires_at", Instant.now().plusSeconds(2).toString()));
        try (Json.Http client = new Json.Http(server.baseUrl(), k.get("key").asText());
             Json.Http expiring = new Json.Http(server.baseUrl(), soon.get("key").asText())) {
            assertThat(client.get("/v1/namespaces").status()).isEqualTo(200);
            assertThat(expiring.get("/v1/namespaces").status()).isEqualTo(200);
            assertThat(operator.delete("/v1/admin/tenants/revoke/keys/" + k.get("id").asText()).status()).isEqualTo(200);
            assertThat(client.get("/v1/namespaces").status()).as("revoked on the server that revoked it: at once").isEqualTo(401);
            assertThat(operator.delete("/v1/admin/tenants/revoke/keys/" + k.get("id").asText()).status()).isEqualTo(404);
            Thread.sleep(2_200);
            Json.Response expired = expiring.get("/v1/namespaces");
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.error()).contains("expired");
        }
        assertThatThrownBy(() -> createKey(operator, "revoke", obj("scope", "read_write", "expires_at", "yesterday")))
                .hasMessageContaining("400");
    }

    @Test
    void tenantsSeeOnlyTheirOwnNamespacesAndAnotherTenantsLooksMissing() {
        createTenant("iso-a", Map.of());
        createTenant("iso-b", Map.of());
        try (Json.Http a = new Json.Http(server.baseUrl(), key("iso-a", "read_write"));
             Json.Http b = new Json.Http(server.baseUrl(), key("iso-b", "read_write"))) {
            assertThat(a.post("/v2/namespaces/shared-name", rows("iso-a", 0, 5)).status()).isEqualTo(200);
            assertThat(a.post("/v2/namespaces/only-a", rows("iso-a", 0, 3)).status()).isEqualTo(200);
            assertThat(b.post("/v2/namespaces/shared-name", rows("iso-b", 100, 2)).status()).isEqualTo(200);

            JsonNode fromB = b.post("/v2/namespaces/shared-name/query", query(100)).json();
            assertThat(fromB.get("rows")).hasSize(2);
            fromB.get("rows").forEach(r -> assertThat(r.get("owner").asText()).isEqualTo("iso-b"));
            assertThat(b.get("/v1/namespaces").json().toString()).doesNotContain("only-a");

            Json.Response missing = b.get("/v1/namespaces/never-made/metadata");
            Json.Response other = b.get("/v1/namespaces/only-a/metadata");
            assertThat(other.status()).isEqualTo(missing.status()).isEqualTo(404);
            assertThat(other.body().replace("only-a", "X")).isEqualTo(missing.body().replace("never-made", "X"));
            Json.Response otherQuery = b.post("/v2/namespaces/only-a/query", query(10));
            assertThat(otherQuery.status()).isEqualTo(404);
            assertThat(b.delete("/v2/namespaces/only-a").status()).isEqualTo(404);
            assertThat(a.post("/v2/namespaces/only-a/query", query(10)).json().get("rows")).hasSize(3);
            // The other API over the same tenancy.
            assertThat(b.get("/namespaces").json().toString()).doesNotContain("only-a");
            assertThat(b.post("/namespaces/only-a/query", obj("top_k", 5)).status()).isEqualTo(404);
        }
    }

    @Test
    void readOnlyKeysCanReadButNeverChangeAnything() {
        createTenant("ro", Map.of());
        try (Json.Http rw = new Json.Http(server.baseUrl(), key("ro", "read_write"));
             Json.Http ro = new Json.Http(server.baseUrl(), key("ro", "read_only"))) {
            assertThat(rw.post("/v2/namespaces/data", rows("ro", 0, 4)).status()).isEqualTo(200);
            assertThat(ro.post("/v2/namespaces/data/query", query(10)).json().get("rows")).hasSize(4);
            assertThat(ro.get("/v1/namespaces/data/metadata").status()).isEqualTo(200);
            List<Json.Response> refused = List.of(
                    ro.post("/v2/namespaces/data", rows("ro", 10, 1)),
                    ro.post("/v2/namespaces/new", rows("ro", 10, 1)),
                    ro.delete("/v2/namespaces/data"),
                    ro.post("/v1/namespaces/data/schema", obj("owner", obj("type", "string", "filterable", false))),
                    ro.post("/namespaces/data", obj("upsert_rows", List.of(obj("id", 99, "vector", List.of(1, 1))))),
                    ro.post("/v1/admin/tenants/ro/keys", obj("scope", "admin")));
            for (Json.Response r : refused) {
                assertThat(r.status()).as(r.toString()).isEqualTo(403);
                assertThat(r.json().get("status").asText()).isEqualTo("error");
            }
            assertThat(rw.get("/v1/namespaces/data/metadata").json().get("approx_row_count").asLong()).isEqualTo(4);
            assertThat(rw.get("/v1/namespaces").json().toString()).doesNotContain("\"new\"");
        }
    }

    @Test
    void prefixLimitedKeysReachOnlyTheirPrefix() {
        createTenant("pfx", Map.of());
        String limited = createKey(operator, "pfx", obj("scope", "read_write", "namespace_prefix", "team1-")).get("key").asText();
        try (Json.Http rw = new Json.Http(server.baseUrl(), key("pfx", "read_write"));
             Json.Http team = new Json.Http(server.baseUrl(), limited)) {
            assertThat(rw.post("/v2/namespaces/team2-x", rows("pfx", 0, 1)).status()).isEqualTo(200);
            assertThat(team.post("/v2/namespaces/team1-x", rows("pfx", 0, 1)).status()).isEqualTo(200);
            assertThat(team.post("/v2/namespaces/team2-y", rows("pfx", 0, 1)).status()).isEqualTo(403);
            assertThat(team.post("/v2/namespaces/team2-x/query", query(1)).status()).isEqualTo(403);
            JsonNode names = team.get("/v1/namespaces").json().get("namespaces");
            assertThat(names).extracting(n -> n.get("id").asText()).containsExactly("team1-x");
            assertThat(team.get("/v1/namespaces?prefix=team2").json().get("namespaces")).isEmpty();
            assertThat(team.get("/v1/namespaces?prefix=team").json().get("namespaces")).hasSize(1);
        }
    }

    @Test
    void tenantAdminsManageTheirOwnKeysOnly() {
        createTenant("ta", Map.of());
        createTenant("tb", Map.of());
        try (Json.Http admin = new Json.Http(server.baseUrl(), key("ta", "admin"))) {
            JsonNode k = createKey(admin, "ta", obj("scope", "read_only"));
            assertThat(admin.get("/v1/admin/tenants/ta/keys").json().get("keys").toString()).contains(k.get("id").asText());
            assertThat(admin.get("/v1/admin/tenants/ta/usage").status()).isEqualTo(200);
            assertThat(admin.get("/v1/admin/tenants").json().get("tenants")).hasSize(1);
            assertThat(admin.get("/v1/admin/tenants/tb").status()).isEqualTo(404);
            assertThat(admin.post("/v1/admin/tenants/tb/keys", obj("scope", "admin")).status()).isEqualTo(404);
            assertThat(admin.post("/v1/admin/tenants", obj("name", "mine")).status()).isEqualTo(403);
            assertThat(admin.patch("/v1/admin/tenants/ta", obj("quotas", obj("max_rows", 1_000_000_000))).status()).isEqualTo(403);
            assertThat(admin.get("/v1/admin/audit").status()).isEqualTo(403);
        }
        assertThat(operator.post("/v1/admin/tenants", obj("name", "ta")).status()).isEqualTo(409);
        assertThat(operator.post("/v1/admin/tenants", obj("name", "Bad/Name")).status()).isEqualTo(400);
        assertThat(operator.post("/v1/admin/tenants", obj("name", "q", "quotas", obj("max_rowz", 1))).error()).contains("unknown quota");
        assertThat(operator.delete("/v1/admin/tenants/default").status()).isEqualTo(400);
    }

    @Test
    void deletingATenantRevokesItsKeysAndDeletesItsNamespaces() {
        createTenant("gone", Map.of());
        String key = key("gone", "read_write");
        try (Json.Http c = new Json.Http(server.baseUrl(), key)) {
            assertThat(c.post("/v2/namespaces/n1", rows("gone", 0, 2)).status()).isEqualTo(200);
            JsonNode deleted = operator.delete("/v1/admin/tenants/gone").json();
            assertThat(deleted.get("namespaces_deleted").asInt()).isEqualTo(1);
            assertThat(deleted.get("keys_revoked").asInt()).isEqualTo(1);
            assertThat(c.get("/v1/namespaces").status()).isEqualTo(401);
        }
        createTenant("gone", Map.of());
        try (Json.Http c = new Json.Http(server.baseUrl(), key("gone", "read_write"))) {
            assertThat(c.get("/v1/namespaces").json().get("namespaces")).as("a new tenant of the same name starts empty").isEmpty();
        }
    }

    @Test
    void requestShapedQuotasAreCheckedPerRequest() {
        createTenant("shape", Map.of("max_batch_rows", 3, "max_top_k", 5, "max_dimensions", 2, "max_namespaces", 2));
        try (Json.Http c = new Json.Http(server.baseUrl(), key("shape", "read_write"))) {
            Json.Response batch = c.post("/v2/namespaces/s1", rows("shape", 0, 4));
            assertThat(batch.status()).isEqualTo(400);
            assertThat(batch.error()).contains("max_batch_rows").contains("3").contains("4 rows");
            assertThat(c.post("/v2/namespaces/s1", rows("shape", 0, 3)).status()).isEqualTo(200);
            Json.Response topK = c.post("/v2/namespaces/s1/query", query(6));
            assertThat(topK.status()).isEqualTo(400);
            assertThat(topK.error()).contains("max_top_k");
            assertThat(c.post("/v2/namespaces/s1/query", query(5)).status()).isEqualTo(200);
            Json.Response dims = c.post("/v2/namespaces/s3", obj("upsert_rows", List.of(obj("id", 1, "vector", List.of(1, 2, 3)))));
            assertThat(dims.status()).isEqualTo(400);
            assertThat(dims.error()).contains("max_dimensions");
            assertThat(c.post("/v2/namespaces/s2", rows("shape", 0, 1)).status()).isEqualTo(200);
            Json.Response third = c.post("/v2/namespaces/s3", rows("shape", 0, 1));
            assertThat(third.status()).isEqualTo(403);
            assertThat(third.error()).contains("max_namespaces").contains("usage 2");
            Json.Response bySchema = c.post("/v1/namespaces/s4/schema", obj("note", "string"));
            assertThat(bySchema.status()).as("a schema change would create a namespace too").isEqualTo(403);
            assertThat(c.post("/v2/namespaces/s2", rows("shape", 5, 1)).status()).as("existing namespaces still take writes").isEqualTo(200);
            assertThat(c.get("/v1/namespaces").json().get("namespaces")).hasSize(2);
        }
    }

    @Test
    void rowQuotaHoldsUnderConcurrentWriters() throws Exception {
        int maxRows = 200;
        createTenant("rowq", Map.of("max_rows", maxRows));
        String key = key("rowq", "read_write");
        int writers = 8;
        int perWriter = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<List<Integer>>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            results.add(pool.submit(() -> {
                List<Integer> statuses = new ArrayList<>();
                try (Json.Http c = new Json.Http(server.baseUrl(), key)) {
                    for (int i = 0; i < perWriter; i++) {
                        int from = (writer * perWriter + i) * 5; // distinct ids: every accepted row is a new row
                        statuses.add(c.post("/v2/namespaces/ns" + (writer % 3), rows("rowq", from, 5)).status());
                    }
                }
                return statuses;
            }));
        }
        int accepted = 0;
        for (Future<List<Integer>> f : results) {
            for (int s : f.get()) {
                assertThat(s).isIn(200, 403);
                if (s == 200) accepted++;
            }
        }
        pool.shutdown();
        assertThat(accepted * 5).as("no overshoot").isLessThanOrEqualTo(maxRows).as("the quota is usable").isGreaterThanOrEqualTo(maxRows - 5 * writers);
        JsonNode usage = operator.get("/v1/admin/tenants/rowq/usage").json();
        assertThat(usage.get("rows").asLong()).isEqualTo(accepted * 5L).isLessThanOrEqualTo(maxRows);
        assertThat(usage.get("namespaces").asLong()).isEqualTo(3);
        assertThat(usage.get("quotas").get("max_rows").asLong()).isEqualTo(maxRows);
    }

    @Test
    void ratesAndConcurrencyAre429WithRetryAfter() {
        createTenant("rate", Map.of("writes_per_second", 2, "queries_per_second", 3));
        String rateKey = key("rate", "read_write");
        try (Json.Http c = new Json.Http(server.baseUrl(), rateKey)) {
            List<Json.Response> writes = new ArrayList<>();
            for (int i = 0; i < 6; i++) writes.add(c.post("/v2/namespaces/r", rows("rate", i, 1)));
            assertThat(writes).extracting(Json.Response::status).contains(200, 429);
            Json.Response limited = writes.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
            assertThat(limited.error()).contains("writes_per_second");
            List<Integer> queries = new ArrayList<>();
            for (int i = 0; i < 8; i++) queries.add(c.post("/v2/namespaces/r/query", query(1)).status());
            assertThat(queries).contains(429);
        }
        try (java.net.http.HttpClient raw = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.HttpResponse<String> refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                var r = raw.send(HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/v2/namespaces/r/query"))
                        .header("Authorization", "Bearer " + rateKey).POST(HttpRequest.BodyPublishers.ofString(Json.write(query(1)))).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 429) refused = r;
            }
            assertThat(refused).as("a burst over queries_per_second is refused").isNotNull();
            assertThat(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow())).isPositive();
            assertThat(refused.body()).contains("queries_per_second");
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        JsonNode usage = operator.get("/v1/admin/tenants/rate/usage").json();
        assertThat(usage.get("this_server").get("rate_limited_requests").asLong()).isPositive();
        assertThat(operator.patch("/v1/admin/tenants/rate", obj("quotas", obj("writes_per_second", null))).json().get("quotas").has("writes_per_second")).isFalse();
    }

    @Test
    void repeatedFailuresFromOneClientAreSlowedDown() {
        try (Json.Http wrong = new Json.Http(server.baseUrl(), "lsk_0000000000000000_" + "A".repeat(43))) {
            long slowest = 0;
            for (int i = 0; i < 8; i++) {
                long t0 = System.nanoTime();
                assertThat(wrong.get("/v1/namespaces").status()).isEqualTo(401);
                slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
            }
            assertThat(slowest).as("the 8th failure waits 400 ms").isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void adminActionsAreAudited() {
        createTenant("audited", Map.of("max_rows", 10));
        String key = key("audited", "read_only");
        JsonNode page = operator.get("/v1/admin/audit?page_size=1000").json();
        String text = page.toString();
        assertThat(text).contains("tenant.create").contains("key.create").contains("audited").doesNotContain(key)
                .doesNotContain(OPERATOR_KEY);
        JsonNode first = page.get("entries").get(0);
        assertThat(first.get("actor_key_id").asText()).isEqualTo("config");
        assertThat(first.has("at")).isTrue();
    }

    @Test
    void theOfficialJavaClientWorksWithAKeyAndFailsCleanlyWithAWrongOne() {
        createTenant("tpuf", Map.of());
        String key = key("tpuf", "read_write");
        var good = com.turbopuffer.client.okhttp.TurbopufferOkHttpClient.builder().apiKey(key).baseUrl(server.baseUrl()).maxRetries(0).build();
        var ns = good.namespace("java-client");
        ns.write(com.turbopuffer.models.namespaces.NamespaceWriteParams.builder()
                .distanceMetric(com.turbopuffer.models.namespaces.DistanceMetric.EUCLIDEAN_SQUARED)
                .addUpsertRow(com.turbopuffer.models.namespaces.Row.builder().put("id", 1).put("vector", List.of(1f, 2f)).build())
                .build());
        var result = ns.query(com.turbopuffer.models.namespaces.NamespaceQueryParams.builder()
                .rankBy(com.turbopuffer.models.namespaces.RankBy.vector("vector", List.of(1f, 2f))).topK(1).build());
        assertThat(result.rows().orElseThrow()).hasSize(1);
        good.close();
        var bad = com.turbopuffer.client.okhttp.TurbopufferOkHttpClient.builder().apiKey(key.substring(0, 21) + "A".repeat(43))
                .baseUrl(server.baseUrl()).maxRetries(0).build();
        assertThatThrownBy(() -> bad.namespace("java-client").query(com.turbopuffer.models.namespaces.NamespaceQueryParams.builder()
                .rankBy(com.turbopuffer.models.namespaces.RankBy.vector("vector", List.of(1f, 2f))).topK(1).build()))
                .isInstanceOf(com.turbopuffer.errors.UnauthorizedException.class);
        bad.close();
    }

    @Test
    void aFirstStartWithAuthAndNoAdminKeyGeneratesOneOnce(@TempDir Path dir) {
        Map<String, String> env = Map.of("LODESTONE_AUTH_ENABLED", "true");
        String generated;
        try (InProcessServer first = InProcessServer.start(dir, env)) {
            generated = first.firstAdminKey().orElseThrow();
            try (Json.Http admin = new Json.Http(first.baseUrl(), generated)) {
                assertThat(admin.post("/v1/admin/tenants", obj("name", "t")).status()).isEqualTo(201);
            }
        }
        try (InProcessServer again = InProcessServer.start(dir, env)) {
            assertThat(again.firstAdminKey()).isEmpty();
            try (Json.Http admin = new Json.Http(again.baseUrl(), generated)) {
                assertThat(admin.get("/v1/admin/tenants/t").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void serversOverOneBucketShareKeysRevocationsAndHardQuotas(@TempDir Path dir) throws InterruptedException {
        Map<String, String> auth = Map.of("LODESTONE_AUTH_ENABLED", "true", "LODESTONE_AUTH_ADMIN_KEY", OPERATOR_KEY);
        Map<String, String> secondCache = new HashMap<>(auth);
        secondCache.put("LODESTONE_CACHE_DISK_PATH", dir.resolve("cache-b").toAbsolutePath().toString());
        try (InProcessServer a = InProcessServer.start(dir, auth);
             InProcessServer b = InProcessServer.start(dir, secondCache);
             Json.Http adminA = new Json.Http(a.baseUrl(), OPERATOR_KEY)) {
            assertThat(adminA.post("/v1/admin/tenants", obj("name", "two", "quotas", obj("max_namespaces", 2))).status()).isEqualTo(201);
            JsonNode k = createKey(adminA, "two", obj("scope", "read_write"));
            try (Json.Http onA = new Json.Http(a.baseUrl(), k.get("key").asText());
                 Json.Http onB = new Json.Http(b.baseUrl(), k.get("key").asText())) {
                assertThat(onB.post("/v2/namespaces/first", rows("two", 0, 1)).status()).as("a key made on A works on B").isEqualTo(200);
                assertThat(onA.post("/v2/namespaces/second", rows("two", 0, 1)).status()).isEqualTo(200);
                Json.Response third = onB.post("/v2/namespaces/third", rows("two", 0, 1));
                assertThat(third.status()).as("namespaces made on A count on B").isEqualTo(403);
                assertThat(third.error()).contains("max_namespaces");

                assertThat(adminA.delete("/v1/admin/tenants/two/keys/" + k.get("id").asText()).status()).isEqualTo(200);
                long revokedAt = System.nanoTime();
                while (onB.get("/v1/namespaces").status() == 200) {
                    assertThat((System.nanoTime() - revokedAt) / 1e9).as("B stops accepting the revoked key within the bound")
                            .isLessThan(io.lodestone.tenancy.Authenticator.REVOCATION_BOUND.toSeconds() + 2);
                    Thread.sleep(200);
                }
                assertThat(onB.get("/v1/namespaces").status()).isEqualTo(401);
            }
        }
    }

    @Test
    void aTenantsNamespacesGoToItsDefaultRegionOrTheOneAWriteNames(@TempDir Path dir) throws IOException {
        Map<String, String> env = Map.of("LODESTONE_AUTH_ENABLED", "true", "LODESTONE_AUTH_ADMIN_KEY", OPERATOR_KEY,
                "LODESTONE_REGIONS_EU_BACKEND", "local", "LODESTONE_REGIONS_EU_PATH", dir.resolve("eu").toAbsolutePath().toString());
        try (InProcessServer s = InProcessServer.start(dir, env); Json.Http admin = new Json.Http(s.baseUrl(), OPERATOR_KEY)) {
            assertThat(admin.post("/v1/admin/tenants", obj("name", "geo", "default_region", "eu", "regions", List.of("default"))).error())
                    .contains("must include").doesNotContain("internal");
            assertThat(admin.post("/v1/admin/tenants", obj("name", "geo", "default_region", "mars")).error()).contains("not a configured region");
            assertThat(admin.post("/v1/admin/tenants", obj("name", "geo", "default_region", "eu", "regions", List.of("eu", "default")))
                    .status()).isEqualTo(201);
            assertThat(admin.post("/v1/admin/tenants", obj("name", "local-only")).status()).isEqualTo(201);
            try (Json.Http geo = new Json.Http(s.baseUrl(), createKey(admin, "geo", obj("scope", "read_write")).get("key").asText());
                 Json.Http local = new Json.Http(s.baseUrl(), createKey(admin, "local-only", obj("scope", "read_write")).get("key").asText())) {
                assertThat(geo.post("/v2/namespaces/in-eu", rows("geo", 0, 2)).status()).isEqualTo(200);
                assertThat(geo.post("/v2/namespaces/at-home?region=default", rows("geo", 0, 3)).status()).isEqualTo(200);
                assertThat(dirHolds(dir.resolve("eu"), "in-eu")).isTrue();
                assertThat(dirHolds(dir.resolve("data"), "in-eu")).isFalse();
                assertThat(dirHolds(dir.resolve("data"), "at-home")).isTrue();
                assertThat(dirHolds(dir.resolve("eu"), "at-home")).isFalse();
                Json.Response moved = geo.post("/v2/namespaces/in-eu?region=default", rows("geo", 5, 1));
                assertThat(moved.status()).isEqualTo(409);
                assertThat(moved.error()).contains("lives in region 'eu'");
                assertThat(geo.post("/v2/namespaces/in-eu/query", query(10)).json().get("rows")).hasSize(2);
                assertThat(geo.get("/v1/namespaces").json().get("namespaces")).extracting(n -> n.get("id").asText())
                        .containsExactly("at-home", "in-eu");
                assertThat(local.post("/v2/namespaces/x?region=eu", rows("local-only", 0, 1)).status()).isEqualTo(403);
                assertThat(admin.get("/v1/admin/tenants/geo/usage").json().get("namespaces").asInt()).isEqualTo(2);

                // A region leaves a tenant only once none of its namespaces lives there: a single-region tenant's
                // namespaces are then all in its one region, which requests resolve without reading placements.
                Json.Response shrink = admin.patch("/v1/admin/tenants/geo", obj("default_region", "default", "regions", List.of("default")));
                assertThat(shrink.status()).as("%s", shrink).isEqualTo(409);
                assertThat(shrink.error()).contains("in-eu").contains("eu");
                assertThat(admin.get("/v1/admin/tenants/geo").json().get("regions")).extracting(JsonNode::asText)
                        .containsExactly("eu", "default");
                assertThat(geo.post("/v2/namespaces/in-eu/query", query(10)).json().get("rows")).hasSize(2);
                assertThat(local.post("/v2/namespaces/x", rows("local-only", 0, 1)).status()).isEqualTo(200);
                assertThat(dirHolds(dir.resolve("data"), "x")).isTrue();
            }
        }
    }

    private static boolean dirHolds(Path dir, String namespace) throws IOException {
        if (!Files.exists(dir)) return false;
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().equals(namespace) && p.toString().contains("catalog"));
        }
    }

    @Test
    void aPublicBindWithAuthOffIsRefusedUnlessAllowed(@TempDir Path dir) {
        Map<String, String> env = new HashMap<>(InProcessServer.environment(dir));
        env.put("LODESTONE_SERVER_PORT", "0");
        env.put("LODESTONE_SERVER_HOST", "0.0.0.0");
        assertThatThrownBy(() -> LodestoneServer.start(ConfigLoader.load(null, env)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.allow_unauthenticated");
        env.put("LODESTONE_AUTH_ALLOW_UNAUTHENTICATED", "true");
        try (LodestoneServer s = LodestoneServer.start(ConfigLoader.load(null, env))) {
            assertThat(s.port()).isPositive();
        }
        env.put("LODESTONE_AUTH_ALLOW_UNAUTHENTICATED", "false");
        env.put("LODESTONE_AUTH_ENABLED", "true");
        env.put("LODESTONE_AUTH_ADMIN_KEY", OPERATOR_KEY);
        try (LodestoneServer s = LodestoneServer.start(ConfigLoader.load(null, env))) {
            assertThat(s.port()).isPositive();
        }
    }
}
