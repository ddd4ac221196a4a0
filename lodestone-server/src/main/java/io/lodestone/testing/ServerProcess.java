package io.lodestone.testing;

import com.fasterxml.jackson.databind.ObjectMapper;

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
 * Runs the real server as a separate JVM ({@code io.lodestone.cli.LodestoneCli serve}, on this JVM's class path),
 * configured only through LODESTONE_* environment variables, so that a test can kill it with SIGKILL and start it
 * again on the same data, and a benchmark can measure the server process apart from its own.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Map<String, String> settings;
    private final String maxHeap;
    private Process process;
    private int port;
    private Path log;
    private int starts;

    /**
     * A server with its logs ({@code root/server-N.log}) and working directory in {@code root}, configured by
     * {@code settings} alone (LODESTONE_* variables; none are inherited), with a 512 MiB heap.
     */
    public ServerProcess(Path root, Map<String, String> settings) {
        this(root, settings, "512m");
    }

    /** As {@link #ServerProcess(Path, Map)} with the heap limit {@code maxHeap} ({@code -Xmx}, e.g. {@code 2g}). */
    public ServerProcess(Path root, Map<String, String> settings, String maxHeap) {
        this.root = root;
        this.settings = Map.copyOf(settings);
        this.maxHeap = maxHeap;
    }

    /** Starts the server on a fresh free port and waits until {@code GET /ready} answers 200. */
    public ServerProcess start() {
        if (process != null && process.isAlive()) throw new IllegalStateException("already running");
        port = freePort();
        log = root.resolve("server-" + (starts++) + ".log");
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java,
                "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx" + maxHeap,
                "-cp", System.getProperty("java.class.path"),
                "io.lodestone.cli.LodestoneCli", "serve"));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Hermetic: no LODESTONE_* settings leak in from the environment running the tests.
        pb.environment().keySet().removeIf(k -> k.startsWith("LODESTONE_"));
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

    /** The LODESTONE_* settings of a server whose storage is the S3 store {@code o} describes. */
    public static Map<String, String> s3Settings(io.lodestone.store.StorageOptions o) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("LODESTONE_STORAGE_BACKEND", "s3");
        env.put("LODESTONE_STORAGE_BUCKET", o.bucket());
        if (o.prefix() != null && !o.prefix().isEmpty()) env.put("LODESTONE_STORAGE_PREFIX", o.prefix());
        if (o.endpoint() != null) env.put("LODESTONE_STORAGE_ENDPOINT", o.endpoint());
        if (o.region() != null) env.put("LODESTONE_STORAGE_REGION", o.region());
        if (o.accessKeyId() != null) {
            env.put("LODESTONE_STORAGE_ACCESS_KEY_ID", o.accessKeyId());
            env.put("LODESTONE_STORAGE_SECRET_ACCESS_KEY", o.secretAccessKey());
        }
        env.put("LODESTONE_STORAGE_PATH_STYLE", Boolean.toString(o.pathStyle()));
        return env;
    }

    /**
     * Polls {@code GET /ready} until it answers 200 {"status":"ready"} (after the start-up warm-up, when that is on);
     * fails early if the JVM exits.
     */
    public void waitHealthy() {
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
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/ready"))
                                .timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && "ready".equals(JSON.readTree(r.body()).path("status").asText())) {
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
    public int kill() {
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

    public boolean isAlive() { return process != null && process.isAlive(); }

    public long pid() { return process.pid(); }

    public int port() { return port; }

    public String baseUrl() { return "http://127.0.0.1:" + port; }

    /** The whole log of the current (or last) run. */
    public String log() {
        try {
            return log == null || !Files.exists(log) ? "" : Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public String logTail() {
        String s = log();
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) kill();
    }

    public static int freePort() {
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
