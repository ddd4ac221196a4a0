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
 * this process over ONE data directory (so both answer from the same segments and a query costs both the same
 * search), one with auth off and one with auth on, where the default tenant has every quota set (generous enough
 * never to refuse) and queries carry a stored read_write key. Sends the same ANN queries one at a time on one
 * connection per server, each query to both servers back to back (which goes first alternating) so that
 * machine noise falls on both alike, and prints
 * one JSON line of latency percentiles.
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

    /** One server under test and the client that talks to it. */
    private record Target(String name, String base, String key, HttpClient http, List<Long> nanos) {
        HttpResponse<String> post(String path, byte[] body) throws Exception {
            return send("POST", path, body);
        }

        HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
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
        Path dir = Files.createTempDirectory("lodestone-auth-bench");
        String data = dir.resolve("data").toString();
        try (LodestoneServer off = BenchSupport.startServer(dir.resolve("off"), Map.of("LODESTONE_STORAGE_PATH", data));
             LodestoneServer on = BenchSupport.startServer(dir.resolve("on"), Map.of("LODESTONE_STORAGE_PATH", data,
                     "LODESTONE_AUTH_ENABLED", "true", "LODESTONE_AUTH_ADMIN_KEY", adminKey));
             HttpClient httpOff = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             HttpClient httpOn = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            Target admin = new Target("admin", "http://127.0.0.1:" + on.port(), adminKey, httpOn, null);
            ObjectNode quotas = JSON.createObjectNode();
            quotas.putObject("quotas").put("max_namespaces", 1000).put("max_rows", 1L << 40).put("max_storage_bytes", 1L << 50)
                    .put("max_dimensions", 4096).put("max_batch_rows", 10_000).put("max_top_k", 1000)
                    .put("writes_per_second", 1_000_000).put("queries_per_second", 1_000_000).put("max_concurrent_queries", 1000);
            admin.send("PATCH", "/v1/admin/tenants/default", JSON.writeValueAsBytes(quotas));
            String key = JSON.readTree(admin.post("/v1/admin/tenants/default/keys",
                    JSON.writeValueAsBytes(JSON.createObjectNode().put("scope", "read_write"))).body()).get("key").asText();
            List<Target> targets = List.of(
                    new Target("auth_off", "http://127.0.0.1:" + off.port(), null, httpOff, new ArrayList<>()),
                    new Target("auth_on", "http://127.0.0.1:" + on.port(), key, httpOn, new ArrayList<>()));
            load(targets.getFirst(), base);
            for (Target t : targets) waitForIndex(t);
            byte[][] bodies = queryBodies(qs);
            for (Target t : targets) for (int i = 0; i < 500; i++) t.post("/v2/namespaces/bench/query", bodies[i % bodies.length]);
            for (int i = 0; i < queries; i++) {
                byte[] body = bodies[i % bodies.length];
                for (int k = 0; k < targets.size(); k++) {
                    Target t = targets.get((i + k) % targets.size()); // each query on both, which goes first alternating
                    long start = System.nanoTime();
                    t.post("/v2/namespaces/bench/query", body);
                    t.nanos().add(System.nanoTime() - start);
                }
            }
            ObjectNode out = JSON.createObjectNode().put("rows", base.length).put("dims", base[0].length)
                    .put("queries_per_server", queries);
            for (Target t : targets) {
                out.putObject(t.name()).put("p50_us", percentileMicros(t.nanos(), 0.50)).put("p99_us", percentileMicros(t.nanos(), 0.99))
                        .put("mean_us", t.nanos().stream().mapToLong(Long::longValue).sum() / t.nanos().size() / 1000);
            }
            out.put("p50_ratio", ratio(out, "p50_us")).put("p99_ratio", ratio(out, "p99_us"));
            System.out.println(JSON.writeValueAsString(out));
        } finally {
            BenchSupport.deleteTree(dir);
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
    }

    private static void waitForIndex(Target t) throws Exception {
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
