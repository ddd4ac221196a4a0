package io.lodestone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lodestone.http.LodestoneServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code lodestone bench load}: writes beside a query load, through the real HTTP server. Starts a server on
 * the local store in a temporary directory, loads a namespace (a TEXMEX dataset or random vectors) and waits
 * for its index, then runs the same paced writer twice — alone, then beside {@code --connections} clients
 * sending ANN queries without pause — and prints one JSON line: query QPS and p50/p99, and write-ack p50/p99
 * idle and under load (the goal: p99 under load at most 3× idle).
 */
@Command(name = "load", description = "Write latency idle and under a query load, through the HTTP server (one JSON line).")
final class LoadBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--dataset", description = "TEXMEX directory (base.fvecs, query.fvecs); default: random vectors")
    Path dataset;
    @Option(names = "--rows", defaultValue = "50000", description = "rows of random data, or the first N of the dataset")
    int rows;
    @Option(names = "--dims", defaultValue = "384", description = "dimensions of random data")
    int dims;
    @Option(names = "--metric", defaultValue = "cosine_distance")
    String metric;
    @Option(names = "--connections", defaultValue = "16")
    int connections;
    @Option(names = "--duration-s", defaultValue = "20")
    int durationS;
    @Option(names = "--write-rows", defaultValue = "100")
    int writeRows;
    @Option(names = "--write-interval-ms", defaultValue = "100")
    int writeIntervalMs;
    @Option(names = "--query-threads", defaultValue = "0", description = "server.query_threads (0: the default, one per core but one)")
    int queryThreads;

    private HttpClient http;
    private String base;

    @Override
    public Integer call() throws Exception {
        float[][] baseRows, queries;
        if (dataset != null) {
            TexmexFiles.FloatRows b = TexmexFiles.readFvecs(dataset.resolve("base.fvecs"), rows);
            TexmexFiles.FloatRows q = TexmexFiles.readFvecs(dataset.resolve("query.fvecs"), Integer.MAX_VALUE);
            baseRows = split(b);
            queries = split(q);
        } else {
            Random r = new Random(42);
            baseRows = random(r, rows, dims);
            queries = random(r, 1000, dims);
        }
        int d = baseRows[0].length;
        Path dir = Files.createTempDirectory("lodestone-load-bench");
        Map<String, String> settings = queryThreads > 0
                ? Map.of("LODESTONE_SERVER_QUERY_THREADS", String.valueOf(queryThreads)) : Map.of();
        try (LodestoneServer server = BenchSupport.startServer(dir, settings)) {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            base = "http://127.0.0.1:" + server.port();
            long t = System.nanoTime();
            for (int start = 0; start < baseRows.length; start += 1000) {
                ArrayNode batch = JSON.createArrayNode();
                for (int i = start; i < Math.min(baseRows.length, start + 1000); i++) batch.add(row(i, baseRows[i]));
                ObjectNode body = JSON.createObjectNode().put("distance_metric", metric);
                body.set("upsert_rows", batch);
                post("/v2/namespaces/load", body);
            }
            waitForIndex();
            System.err.printf("loaded %d x %d and indexed in %.1f s%n", baseRows.length, d, (System.nanoTime() - t) / 1e9);

            Random r = new Random(7);
            List<Long> idle = writer(durationS, d, r, new AtomicBoolean(), 10_000_000);
            AtomicBoolean stop = new AtomicBoolean();
            List<Long> queryNanos = Collections.synchronizedList(new ArrayList<>());
            long[] refused = new long[1];
            List<Long> loaded;
            long loadStart;
            double loadSeconds;
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> clients = new ArrayList<>();
                for (int c = 0; c < connections; c++) {
                    int offset = c * 37;
                    clients.add(pool.submit(() -> queryClient(queries, offset, stop, queryNanos, refused)));
                }
                Thread.sleep(2000); // warm up the query path before the writer starts
                queryNanos.clear();
                loadStart = System.nanoTime();
                loaded = writer(durationS, d, r, stop, 20_000_000);
                loadSeconds = (System.nanoTime() - loadStart) / 1e9;
                stop.set(true);
                for (Future<?> f : clients) f.get();
            }
            ObjectNode out = JSON.createObjectNode();
            out.put("rows", baseRows.length).put("dims", d).put("metric", metric).put("connections", connections)
                    .put("query_qps", round(queryNanos.size() / loadSeconds))
                    .put("query_p50_ms", percentileMs(queryNanos, 0.50)).put("query_p99_ms", percentileMs(queryNanos, 0.99))
                    .put("queries_refused_429", refused[0])
                    .put("writes_idle", idle.size())
                    .put("write_idle_p50_ms", percentileMs(idle, 0.50)).put("write_idle_p99_ms", percentileMs(idle, 0.99))
                    .put("writes_under_load", loaded.size())
                    .put("write_load_p50_ms", percentileMs(loaded, 0.50)).put("write_load_p99_ms", percentileMs(loaded, 0.99));
            System.out.println(JSON.writeValueAsString(out));
        } finally {
            BenchSupport.deleteTree(dir);
        }
        return 0;
    }

    /** Writes {@code writeRows} rows every {@code writeIntervalMs} for the duration; returns the ack latencies. */
    private List<Long> writer(int seconds, int d, Random r, AtomicBoolean stop, int firstId) throws Exception {
        List<Long> nanos = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int id = firstId;
        while (System.nanoTime() < end && !stop.get()) {
            ArrayNode batch = JSON.createArrayNode();
            for (int i = 0; i < writeRows; i++) batch.add(row(id++, random(r, 1, d)[0]));
            ObjectNode body = JSON.createObjectNode();
            body.set("upsert_rows", batch);
            byte[] bytes = JSON.writeValueAsBytes(body);
            long t = System.nanoTime();
            post("/v2/namespaces/load", bytes);
            nanos.add(System.nanoTime() - t);
            Thread.sleep(writeIntervalMs);
        }
        return nanos;
    }

    private Void queryClient(float[][] queries, int offset, AtomicBoolean stop, List<Long> nanos, long[] refused) throws Exception {
        HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        byte[][] bodies = new byte[queries.length][];
        for (int i = 0; i < queries.length; i++) {
            ObjectNode q = JSON.createObjectNode().put("top_k", 10);
            ArrayNode rank = q.putArray("rank_by").add("vector").add("ANN");
            ArrayNode v = rank.addArray();
            for (float x : queries[i]) v.add(x);
            bodies[i] = JSON.writeValueAsBytes(q);
        }
        for (int i = offset; !stop.get(); i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = own.send(request("/v2/namespaces/load/query", bodies[i % bodies.length]),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 429) {
                synchronized (refused) {
                    refused[0]++;
                }
                continue;
            }
            if (r.statusCode() != 200) throw new IllegalStateException("query: " + r.statusCode() + " " + new String(r.body()));
            nanos.add(System.nanoTime() - t);
        }
        return null;
    }

    private void waitForIndex() throws Exception {
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/namespaces/load/metadata")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode m = JSON.readTree(r.body());
            if ("up-to-date".equals(m.at("/index/status").asText())) return;
            Thread.sleep(500);
        }
    }

    private void post(String path, JsonNode body) throws IOException, InterruptedException {
        post(path, JSON.writeValueAsBytes(body));
    }

    private void post(String path, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
    }

    private HttpRequest request(String path, byte[] body) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static ObjectNode row(int id, float[] v) {
        ObjectNode row = JSON.createObjectNode().put("id", id);
        ArrayNode a = row.putArray("vector");
        for (float x : v) a.add(x);
        return row;
    }

    /** One array per row. */
    static float[][] split(TexmexFiles.FloatRows rows) {
        float[][] out = new float[rows.count()][];
        for (int i = 0; i < rows.count(); i++) out[i] = Arrays.copyOfRange(rows.data(), i * rows.dim(), (i + 1) * rows.dim());
        return out;
    }

    static float[][] random(Random r, int n, int d) {
        float[][] out = new float[n][d];
        for (float[] v : out) for (int i = 0; i < d; i++) v[i] = (float) r.nextGaussian();
        return out;
    }

    private static double percentileMs(List<Long> nanos, double p) {
        if (nanos.isEmpty()) return 0;
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return round(sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1e6);
    }

    private static double round(double x) {
        return Math.round(x * 10) / 10.0;
    }
}
