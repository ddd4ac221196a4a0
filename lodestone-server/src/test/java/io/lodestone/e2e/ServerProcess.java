package io.lodestone.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real server as a separate JVM ({@code io.lodestone.cli.LodestoneCli serve}), configured
 * only through LODESTONE_* environment variables, so a test can kill it with SIGKILL and start it
 * again on the same data directory.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path root;
    private final Map<String, String> settings;
    private Process process;
    private int port;
    private Path log;
    private int starts;

    /**
     * A server whose data ({@code root/data}), disk cache ({@code root/cache}), logs
     * ({@code root/server-N.log}) and working directory are all under {@code root}.
     */
    ServerProcess(Path root) {
        this(root, Map.of());
    }

    /** As {@link #ServerProcess(Path)}, with more LODESTONE_* settings (e.g. an S3 backend shared by several servers). */
    ServerProcess(Path root, Map<String, String> settings) {
        this.root = root;
        this.settings = Map.copyOf(settings);
    }

    /** Starts the server on a fresh free port and waits until {@code GET /health} answers 200. */
    ServerProcess start() {
        if (process != null && process.isAlive()) throw new IllegalStateException("already running");
        port = freePort();
        log = root.resolve("server-" + (starts++) + ".log");
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java,
                "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                "io.lodestone.cli.LodestoneCli", "serve"));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Hermetic: no LODESTONE_* settings leak in from the environment running the tests.
        pb.environment().keySet().removeIf(k -> k.startsWith("LODESTONE_"));
        pb.environment().putAll(InProcessServer.environment(root));
        pb.environment().putAll(settings);
        pb.environment().put("LODESTONE_SERVER_PORT", Integer.toString(port));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        waitHealthy();
        return this;
    }

    /** Polls {@code GET /health} until it answers 200 {"status":"ok"}; fails early if the JVM exits. */
    void waitHealthy() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue()
                        + " before it was healthy; log:\n" + logTail());
            }
            try {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
                                .timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && "ok".equals(Json.parse(r.body()).path("status").asText())) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(50);
        }
        throw new IllegalStateException("server not healthy after " + START_TIMEOUT + " (last: " + last
                + "); log:\n" + logTail());
    }

    /**
     * Kills the JVM with SIGKILL ({@link ProcessHandle#destroyForcibly()} sends SIGKILL on Linux)
     * and waits for it to die. Returns the exit status: 137 (128 + 9) for a SIGKILL on Linux.
     */
    int kill() {
        ProcessHandle handle = process.toHandle();
        handle.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("server pid " + handle.pid() + " did not die after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    boolean isAlive() { return process != null && process.isAlive(); }

    long pid() { return process.pid(); }

    int port() { return port; }

    String baseUrl() { return "http://127.0.0.1:" + port; }

    Path dataDir() { return root.resolve("data"); }

    /** The whole log of the current (or last) run. */
    String log() {
        try {
            return log == null || !Files.exists(log) ? "" : Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    String logTail() {
        String s = log();
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) kill();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
