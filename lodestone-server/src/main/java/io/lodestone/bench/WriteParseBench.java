package io.lodestone.bench;

import com.fasterxml.jackson.core.JsonParser;
import io.lodestone.http.HttpJson;
import io.lodestone.http.tpuf.WriteBodyReader;
import io.lodestone.http.tpuf.WriteParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Callable;

/**
 * The write-body parser alone, in MB of body per second on one thread (per wall second and, steadier on a
 * shared machine, per second of the thread's CPU time): {@code stream} is what the server runs
 * ({@link WriteBodyReader}, vectors decoded straight to float arrays), {@code tree} the Jackson tree it replaced.
 */
@Command(name = "write-parse", description = "Write-body parsing speed (MB of JSON per second, one thread).")
final class WriteParseBench implements Callable<Integer> {
    /** Which parser runs. */
    enum Parser { STREAM, TREE }

    @Mixin
    WriteBodies.Options shape;
    @Option(names = "--bodies", defaultValue = "10", description = "distinct bodies, parsed in turn")
    int bodies;
    @Option(names = "--seconds", defaultValue = "5", description = "timed seconds, after as long again of warm-up")
    double seconds;
    @Option(names = "--parser", defaultValue = "stream", description = "stream or tree")
    String parser;

    @Override
    public Integer call() throws IOException {
        Parser which = Parser.valueOf(parser.toUpperCase(java.util.Locale.ROOT));
        byte[][] data = shape.build(bodies);
        WriteParser writes = new WriteParser(Integer.MAX_VALUE);
        run(writes, which, data, seconds); // warm-up
        long[] counted = run(writes, which, data, seconds);
        double elapsed = counted[2] / 1e9;
        double cpu = counted[3] / 1e9;
        System.out.printf("{\"bench\":\"write-parse\",\"parser\":\"%s\",\"encoding\":\"%s\",\"dims\":%d,\"batch_rows\":%d,"
                        + "\"bodies_parsed\":%d,\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"mb_per_s\":%.1f,\"mb_per_cpu_s\":%.1f,"
                        + "\"rows_per_s\":%.0f}%n",
                parser, shape.encoding.name().toLowerCase(), shape.dims, shape.batch, counted[0], elapsed, cpu,
                counted[1] / elapsed / 1e6, counted[1] / cpu / 1e6, counted[0] * (double) shape.batch / elapsed);
        return 0;
    }

    /** Parses bodies in turn for {@code seconds}; returns {bodies, bytes, wall nanos, this thread's CPU nanos}. */
    private static long[] run(WriteParser writes, Parser which, byte[][] data, double seconds) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long count = 0;
        long bytes = 0;
        long rows = 0;
        while (System.nanoTime() < deadline) {
            byte[] body = data[(int) (count % data.length)];
            WriteParser.Parsed parsed;
            if (which == Parser.TREE) {
                parsed = writes.parse(HttpJson.MAPPER.readTree(body));
            } else {
                try (JsonParser p = HttpJson.MAPPER.createParser(body)) {
                    parsed = writes.parse(WriteBodyReader.read(p));
                }
            }
            rows += parsed.request().rowCount();
            count++;
            bytes += body.length;
        }
        if (rows == 0) throw new IllegalStateException("nothing parsed");
        return new long[]{count, bytes, System.nanoTime() - start, threads.getCurrentThreadCpuTime() - cpuStart};
    }
}
