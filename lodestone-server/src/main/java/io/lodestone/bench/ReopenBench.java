package io.lodestone.bench;

import io.lodestone.doc.DocId;
import io.lodestone.engine.Lodestone;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.Query;
import io.lodestone.engine.WriteRequest;
import io.lodestone.store.LocalObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * How long a namespace takes to open from its segments: writes {@code --rows} vectors, indexes them,
 * closes the database, then times opening it again and the first query (files mapped and verified, id
 * map built; no index rebuild).
 */
@Command(name = "reopen", description = "Time to reopen an indexed namespace and answer its first query.")
final class ReopenBench implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "1000000")
    int rows;
    @Option(names = "--dims", defaultValue = "96")
    int dims;
    @Option(names = "--dir", description = "data directory (default: a temp dir, deleted after)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path data = dir != null ? dir : Files.createTempDirectory("lodestone-reopen-bench");
        Random random = new Random(3);
        long buildStart = System.nanoTime();
        try (LocalObjectStore store = new LocalObjectStore(data); Lodestone db = Lodestone.open(store, BenchSupport.engineOptions(data, BenchSupport.Indexing.ON_FLUSH, 0))) {
            Namespace ns = db.namespace("reopen");
            for (int start = 0; start < rows; start += 10_000) {
                WriteRequest.Builder b = WriteRequest.builder();
                for (int i = start; i < Math.min(rows, start + 10_000); i++) {
                    float[] v = new float[dims];
                    for (int j = 0; j < dims; j++) v[j] = (float) random.nextGaussian();
                    b.upsert(DocId.of(i), v, Map.of("n", (long) i));
                }
                ns.write(b.build());
            }
            ns.flushIndex();
        }
        double buildS = (System.nanoTime() - buildStart) / 1e9;
        float[] q = new float[dims];
        for (int j = 0; j < dims; j++) q[j] = (float) random.nextGaussian();
        long open = System.nanoTime();
        double firstMs, secondMs;
        try (LocalObjectStore store = new LocalObjectStore(data); Lodestone db = Lodestone.open(store, BenchSupport.engineOptions(data, BenchSupport.Indexing.ON_FLUSH, 0))) {
            Namespace ns = db.namespace("reopen");
            ns.query(Query.nearest(q, 10));
            firstMs = (System.nanoTime() - open) / 1e6;
            long t = System.nanoTime();
            ns.query(Query.nearest(q, 10));
            secondMs = (System.nanoTime() - t) / 1e6;
        }
        System.out.printf("{\"bench\":\"reopen\",\"rows\":%d,\"dims\":%d,\"write_and_index_s\":%.1f,"
                + "\"reopen_and_first_query_ms\":%.0f,\"second_query_ms\":%.1f}%n", rows, dims, buildS, firstMs, secondMs);
        if (dir == null) BenchSupport.deleteTree(data);
        return 0;
    }


}
