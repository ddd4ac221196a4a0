package io.lodestone.bench;

import io.lodestone.doc.DocId;
import io.lodestone.engine.Lodestone;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.WriteRequest;
import io.lodestone.store.LocalObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Write throughput and acknowledgement latency on the local store: writers send batches of
 * {@code --batch} rows of {@code --dims}-d vectors; each batch is acknowledged once its log object is fsynced.
 */
@Command(name = "write", description = "Write throughput and ack latency on the local object store.")
final class WriteBench implements Callable<Integer> {
    @Option(names = "--dir", description = "data directory (default: a temp dir, deleted after)")
    Path dir;
    @Option(names = "--dims", defaultValue = "768")
    int dims;
    @Option(names = "--batch", defaultValue = "1000")
    int batch;
    @Option(names = "--batches", defaultValue = "200", description = "batches per writer")
    int batches;
    @Option(names = "--writers", defaultValue = "1", description = "concurrent writers")
    int writers;
    @Option(names = "--window-ms", defaultValue = "2", description = "group-commit window")
    long windowMs;
    @Option(names = "--indexer", defaultValue = "false", description = "run the background indexer during the writes")
    boolean indexer;
    @Option(names = "--warmup-batches", defaultValue = "20", description = "untimed batches first (JIT warm-up), to another namespace")
    int warmupBatches;

    @Override
    public Integer call() throws Exception {
        Path data = dir != null ? dir : Files.createTempDirectory("lodestone-write-bench");
        Random random = new Random(42);
        // Pre-generate the requests so the timing covers only the write path.
        WriteRequest[][] requests = new WriteRequest[writers][batches];
        long id = 0;
        for (int w = 0; w < writers; w++) {
            for (int b = 0; b < batches; b++) {
                WriteRequest.Builder req = WriteRequest.builder();
                for (int i = 0; i < batch; i++) {
                    float[] v = new float[dims];
                    for (int j = 0; j < dims; j++) v[j] = random.nextFloat() - 0.5f;
                    req.upsert(DocId.of(id++), v, Map.of("category", "c" + (i % 10)));
                }
                requests[w][b] = req.build();
            }
        }
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong rows = new AtomicLong();
        try (LocalObjectStore store = new LocalObjectStore(data);
             Lodestone db = Lodestone.open(store, BenchSupport.engineOptions(data,
                     indexer ? BenchSupport.Indexing.BACKGROUND : BenchSupport.Indexing.OFF, windowMs))) {
            Namespace warm = db.namespace("write-bench-warmup");
            for (int i = 0; i < warmupBatches; i++) warm.write(requests[0][i % batches]);
            Namespace ns = db.namespace("write-bench");
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            Thread[] threads = new Thread[writers];
            for (int w = 0; w < writers; w++) {
                WriteRequest[] mine = requests[w];
                threads[w] = Thread.ofPlatform().start(() -> {
                    for (WriteRequest r : mine) {
                        long t0 = System.nanoTime();
                        ns.write(r);
                        latencies.add(System.nanoTime() - t0);
                        rows.addAndGet(r.rowCount());
                    }
                });
            }
            for (Thread t : threads) t.join();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("{\"bench\":\"write\",\"store\":\"local\",\"indexer\":%b,\"dims\":%d,\"batch_rows\":%d,\"writers\":%d,"
                            + "\"batches\":%d,\"rows\":%d,\"seconds\":%.3f,\"rows_per_s\":%.0f,\"mb_per_s\":%.1f,"
                            + "\"cpu_seconds\":%.3f,\"rows_per_cpu_s\":%.0f,\"ack_p50_ms\":%.2f,\"ack_p99_ms\":%.2f,\"ack_max_ms\":%.2f}%n",
                    indexer, dims, batch, writers, lat.length, rows.get(), seconds, rows.get() / seconds,
                    rows.get() * (dims * 4.0) / seconds / 1e6, cpuSeconds, rows.get() / cpuSeconds, pct(lat, 0.50), pct(lat, 0.99), lat[lat.length - 1] / 1e6);
        } finally {
            if (dir == null) BenchSupport.deleteTree(data);
        }
        return 0;
    }


    /**
     * CPU time of the whole process (every thread, the JIT and GC included): on a shared machine, rows per CPU
     * second compare runs better than rows per wall second.
     */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static double pct(long[] sortedNanos, double p) {
        return sortedNanos[Math.min(sortedNanos.length - 1, (int) Math.floor(p * sortedNanos.length))] / 1e6;
    }


}
