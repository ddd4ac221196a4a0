package io.lodestone.index.clustered;

import io.lodestone.codec.FrameOutput;
import io.lodestone.codec.MappedFrame;
import io.lodestone.index.ArrayVectorValues;
import io.lodestone.index.ExactScorer;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.vector.DistanceMetric;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/** Seeded Gaussian-mixture data, a built index file, and exact answers to compare with. */
final class ClusteredFixture {

    static final String FORMAT = "test-clustered";

    final int dims;
    final float[] data;
    final float[][] queries;
    final DistanceMetric metric;
    final FloatVectorScorerSupplier exact;

    /** {@code n} rows and {@code nq} queries from {@code components} Gaussian blobs in {@code dims} dimensions. */
    ClusteredFixture(DistanceMetric metric, int n, int nq, int dims, int components, Random random) {
        this.dims = dims;
        this.metric = metric;
        float[][] centers = new float[components][dims];
        for (float[] c : centers) {
            for (int j = 0; j < dims; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
        this.data = new float[n * dims];
        for (int i = 0; i < n; i++) {
            sample(centers[random.nextInt(components)], random, data, i * dims);
        }
        this.queries = new float[nq][dims];
        for (float[] q : queries) {
            sample(centers[random.nextInt(components)], random, q, 0);
        }
        this.exact = FloatVectorScorerSupplier.create(metric, ArrayVectorValues.wrap(data, dims));
    }

    private void sample(float[] center, Random random, float[] out, int offset) {
        for (int j = 0; j < dims; j++) {
            out[offset + j] = center[j] + 0.4f * (float) random.nextGaussian();
        }
    }

    int size() {
        return data.length / dims;
    }

    ArrayVectorValues values() {
        return ArrayVectorValues.wrap(data, dims);
    }

    ExactScorer exact(float[] q) {
        return exact.forQuery(q);
    }

    /** The true top k of {@code q} by the exact scorer, ties by ordinal. */
    int[] trueTopK(float[] q, int k) {
        ExactScorer s = exact(q);
        float[] d = new float[size()];
        s.distances(0, size(), d);
        Integer[] order = new Integer[size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Float.compare(d[a], d[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] top = new int[k];
        for (int i = 0; i < k; i++) {
            top[i] = order[i];
        }
        return top;
    }

    /** Builds the index into a framed file at {@code file}. */
    void write(Path file, ClusteredParams params, int threads) throws IOException {
        try (FrameOutput out = FrameOutput.create(file, FORMAT, 1)) {
            ClusteredIndexWriter.write(values(), metric, params, threads, out);
            out.finish();
        }
    }

    /** Maps a file {@link #write} made. */
    static MappedFrame map(Path file) throws IOException {
        return MappedFrame.open(file, file.toString(), FORMAT, 1, 1);
    }
}
