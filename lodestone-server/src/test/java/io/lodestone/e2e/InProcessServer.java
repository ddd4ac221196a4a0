package io.lodestone.e2e;

import io.lodestone.config.ConfigLoader;
import io.lodestone.http.LodestoneServer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs {@link LodestoneServer} inside the test JVM on an ephemeral port, with its own data directory. */
final class InProcessServer implements AutoCloseable {

    private final LodestoneServer server;
    private final String baseUrl;

    private InProcessServer(LodestoneServer server) {
        this.server = server;
        this.baseUrl = server.scheme() + "://127.0.0.1:" + server.port();
    }

    /** Starts a server whose data ({@code root/data}) and disk cache ({@code root/cache}) live under {@code root}. */
    static InProcessServer start(Path root) {
        return start(root, Map.of());
    }

    /**
     * {@code extraEnv} is added to (and overrides) the default settings, e.g.
     * {@code LODESTONE_SERVER_MAX_BODY_BYTES}. Only these variables are passed to the config loader,
     * never the test JVM's own environment.
     */
    static InProcessServer start(Path root, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(environment(root));
        env.put("LODESTONE_SERVER_PORT", "0");
        env.putAll(extraEnv);
        return new InProcessServer(LodestoneServer.start(ConfigLoader.load(null, env)));
    }

    /**
     * The LODESTONE_* settings both fixtures use: loopback, data and disk cache under {@code root}, and no start-up
     * warm-up (seconds of CPU per server that the suite's many servers do not need; TestStartupWarmUp runs it).
     */
    static Map<String, String> environment(Path root) {
        Path abs = root.toAbsolutePath();
        return Map.of(
                "LODESTONE_SERVER_HOST", "127.0.0.1",
                "LODESTONE_SERVER_WARM_UP", "false",
                "LODESTONE_STORAGE_PATH", abs.resolve("data").toString(),
                "LODESTONE_CACHE_DISK_PATH", abs.resolve("cache").toString());
    }

    /** {@link #environment(Path)} with {@code settings} on top (they win). */
    static Map<String, String> environment(Path root, Map<String, String> settings) {
        Map<String, String> env = new java.util.HashMap<>(environment(root));
        env.putAll(settings);
        return env;
    }

    int port() { return server.port(); }

    /** The admin key this start generated, if it did (auth on, no admin_key, first start of the bucket). */
    java.util.Optional<String> firstAdminKey() { return server.firstAdminKey(); }

    String baseUrl() { return baseUrl; }

    Json.Http http() { return new Json.Http(baseUrl); }

    @Override
    public void close() { server.close(); }
}
