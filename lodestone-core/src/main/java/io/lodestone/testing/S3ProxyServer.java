package io.lodestone.testing;

import io.lodestone.store.StorageOptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real S3-compatible server for tests and benchmarks: <a href="https://github.com/gaul/s3proxy">S3Proxy</a> run
 * as a separate Java process on a free loopback port, storing objects in a temporary directory,
 * with SigV2/SigV4 authentication and one bucket ({@link #bucket()}) created. Close it to stop the
 * process and delete the directory.
 *
 * <p>The build copies the S3Proxy jar to {@code lodestone-core/target/s3proxy/s3proxy.jar}
 * (phase {@code generate-test-resources}, for the tests) and to {@code lodestone-server/target/s3proxy/s3proxy.jar}
 * (phase {@code package}, for {@code lodestone bench cold}). System properties for experiments:
 * {@code -Dtests.s3proxy.jar=PATH} runs another jar, {@code -Dtests.s3proxy.provider=transient}
 * another jclouds backend (default {@code filesystem}).
 *
 * <pre>{@code
 * try (var s3 = S3ProxyServer.start();
 *      var store = ObjectStores.open(s3.storageOptions("my-test"))) { ... }
 * }</pre>
 */
public final class S3ProxyServer implements AutoCloseable {

    /** Access key the server accepts. */
    public static final String ACCESS_KEY = "lodestone-test";
    /** Secret key the server accepts. */
    public static final String SECRET_KEY = "lodestone-test-secret";
    /** Region the clients sign for. */
    public static final String REGION = "us-east-1";
    /** The bucket created on start. */
    public static final String BUCKET = "lodestone-test";

    private static final long START_TIMEOUT_MILLIS = 90_000;
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final Path workDir;
    private final URI endpoint;
    private final String provider;
    private final Thread shutdownHook;
    private final boolean keep;

    private S3ProxyServer(Process process, Path workDir, URI endpoint, String provider, boolean keep) {
        this.process = process;
        this.workDir = workDir;
        this.keep = keep;
        this.endpoint = endpoint;
        this.provider = provider;
        this.shutdownHook = new Thread(process::destroyForcibly, "s3proxy-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a server and creates {@link #BUCKET}; waits until it answers. */
    public static S3ProxyServer start() throws IOException {
        Path jar = findJar();
        String provider = System.getProperty("tests.s3proxy.provider", "filesystem");
        IOException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Path workDir = Files.createTempDirectory("s3proxy-");
            try {
                S3ProxyServer server = launch(jar, provider, workDir, freePort(), false);
                try {
                    server.createBucket(BUCKET);
                    return server;
                } catch (RuntimeException e) {
                    server.close();
                    throw e;
                }
            } catch (IOException e) {
                // Most likely the port was taken between probing and binding: try another.
                last = e;
                deleteTree(workDir);
            }
        }
        throw last;
    }

    /**
     * Starts a server whose objects live in {@code dir} and stay there when it is closed (benchmarks that load
     * once and measure many times). Creates {@link #BUCKET} unless {@code dir} already holds it.
     */
    public static S3ProxyServer startKeeping(Path dir) throws IOException {
        Path workDir = Files.createDirectories(dir);
        boolean hasBucket = Files.isDirectory(workDir.resolve("data").resolve(BUCKET));
        IOException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                S3ProxyServer server = launch(findJar(), "filesystem", workDir, freePort(), true);
                if (!hasBucket) server.createBucket(BUCKET);
                return server;
            } catch (IOException e) {
                last = e; // most likely the port was taken between probing and binding: try another
            }
        }
        throw last;
    }

    /** The endpoint, e.g. {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The bucket created on start. */
    public String bucket() {
        return BUCKET;
    }

    /** The jclouds provider serving the objects ({@code filesystem} unless overridden). */
    public String provider() {
        return provider;
    }

    /** Options for an S3 store on {@link #bucket()} under {@code prefix} (null: none). */
    public StorageOptions storageOptions(String prefix) {
        return StorageOptions.s3(BUCKET)
                .withPrefix(prefix)
                .withEndpoint(endpoint.toString())
                .withRegion(REGION)
                .withCredentials(ACCESS_KEY, SECRET_KEY)
                .withPathStyle(true);
    }

    /** Creates another bucket. */
    public void createBucket(String name) {
        try (S3Client client = client()) {
            client.createBucket(b -> b.bucket(name));
        }
    }

    /** A new SDK client for this server (path style, test credentials); the caller closes it. */
    public S3Client client() {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .build();
    }

    /** Stops the process and deletes its data (unless started by {@link #startKeeping}). */
    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
        if (!keep) deleteTree(workDir);
    }

    private static S3ProxyServer launch(Path jar, String provider, Path workDir, int port, boolean keep) throws IOException {
        URI endpoint = uri("http://127.0.0.1:" + port);
        Path data = Files.createDirectories(workDir.resolve("data"));
        Path properties = workDir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=" + provider,
                "jclouds.identity=" + ACCESS_KEY,
                "jclouds.credential=" + SECRET_KEY,
                "jclouds.filesystem.basedir=" + data,
                ""), StandardCharsets.ISO_8859_1);
        Path log = workDir.resolve("s3proxy.log");
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx512m", "-XX:+UseSerialGC",
                "-jar", jar.toString(), "--properties", properties.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        var server = new S3ProxyServer(process, workDir, endpoint, provider, keep);
        try {
            server.awaitReady(log);
            return server;
        } catch (IOException | RuntimeException e) {
            server.process.destroyForcibly();
            Runtime.getRuntime().removeShutdownHook(server.shutdownHook);
            throw e;
        }
    }

    /** Polls until the server answers HTTP (any status: an anonymous request gets 403). */
    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT_MILLIS * 1_000_000;
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("s3proxy exited with status " + process.exitValue() + " before answering on "
                        + endpoint + "; log:\n" + tail(log));
            }
            try {
                var connection = (HttpURLConnection) endpoint.toURL().openConnection();
                connection.setConnectTimeout(1_000);
                connection.setReadTimeout(5_000);
                connection.getResponseCode();
                connection.disconnect();
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("s3proxy did not answer on " + endpoint + " within "
                            + START_TIMEOUT_MILLIS + " ms; log:\n" + tail(log), notYet);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for s3proxy");
            }
        }
    }

    /**
     * The S3Proxy jar: {@code -Dtests.s3proxy.jar}, else {@code target/s3proxy/s3proxy.jar} of the module
     * this class was loaded from (beside {@code target/classes} or the core jar) or of the server that packs
     * the core jar in {@code target/lib}, else relative to the working directory at a module or at the
     * repository root.
     */
    static Path findJar() {
        String override = System.getProperty("tests.s3proxy.jar");
        if (override != null) {
            Path jar = Path.of(override);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("-Dtests.s3proxy.jar=" + override + " is not a file");
            }
            return jar;
        }
        var candidates = new ArrayList<Path>();
        try {
            // lodestone-core/target/classes, lodestone-core/target/lodestone-core-<version>.jar,
            // or lodestone-server/target/lib/lodestone-core-<version>.jar
            Path location = Path.of(S3ProxyServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path parent = location.toAbsolutePath().getParent();
            candidates.add(parent.resolve("s3proxy/s3proxy.jar"));
            candidates.add(parent.getParent().resolve("s3proxy/s3proxy.jar"));
        } catch (URISyntaxException | RuntimeException unknownLocation) {
            // fall through to the working-directory candidates
        }
        candidates.add(Path.of("target/s3proxy/s3proxy.jar").toAbsolutePath());
        candidates.add(Path.of("lodestone-core/target/s3proxy/s3proxy.jar").toAbsolutePath());
        candidates.add(Path.of("lodestone-server/target/s3proxy/s3proxy.jar").toAbsolutePath());
        candidates.add(Path.of("../lodestone-core/target/s3proxy/s3proxy.jar").toAbsolutePath().normalize());
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("s3proxy.jar not found; looked at " + candidates
                + ". Run './lodestone build' (or './mvnw -pl lodestone-core generate-test-resources') or pass -Dtests.s3proxy.jar=PATH");
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static URI uri(String s) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
