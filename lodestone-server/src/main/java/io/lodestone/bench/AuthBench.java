package io.lodestone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lodestone.http.LodestoneServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code lodestone bench auth}: what authentication and tenant quotas add to a query. Starts two real servers in
 * this process over separate temporary directories, one with auth off and one with auth on and a tenant that has
 * every quota set (generous enough never to refuse), loads the same rows into both, then sends the same ANN queries
 * one at a time on one connection per server, alternating the servers in rounds so that machine noise falls on
 * both alike, and prints one JSON line of latency percentiles.
 */
@Command(name = "auth", description = "Query latency with and without auth and tenant quotas, in one run (one JSON line).")
final class AuthBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--dataset", description = "TEXMEX directory (base.fvecs, query.fvecs); default: random vectors")
    Path dataset;
    @Option(names = "--rows", defaultValue = "10000", description = "rows of random data, or the first N of the dataset")
    int rows;
    @Option(names = "--dims", defaultValue = "128", description = "dimensions of random data")
    int dims;
    @Option(names = "--queries", defaultValue = "4000", description = "measured queries per server")
    int queries;
    @Option(names = "--rounds", defaultValue = "8", description = "rounds that alternate the servers")
    int rounds;

    /** One server under test and the client that talks to it. */
    private record Target(String name, String base, String key, HttpClient http, List<Long> nanos) {
        HttpResponse<String> post(String path, byte[] body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (key != null) b.header("Authorization", "Bearer " + key);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) throw new IllegalStateException(name + " " + path + ": " + r.statusCode() + " " + r.body());
            return r;
        }

        JsonNode get(String path) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
            if (key != null) b.header("Authorization", "Bearer " + key);
            return JSON.readTree(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
        }
    }

    @Override
    public Integer call() throws Exception {
        float[][] base;
        float[][] qs;
        if (dataset != null) {
            base = LoadBench.split(TexmexFiles.readFvecs(dataset.resolve("base.fvecs"), rows));
            qs = LoadBench.split(TexmexFiles.readFvecs(dataset.resolve("query.fvecs"), Integer.MAX_VALUE));
        } else {
            Random r = new Random(42);
            base = LoadBench.random(r, rows, dims);
            qs = LoadBench.random(r, 1000, dims);
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String adminKey = "bench-admin-" + HexFormat.of().formatHex(secret);
        Path dirOff = Files.createTempDirectory("lodestone-auth-bench-off");
        Path dirOn = Files.createTempDirectory("lodestone-auth-bench-on");
        try (LodestoneServer off = BenchSupport.startServer(dirOff, Map.of());
             LodestoneServer on = BenchSupport.startServer(dirOn, Map.of("LODESTONE_AUTH_ENABLED", "true", "LODESTONE_AUTH_ADMIN_KEY", adminKey));
             HttpClient httpOff = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             HttpClient httpOn = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            Target admin = new Target("admin", "http://127.0.0.1:" + on.port(), adminKey, httpOn, null);
            ObjectNode tenant = JSON.createObjectNode().put("name", "bench");
            tenant.putObject("quotas").put("max_namespaces", 1000).put("max_rows", 1L << 40).put("max_storage_bytes", 1L << 50)
                    .put("max_dimensions", 4096).put("max_batch_rows", 10_000).put("max_top_k", 1000)
                    .put("writes_per_second", 1_000_000).put("queries_per_second", 1_000_000).put("max_concurrent_queries", 1000);
            admin.post("/v1/admin/tenants", JSON.writeValueAsBytes(tenant));
            String key = JSON.readTree(admin.post("/v1/admin/tenants/bench/keys",
                    JSON.writeValueAsBytes(JSON.createObjectNode().put("scope", "read_write"))).body()).get("key").asText();
            List<Target> targets = List.of(
                    new Target("auth_off", "http://127.0.0.1:" + off.port(), null, httpOff, new ArrayList<>()),
                    new Target("auth_on", "http://127.0.0.1:" + on.port(), key, httpOn, new ArrayList<>()));
            for (Target t : targets) load(t, base);
            byte[][] bodies = queryBodies(qs);
            for (Target t : targets) for (int i = 0; i < 500; i++) t.post("/v2/namespaces/bench/query", bodies[i % bodies.length]);
            int perRound = Math.max(1, queries / rounds);
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < targets.size(); k++) {
                    Target t = targets.get((round + k) % targets.size()); // alternate which server goes first
                    for (int i = 0; i < perRound; i++) {
                        byte[] body = bodies[(round * perRound + i) % bodies.length];
                        long start = System.nanoTime();
                        t.post("/v2/namespaces/bench/query", body);
                        t.nanos().add(System.nanoTime() - start);
                    }
                }
            }
            ObjectNode out = JSON.createObjectNode().put("rows", base.length).put("dims", base[0].length)
                    .put("queries_per_server", perRound * rounds).put("rounds", rounds);
            for (Target t : targets) {
                out.putObject(t.name()).put("p50_us", percentileMicros(t.nanos(), 0.50)).put("p99_us", percentileMicros(t.nanos(), 0.99))
                        .put("mean_us", t.nanos().stream().mapToLong(Long::longValue).sum() / t.nanos().size() / 1000);
            }
            out.put("p50_ratio", ratio(out, "p50_us")).put("p99_ratio", ratio(out, "p99_us"));
            System.out.println(JSON.writeValueAsString(out));
        } finally {
            BenchSupport.deleteTree(dirOff);
            BenchSupport.deleteTree(dirOn);
        }
        return 0;
    }

    private static void load(Target t, float[][] base) throws Exception {
        for (int start = 0; start < base.length; start += 1000) {
            ArrayNode batch = JSON.createArrayNode();
            for (int i = start; i < Math.min(base.length, start + 1000); i++) {
                ArrayNode v = batch.addObject().put("id", i).putArray("vector");
                for (float x : base[i]) v.add(x);
            }
            ObjectNode body = JSON.createObjectNode().put("distance_metric", "euclidean_squared");
            body.set("upsert_rows", batch);
            t.post("/v2/namespaces/bench", JSON.writeValueAsBytes(body));
        }
        while (!"up-to-date".equals(t.get("/v2/namespaces/bench/metadata").at("/index/status").asText())) Thread.sleep(200);
    }

    private static byte[][] queryBodies(float[][] qs) throws Exception {
        byte[][] bodies = new byte[qs.length][];
        for (int i = 0; i < qs.length; i++) {
            ObjectNode q = JSON.createObjectNode().put("top_k", 10);
            ArrayNode v = q.putArray("rank_by").add("vector").add("ANN").addArray();
            for (float x : qs[i]) v.add(x);
            bodies[i] = JSON.writeValueAsBytes(q);
        }
        return bodies;
    }

    private static long percentileMicros(List<Long> nanos, double p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1000;
    }

    private static double ratio(ObjectNode out, String field) {
        return Math.round(1000.0 * out.get("auth_on").get(field).asDouble() / out.get("auth_off").get(field).asDouble()) / 1000.0;
    }
}
