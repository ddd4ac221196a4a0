package io.lodestone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lodestone.engine.EngineOptions;
import io.lodestone.engine.Lodestone;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.Query;
import io.lodestone.engine.QueryResult;
import io.lodestone.store.ObjectStore;
import io.lodestone.store.ObjectStores;
import io.lodestone.testing.FaultProxy;
import io.lodestone.testing.S3ProxyServer;
import io.lodestone.testing.ServerProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ObjIntConsumer;

/**
 * One measured phase of {@code bench cold}: a fresh engine with an empty cache directory opens the bucket
 * through the latency-adding proxy and answers query 0 (cold: what the proxy saw until the answer), then every
 * query of the set one at a time (warm), then the cache directory and the process are measured.
 */
final class ColdPhase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3ProxyServer s3;
    private final FaultProxy proxy;
    private final Path work;
    private final EngineOptions options;
    private final String namespace;
    private final long latencyMs;
    private final long namespaceBytes;

    /**
     * @param options        the cold engines' options (the cache directory is replaced per phase)
     * @param namespaceBytes the namespace's bytes in the bucket, to set the bytes read against
     */
    ColdPhase(S3ProxyServer s3, FaultProxy proxy, Path work, EngineOptions options, String namespace, long latencyMs,
              long namespaceBytes) {
        this.s3 = s3;
        this.proxy = proxy;
        this.work = work;
        this.options = options;
        this.namespace = namespace;
        this.latencyMs = latencyMs;
        this.namespaceBytes = namespaceBytes;
    }

    /** What answers a phase's queries, started on an empty cache directory. */
    interface Target extends AutoCloseable {
        /** Ids of the answer to query {@code i}, in rank order. */
        int[] query(int i) throws IOException;

        /** The resident set of the process that answers (now and at its peak), and its heap where known. */
        ObjectNode memory() throws IOException;

        /**
         * Whether opening counts toward the first answer: an engine opens as a query needs it; a server process is
         * started and healthy before its first query, and what its start read is not that query's.
         */
        boolean openIsPartOfTheAnswer();

        @Override
        void close() throws IOException;
    }

    /** Opens a {@link Target} with its cache in {@code cacheDir}, reading the bucket through {@code options}' store. */
    @FunctionalInterface
    interface TargetFactory {
        Target open(Path cacheDir) throws IOException;
    }

    /** A fresh engine in this process answering {@code query}; its store goes through the proxy. */
    TargetFactory engine(IntFunction<Query> query) {
        return cache -> {
            EngineOptions o = options.withCacheDir(cache);
            ObjectStore store = ObjectStores.open(proxy.storageOptions(s3, null));
            Lodestone db = Lodestone.open(store, o);
            Namespace ns = db.namespace(namespace);
            return new Target() {
                @Override
                public int[] query(int i) {
                    return ids(ns.query(query.apply(i)));
                }

                @Override
                public ObjectNode memory() throws IOException {
                    ObjectNode m = rss(Path.of("/proc/self/status"));
                    Runtime rt = Runtime.getRuntime();
                    return m.put("heap_used_bytes", rt.totalMemory() - rt.freeMemory());
                }

                @Override
                public boolean openIsPartOfTheAnswer() {
                    return true;
                }

                @Override
                public void close() throws IOException {
                    db.close();
                    store.close();
                }
            };
        };
    }

    /**
     * A {@code lodestone serve} process of its own (heap limit {@code maxHeap}) on the bucket through the proxy, with no
     * indexer, compactor or recall sampling, asked over HTTP: the path users run, and a resident set that is the
     * server's alone. {@code body} is query {@code i}'s JSON.
     */
    TargetFactory server(IntFunction<ObjectNode> body, String maxHeap) {
        return cache -> {
            Map<String, String> env = new HashMap<>(ServerProcess.s3Settings(proxy.storageOptions(s3, null)));
            env.put("LODESTONE_SERVER_HOST", "127.0.0.1");
            env.put("LODESTONE_STORAGE_PATH", cache.resolve("unused-local").toString());
            env.put("LODESTONE_CACHE_DISK_PATH", cache.toString());
            env.put("LODESTONE_CACHE_MEMORY_BYTES", Long.toString(options.cache().memoryBytes()));
            env.put("LODESTONE_CACHE_DISK_BYTES", Long.toString(options.cache().diskBytes()));
            env.put("LODESTONE_INDEXING_ENABLED", "false");
            env.put("LODESTONE_INDEXING_RECALL_SAMPLE_EVERY", "0");
            env.put("LODESTONE_COMPACTION_ENABLED", "false");
            Path home = Files.createDirectories(cache.resolveSibling(cache.getFileName() + "-server"));
            ServerProcess server = new ServerProcess(home, env, maxHeap).start();
            HttpClient client = HttpClient.newHttpClient();
            // The clock measures the server: the bench's own client has started and holds a connection, as a
            // user's long-lived client does (its first request otherwise added 50-150 ms of client start-up).
            try {
                client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ready")).build(), HttpResponse.BodyHandlers.discarding());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            URI uri = URI.create(server.baseUrl() + "/v2/namespaces/" + namespace + "/query");
            return new Target() {
                @Override
                public int[] query(int i) throws IOException {
                    HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body.apply(i)))).build();
                    HttpResponse<byte[]> r;
                    try {
                        r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                    JsonNode answer = JSON.readTree(r.body());
                    if (r.statusCode() != 200) throw new IOException("query " + i + ": HTTP " + r.statusCode() + " " + answer);
                    int[] ids = new int[answer.path("rows").size()];
                    for (int k = 0; k < ids.length; k++) ids[k] = answer.path("rows").get(k).path("id").asInt();
                    return ids;
                }

                @Override
                public ObjectNode memory() throws IOException {
                    return rss(Path.of("/proc/" + server.pid() + "/status")).put("server_max_heap", maxHeap);
                }

                @Override
                public boolean openIsPartOfTheAnswer() {
                    return false;
                }

                @Override
                public void close() {
                    client.close();
                    server.close();
                }
            };
        };
    }

    /**
     * Runs the phase {@code name} over queries 0..n-1 on a target {@code target} opens; {@code answers} gets each
     * warm answer's ids with its query number. Returns the phase's line.
     */
    ObjectNode run(String name, int n, TargetFactory target, ObjIntConsumer<int[]> answers) throws Exception {
        Path cache = Files.createTempDirectory(work, "cache-" + name + "-"); // empty: phases of one name each start cold
        System.gc(); // what the load phase left behind should not count in this phase's RSS
        ObjectNode line = JSON.createObjectNode().put("phase", name).put("latency_ms", latencyMs);
        proxy.latency(Duration.ofMillis(latencyMs));
        proxy.resetStats();
        long t0 = System.nanoTime();
        try (Target t = target.open(cache)) {
            if (!t.openIsPartOfTheAnswer()) {
                proxy.resetStats();
                t0 = System.nanoTime();
            }
            t.query(0);
            long firstNanos = System.nanoTime() - t0;
            FaultProxy.Traffic first = proxy.traffic();
            printExchanges(name, proxy.exchanges(), t0);
            ObjectNode f = traffic(first).put("wall_ms", ColdBench.round1(firstNanos / 1e6));
            f.put("bytes_read_over_namespace", Math.round(1e4 * first.responseBytes() / (double) namespaceBytes) / 1e4);
            line.set("first_answer", f);

            proxy.resetStats();
            long[] nanos = new long[n];
            long w0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                int[] ids = t.query(i);
                nanos[i] = System.nanoTime() - s;
                answers.accept(ids, i);
            }
            double seconds = (System.nanoTime() - w0) / 1e9;
            Arrays.sort(nanos);
            ObjectNode w = JSON.createObjectNode().put("queries", n).put("qps_1t", ColdBench.round1(n / seconds))
                    .put("p50_ms", ColdBench.round1(percentile(nanos, 0.50) / 1e6))
                    .put("p99_ms", ColdBench.round1(percentile(nanos, 0.99) / 1e6));
            w.setAll(traffic(proxy.traffic()));
            line.set("warm", w);
            line.set("cache", cacheDirectory(cache));
            line.setAll(t.memory());
        }
        return line;
    }

    /** Each request before the first answer, in order of start, on stderr: what the critical path is made of. */
    private static void printExchanges(String phase, List<FaultProxy.Exchange> exchanges, long t0) {
        System.err.printf(Locale.ROOT, "# %s, first answer: depth, start ms, duration ms, kind, status, response bytes,"
                + " target%n", phase);
        exchanges.stream().sorted(Comparator.comparingLong(FaultProxy.Exchange::startNanos)).forEach(e ->
                System.err.printf(Locale.ROOT, "#   %2d %8.1f %7.1f %-9s %3d %,12d %s%n", e.depth(), (e.startNanos() - t0) / 1e6,
                        (e.endNanos() - e.startNanos()) / 1e6, e.kind(), e.status(), e.responseBytes(), e.target()));
    }

    private static ObjectNode traffic(FaultProxy.Traffic t) {
        ObjectNode o = JSON.createObjectNode().put("sequential_round_trips", t.sequentialRoundTrips())
                .put("requests", t.requests()).put("ranged_gets", t.rangedGets()).put("bytes_read", t.responseBytes());
        o.set("requests_by_method", JSON.valueToTree(t.byMethod()));
        ObjectNode kinds = o.putObject("requests_by_kind");
        t.byKind().forEach((kind, count) -> kinds.put(kind.name(), count));
        return o;
    }

    /** The budgets beside what the cache directory holds: allocated blocks ({@code du -sk}) and apparent size. */
    private ObjectNode cacheDirectory(Path dir) throws IOException {
        return JSON.createObjectNode()
                .put("memory_budget_bytes", options.cache().memoryBytes())
                .put("disk_budget_bytes", options.cache().diskBytes())
                .put("dir_allocated_bytes", 1024 * du(dir, "-sk"))
                .put("dir_apparent_bytes", du(dir, "-sb"));
    }

    /** The first figure {@code du FLAGS dir} prints. */
    private static long du(Path dir, String flags) throws IOException {
        Process p = new ProcessBuilder("du", flags, dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (p.waitFor() != 0) throw new IOException("du " + flags + " " + dir + " failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for du", e);
        }
        return Long.parseLong(out.split("\\s+")[0]);
    }

    /**
     * A process's resident set now and at its peak, and what of it is anonymous memory (heap, stacks, JIT code) and
     * what mapped files (the cache's files) — from {@code /proc/PID/status} (Linux).
     */
    private static ObjectNode rss(Path status) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) o.put("rss_bytes", 1024 * kb(line));
            if (line.startsWith("VmHWM:")) o.put("peak_rss_bytes", 1024 * kb(line));
            if (line.startsWith("RssAnon:")) o.put("rss_anon_bytes", 1024 * kb(line));
            if (line.startsWith("RssFile:")) o.put("rss_file_bytes", 1024 * kb(line));
        }
        return o;
    }

    /** Ids of an engine answer (the bench's ids are numbers). */
    private static int[] ids(QueryResult r) {
        int[] ids = new int[r.rows().size()];
        for (int i = 0; i < ids.length; i++) ids[i] = (int) ((io.lodestone.doc.DocId.U64) r.rows().get(i).id()).value();
        return ids;
    }

    private static long kb(String statusLine) {
        return Long.parseLong(statusLine.substring(statusLine.indexOf(':') + 1).replace("kB", "").strip());
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }
}
