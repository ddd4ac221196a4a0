package io.lodestone.bench;

import io.lodestone.http.LodestoneServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Callable;

/**
 * Write throughput through the real server: starts {@link LodestoneServer} on the local store in a temp dir,
 * pre-builds the write bodies, and POSTs them to {@code /v2/namespaces/{ns}} over {@code --connections}
 * connections, each with one request in flight, through a plain socket that writes each body straight from its
 * array ({@code --client raw}, the default, {@link RawHttpConnection}) or through {@link HttpClient}
 * ({@code --client jdk}, which copies every body twice and runs its own threads on the two cores the server
 * needs). Each batch counts once the server has acknowledged it (fsynced). Client and server share the process,
 * so rows per CPU second include the client's sending. With indexing on, it then reports the unindexed tail left
 * when the writes ended and how long the indexer took to fold it.
 */
@Command(name = "http-write", description = "Write throughput and ack latency through the HTTP server on the local store.")
final class HttpWriteBench implements Callable<Integer> {
    @Mixin
    WriteBodies.Options bodies;
    @Option(names = "--batches", defaultValue = "100", description = "requests per connection")
    int batches;
    @Option(names = "--connections", defaultValue = "1", description = "concurrent connections, one request in flight on each")
    int connections;
    @Option(names = "--indexing", defaultValue = "true", arity = "1",
            description = "run the background indexer (indexing.enabled) during the writes")
    boolean indexing;
    @Option(names = "--window-ms", defaultValue = "2", description = "group-commit window")
    long windowMs;
    @Option(names = "--client", defaultValue = "raw", converter = ClientConverter.class,
            description = "raw (default): a plain socket per connection, the body written from its array; jdk: java.net.http.HttpClient")
    Client client;
    @Option(names = "--wait-for-index", defaultValue = "true", arity = "1",
            description = "with indexing: after the writes, wait until the tail is folded and report how long that took")
    boolean waitForIndex;
    @Option(names = "--warmup-batches", defaultValue = "20",
            description = "untimed requests first (JIT warm-up), to another namespace; with indexing, then waits for its fold")
    int warmupBatches;

    @Override
    public Integer call() throws Exception {
        byte[][] requests = bodies.build(connections * batches);
        int batch = bodies.batch;
        Path root = Files.createTempDirectory("lodestone-http-write-bench");
        Map<String, String> settings = Map.of(
                "LODESTONE_INDEXING_ENABLED", Boolean.toString(indexing),
                "LODESTONE_BATCHING_GROUP_COMMIT_WINDOW_MS", Long.toString(windowMs));
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong rows = new AtomicLong();
        try (LodestoneServer server = BenchSupport.startServer(root, settings);
             HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            try (Connection warm = connect(jdk, server.port())) {
                for (int i = 0; i < warmupBatches; i++) warm.post("/v2/namespaces/http-write-warmup", requests[i % requests.length]);
            }
            // The warm-up's fold also warms the indexer's code; left running, it would index the warm-up during the timed writes.
            if (indexing && warmupBatches > 0) IndexCatchUp.measure(server.port(), "/v2/namespaces/http-write-warmup/metadata", true);
            long cpuStart = WriteBench.processCpuNanos();
            long start = System.nanoTime();
            Thread[] threads = new Thread[connections];
            for (int c = 0; c < connections; c++) {
                int first = c * batches;
                Connection conn = connect(jdk, server.port());
                threads[c] = Thread.ofPlatform().start(() -> {
                    try (conn) {
                        for (int b = first; b < first + batches; b++) {
                            long t0 = System.nanoTime();
                            conn.post("/v2/namespaces/http-write", requests[b]);
                            latencies.add(System.nanoTime() - t0);
                            rows.addAndGet(batch);
                        }
                    }
                });
            }
            for (Thread t : threads) t.join();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (WriteBench.processCpuNanos() - cpuStart) / 1e9;
            long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            if (lat.length != connections * batches) throw new IllegalStateException("some requests failed; see above");
            IndexCatchUp catchUp = indexing ? IndexCatchUp.measure(server.port(), "/v2/namespaces/http-write/metadata", waitForIndex)
                    : new IndexCatchUp(0, 0);
            System.out.printf("{\"bench\":\"http-write\",\"store\":\"local\",\"encoding\":\"%s\",\"client\":\"%s\",\"indexing\":%b,\"dims\":%d,"
                            + "\"batch_rows\":%d,\"connections\":%d,\"batches\":%d,\"rows\":%d,\"seconds\":%.3f,\"rows_per_s\":%.0f,"
                            + "\"body_mb_per_s\":%.1f,\"vector_mb_per_s\":%.1f,\"cpu_seconds\":%.3f,\"rows_per_cpu_s\":%.0f,\"ack_p50_ms\":%.2f,\"ack_p99_ms\":%.2f,\"ack_max_ms\":%.2f,"
                            + "\"unindexed_mb_at_end\":%.1f,\"index_catch_up_s\":%s}%n",
                    bodies.encoding.name().toLowerCase(), client.name().toLowerCase(), indexing, bodies.dims, batch, connections, lat.length, rows.get(), seconds,
                    rows.get() / seconds, WriteBodies.totalBytes(requests) / seconds / 1e6, rows.get() * (bodies.dims * 4.0) / seconds / 1e6,
                    cpuSeconds, rows.get() / cpuSeconds,
                    WriteBench.pct(lat, 0.50), WriteBench.pct(lat, 0.99), lat[lat.length - 1] / 1e6,
                    catchUp.unindexedBytes() / 1e6,
                    Double.isNaN(catchUp.seconds()) ? "null" : String.format(java.util.Locale.ROOT, "%.2f", catchUp.seconds()));
        } finally {
            BenchSupport.deleteTree(root);
        }
        return 0;
    }

