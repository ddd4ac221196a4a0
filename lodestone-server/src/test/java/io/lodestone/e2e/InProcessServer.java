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
        this.baseUrl = "http://127.0.0.1:" + server.port();
    }

    static InProcessServer start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** {@code extraEnv} is added to (and overrides) the default LODESTONE_* settings. */
    static InProcessServer start(Path dataDir, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>();
        env.put("LODESTONE_SERVER_HOST", "127.0.0.1");
        env.put("LODESTONE_SERVER_PORT", "0");
        env.put("LODESTONE_STORAGE_PATH", dataDir.toAbsolutePath().toString());
        env.putAll(extraEnv);
        return new InProcessServer(LodestoneServer.start(ConfigLoader.load(null, env)));
    }

    int port() { return server.port(); }

    String baseUrl() { return baseUrl; }

    Json.Http http() { return new Json.Http(baseUrl); }

    @Override
    public void close() { server.close(); }
}
