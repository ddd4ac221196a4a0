package io.lodestone.bench;

import io.lodestone.index.ApproximateScorer;
import io.lodestone.quant.ProductQuantizer;
import io.lodestone.quant.QuantizerConfig;
import io.lodestone.quant.RaBitQuantizer;
import io.lodestone.quant.ScalarQuantizer;
import io.lodestone.quant.VectorQuantizer;
import io.lodestone.vector.DistanceMetric;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The quantized scorers of {@code io.lodestone.quant}: a scan of every code (the brute-force candidate
 * generator) and 32 scattered ordinals (one graph node's neighbour list), cosine, over codes in a
 * native segment as an mmapped file would give. Divide a scan by {@code rows} for ns per code.
 * Run: {@code java -jar lodestone-bench/target/benchmarks.jar QuantScorerBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QuantScorerBenchmark {

    /** Codes of {@code rows} random vectors and one query's scorer over them. */
    @State(Scope.Thread)
    public static class Codes {
        @Param({"int8", "pq:dim/8", "rabitq"})
        public String quantizer;

        @Param({"384", "768"})
        public int dim;

        @Param({"100000"})
        public int rows;

        ApproximateScorer scorer;
        float[] out;
        int[] ordinals;
        Arena arena;

        @Setup
        public void setup() {
            Random random = new Random(42);
            float[][] sample = new float[5000][];
            for (int i = 0; i < sample.length; i++) {
                sample[i] = VectorOpsBenchmark.gaussian(random, dim);
            }
            QuantizerConfig config = switch (quantizer) {
                case "int8" -> ScalarQuantizer.Config.AUTO;
                case "pq:dim/8" -> new ProductQuantizer.Config(dim / 8, 4, 5000);
                case "rabitq" -> RaBitQuantizer.Config.DEFAULT;
                default -> throw new IllegalArgumentException("unknown quantizer " + quantizer);
            };
            VectorQuantizer q = config.train(DistanceMetric.COSINE_DISTANCE, sample, 42);
            arena = Arena.ofShared();
            MemorySegment codes = arena.allocate((long) rows * q.codeSize());
            for (int i = 0; i < rows; i++) {
                q.encode(VectorOpsBenchmark.gaussian(random, dim), codes, (long) i * q.codeSize());
            }
            scorer = q.scorer(VectorOpsBenchmark.gaussian(random, dim), codes);
            out = new float[rows];
            ordinals = random.ints(32, 0, rows).toArray();
        }
    }

    /** Approximate distances to every code. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] scan(Codes s) {
        s.scorer.distances(0, s.rows, s.out);
        return s.out;
    }

    /** Approximate distances to 32 scattered codes (cache misses included, as in graph search). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public float[] neighbours(Codes s) {
        s.scorer.distances(s.ordinals, s.ordinals.length, s.out);
        return s.out;
    }
}