    /**
     * The unindexed tail when the writes ended, and how long the indexer then took to fold it (the namespace's
     * metadata polled every 50 ms, for at most 10 minutes; NaN unless {@code wait}).
     */
    record IndexCatchUp(long unindexedBytes, double seconds) {
        static IndexCatchUp measure(int port, String metadataPath, boolean wait) throws Exception {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            long start = System.nanoTime();
            long atEnd = -1;
            try (RawHttpConnection conn = new RawHttpConnection("127.0.0.1", port)) {
                while (System.nanoTime() - start < 600e9) {
                    RawHttpConnection.Response r = conn.get(metadataPath);
                    if (r.status() != 200) throw new IllegalStateException("metadata got HTTP " + r.status() + ": " + r.body());
                    long unindexed = json.readTree(r.body()).path("index").path("unindexed_bytes").asLong(0);
                    if (atEnd < 0) atEnd = unindexed;
                    if (!wait) return new IndexCatchUp(atEnd, Double.NaN);
                    if (unindexed == 0) return new IndexCatchUp(atEnd, (System.nanoTime() - start) / 1e9);
                    Thread.sleep(50);
                }
            }
            throw new IllegalStateException("the index did not catch up within 10 minutes");
        }
    }

    /** How the requests are sent. */
    enum Client {
        /** {@code java.net.http.HttpClient}, HTTP/1.1 */
        JDK,
        /** {@link RawHttpConnection}: a socket, the body written straight from its array */
        RAW
    }

    /** Reads {@code jdk} or {@code raw}, in any case. */
    static final class ClientConverter implements CommandLine.ITypeConverter<Client> {
        @Override
        public Client convert(String value) {
            return Client.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** One connection with one request in flight: sends a body, returns once the server acknowledged it with 200. */
    private interface Connection extends AutoCloseable {
        void post(String path, byte[] body);

        @Override
        void close();
    }

    private Connection connect(HttpClient jdk, int port) {
        String base = "http://127.0.0.1:" + port;
        if (client == Client.JDK) {
            return new Connection() { // HttpClient opens as many pooled connections as requests in flight
                @Override
                public void post(String path, byte[] body) {
                    jdkPost(jdk, base + path, body);
                }

                @Override
                public void close() {
                }
            };
        }
        try {
            RawHttpConnection raw = new RawHttpConnection("127.0.0.1", port);
            return new Connection() {
                @Override
                public void post(String path, byte[] body) {
                    try {
                        RawHttpConnection.Response r = raw.post(path, body);
                        if (r.status() != 200) throw new IllegalStateException("write got HTTP " + r.status() + ": " + r.body());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }

                @Override
                public void close() {
                    try {
                        raw.close();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            };
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void jdkPost(HttpClient client, String url, byte[] body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                throw new IllegalStateException("write got HTTP " + res.statusCode() + ": " + res.body());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
