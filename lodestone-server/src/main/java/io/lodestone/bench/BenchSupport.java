package io.lodestone.bench;

import io.lodestone.engine.EngineOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What the benchmarks share: engine options for a local data directory, and cleaning up after. */
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

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path x : all) Files.deleteIfExists(x);
        }
    }
}
