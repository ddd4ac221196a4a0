package io.lodestone.bench;

import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorOps;
import io.lodestone.vector.VectorUtil;
import io.lodestone.vector.VectorizationProvider;
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

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Panama against scalar kernels: single pairs (dot, squared L2, cosine) at common embedding sizes, and
 * the bulk scan of exact search (query against 100k row-major vectors). Each implementation is taken
 * explicitly from {@link VectorizationProvider}, so {@code -Dlodestone.vectorization} plays no part.
 * See README.md for how to run it.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class VectorOpsBenchmark {

    /** Two vectors of {@code dim} floats. */
    @State(Scope.Thread)
    public static class Pair {
        @Param({"scalar", "panama"})
        public String impl;

        @Param({"384", "768"})
        public int dim;

        VectorOps ops;
        float[] a;
        float[] b;

        @Setup
        public void setup() {
            ops = ops(impl);
            Random random = new Random(42);
            a = gaussian(random, dim);
            b = gaussian(random, dim);
        }
    }

    /** A query and {@code rows} row-major vectors with their norms: the exact-search scan. */
    @State(Scope.Thread)
    public static class Scan {
        @Param({"scalar", "panama"})
        public String impl;

        @Param({"384", "768"})
        public int dim;

        @Param({"100000"})
        public int rows;

        VectorOps ops;
        float[] query;
        float queryNorm;
        float[] data;
        float[] norms;
        float[] out;

        @Setup
        public void setup() {
            ops = ops(impl);
            Random random = new Random(42);
            query = gaussian(random, dim);
            queryNorm = VectorUtil.norm(query);
            data = gaussian(random, rows * dim);
            norms = new float[rows];
            VectorUtil.norms(data, 0, rows, dim, norms, 0);
            out = new float[rows];
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public float dot(Pair s) {
        return s.ops.dot(s.a, 0, s.b, 0, s.dim);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public float squaredDistance(Pair s) {
        return s.ops.squaredDistance(s.a, 0, s.b, 0, s.dim);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public float cosineDistance(Pair s) {
        return s.ops.cosineDistance(s.a, 0, s.b, 0, s.dim);
    }

    /** Bulk squared-L2 scan over all rows. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] scanSquaredDistance(Scan s) {
        s.ops.distances(DistanceMetric.EUCLIDEAN_SQUARED, s.query, s.data, 0, s.rows, s.dim, s.out);
        return s.out;
    }

    /** Bulk cosine scan with stored row norms: one FMA stream per row. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] scanCosineWithNorms(Scan s) {
        s.ops.cosineDistances(s.query, s.queryNorm, s.data, 0, s.rows, s.dim, s.norms, 0, s.out);
        return s.out;
    }

    static VectorOps ops(String impl) {
        return switch (impl) {
            case "scalar" -> VectorizationProvider.scalar();
            case "panama" -> VectorizationProvider.panama().orElseThrow(() -> new IllegalStateException(
                    "Panama kernels unavailable: " + VectorizationProvider.panamaUnavailableReason().orElse("?")));
            default -> throw new IllegalArgumentException("impl must be scalar or panama; got " + impl);
        };
    }

    static float[] gaussian(Random random, int length) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
