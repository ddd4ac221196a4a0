package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.testing.S3ProxyServer;
import io.lodestone.testing.Seeded;
import io.lodestone.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real server processes over one bucket of a real S3-compatible server, with a GC grace of two seconds
 * and a short indexer lease: they write one namespace at once, one of them idles past the grace before
 * writing, and one is killed with SIGKILL and restarted. Afterwards every acknowledged row is visible, with
 * its latest value, on every server, and no request got a 5xx.
 */
@ExtendWith(Seeded.class)
class TestServersOverOneBucket {
    private static final String NS = "shared-bucket";

    @Test
    void acknowledgedWritesSurviveIdlingKillingAndCollecting(Random random, @TempDir Path tmp) throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start()) {
            Map<String, String> env = Map.of(
                    "LODESTONE_STORAGE_BACKEND", "s3",
                    "LODESTONE_STORAGE_BUCKET", s3.bucket(),
                    "LODESTONE_STORAGE_PREFIX", "multi/",
                    "LODESTONE_STORAGE_ENDPOINT", s3.storageOptions(null).endpoint(),
                    "LODESTONE_STORAGE_REGION", S3ProxyServer.REGION,
                    "LODESTONE_STORAGE_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY,
                    "LODESTONE_STORAGE_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY,
                    "LODESTONE_STORAGE_PATH_STYLE", "true",
                    "LODESTONE_INDEXING_GC_GRACE_SECONDS", "2",
                    "LODESTONE_INDEXING_LEASE_SECONDS", "3");
            Map<String, String> folding = new HashMap<>(env);
            folding.put("LODESTONE_INDEXING_MIN_UNINDEXED_BYTES", "2KiB");
            folding.put("LODESTONE_INDEXING_IDLE_MS", "200");
            List<ServerProcess> servers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Path root = Files.createDirectories(tmp.resolve("server-" + i));
                    servers.add(new ServerProcess(root, InProcessServer.environment(root, folding)).start());
                }
                Map<Long, Long> acked = new ConcurrentHashMap<>();
                Map<Long, List<Long>> unacked = new ConcurrentHashMap<>(); // may or may not have been applied
                ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
                write(servers.get(2), 2, 0, acked, unacked, serverErrors); // server 2 loads the namespace, then idles

                // Servers 0 and 1 write for a while (folding and collecting); server 1 is killed and restarted.
                long seed = random.nextLong();
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                java.util.concurrent.atomic.AtomicInteger ackedByRestarted = new java.util.concurrent.atomic.AtomicInteger();
                List<Thread> writers = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    int server = w;
                    writers.add(Thread.ofPlatform().start(() -> {
                        Random r = new Random(seed + server);
                        for (long value = 1; !stop.get(); value++) {
                            long id = server + 3L * r.nextInt(20);
                            write(servers.get(server), id, value, acked, unacked, serverErrors);
                            if (server == 1 && acked.getOrDefault(id, -1L) == value) ackedByRestarted.incrementAndGet();
                        }
                    }));
                }
                Thread.sleep(1_000);
                servers.get(1).kill();
                ackedByRestarted.set(0);
                servers.get(1).start();
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (ackedByRestarted.get() < 10 && System.nanoTime() < deadline) Thread.sleep(50);
                stop.set(true);
                for (Thread t : writers) t.join();
                Thread.sleep(4_500); // server 2 has now idled past the GC grace while the others folded and collected
                write(servers.get(2), 2 + 3 * 50, 99, acked, unacked, serverErrors);
                write(servers.get(0), 3 * 51, 98, acked, unacked, serverErrors);

                assertThat(serverErrors).as("no 5xx from any server").isEmpty();
                assertThat(acked).hasSizeGreaterThan(20);
                for (ServerProcess s : servers) {
                    Map<Long, Long> seen = readAll(s);
                    acked.forEach((id, value) -> {
                        // the latest acknowledged value, or a later write that was in flight when its server died
                        List<Long> allowed = new ArrayList<>(List.of(value));
                        unacked.getOrDefault(id, List.of()).stream().filter(v -> v > value).forEach(allowed::add);
                        assertThat(seen.get(id)).as("id " + id + " on port " + s.port()).isIn(allowed);
                    });
                }
            } finally {
                for (ServerProcess s : servers) s.close();
            }
        }
    }

    /** Upserts {@code id} with attribute {@code v = value}; records it as acknowledged on 200 (a 5xx is recorded too). */
    private static void write(ServerProcess server, long id, long value, Map<Long, Long> acked, Map<Long, List<Long>> unacked,
                              ConcurrentLinkedQueue<String> errors) {
        try (Json.Http http = new Json.Http(server.baseUrl(), Duration.ofSeconds(30))) {
            Json.Response r = http.post("/v2/namespaces/" + NS, Json.obj("upsert_rows",
                    List.of(Json.obj("id", id, "vector", List.of((float) id, 1f, (float) value), "v", value))));
            if (r.ok()) {
                acked.merge(id, value, Math::max);
                return;
            }
            if (r.status() >= 500) errors.add("write " + id + " on port " + server.port() + ": " + r);
        } catch (RuntimeException e) {
            // the connection died with the killed server: not acknowledged
        }
        unacked.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(value);
    }

    private static Map<Long, Long> readAll(ServerProcess server) {
        try (Json.Http http = new Json.Http(server.baseUrl(), Duration.ofSeconds(30))) {
            Json.Response r = http.post("/v2/namespaces/" + NS + "/query",
                    Json.obj("rank_by", List.of("id", "asc"), "top_k", 10_000, "include_attributes", List.of("v")));
            assertThat(r.ok()).as("query on port " + server.port() + ": " + r).isTrue();
            Map<Long, Long> out = new HashMap<>();
            for (JsonNode row : r.json().path("rows")) out.put(row.path("id").asLong(), row.path("v").asLong());
            return out;
        }
    }
}
