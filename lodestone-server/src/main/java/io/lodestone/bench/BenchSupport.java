package io.lodestone.bench;

import io.lodestone.config.ConfigLoader;
import io.lodestone.engine.EngineOptions;
import io.lodestone.http.LodestoneServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the benchmarks share: engine options for a local data directory, a server in a temporary directory, and cleaning up after. */
final class BenchSupport {
    private BenchSupport() {
    }

    /** When the indexer runs during a benchmark. */
    enum Indexing {
        /** never: everything stays in the log tail */
        OFF,
        /** only on explicit {@code flushIndex()} calls, so background folds do not disturb timings */
        ON_FLUSH,
        /** as a server runs it, with the default thresholds */
        BACKGROUND
    }

    /** Engine options for a benchmark over {@code data}, without backpressure. */
    static EngineOptions engineOptions(Path data, Indexing indexing, long groupCommitWindowMs) {
        EngineOptions d = EngineOptions.defaults();
        EngineOptions.Indexing ix = d.indexing();
        boolean background = indexing == Indexing.BACKGROUND;
        ix = new EngineOptions.Indexing(indexing != Indexing.OFF, background ? ix.minUnindexedBytes() : Long.MAX_VALUE,
                background ? ix.idleMillis() : 3_600_000, Long.MAX_VALUE, ix.maxSegments(), ix.gcGraceMillis(),
                ix.newNamespaceIndex());
        return new EngineOptions("bench/", groupCommitWindowMs, d.maxGroupBytes(), d.maxDimensions(), ix, data.resolve(".cache"));
    }

    /**
     * Starts the real server on loopback, any free port, with its data and disk cache under {@code root}, and
     * {@code settings} (further {@code LODESTONE_*} variables, which win) on top; only these settings are read, never the
     * process's environment.
     */
    static LodestoneServer startServer(Path root, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        env.put("LODESTONE_SERVER_HOST", "127.0.0.1");
        env.put("LODESTONE_SERVER_PORT", "0");
        env.put("LODESTONE_STORAGE_PATH", root.resolve("data").toString());
        env.put("LODESTONE_CACHE_DISK_PATH", root.resolve("cache").toString());
        env.put("LODESTONE_SERVER_WARM_UP", "false"); // these benchmarks warm up the paths they time themselves
        env.putAll(settings);
        return LodestoneServer.start(ConfigLoader.load(null, env));
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path x : all) Files.deleteIfExists(x);
        }
    }
}
