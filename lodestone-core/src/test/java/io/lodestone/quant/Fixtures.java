package io.lodestone.quant;

import io.lodestone.vector.DistanceMetric;

import java.util.Random;

/** Generated data and brute-force ground truth for the quantizer tests. */
final class Fixtures {

    private Fixtures() {
    }

    /**
     * {@code count} vectors around {@code clusters} Gaussian centres: each centre is N(0, 1) per
     * coordinate, each point its centre plus N(0, spread²) noise, with a per-point scale in [0.5, 1.5]
     * so that norms differ (which matters for dot_product).
     */
    static float[][] clustered(Random random, int count, int dim, int clusters, double spread) {
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int i = 0; i < dim; i++) {
                c[i] = (float) random.nextGaussian();
            }
        }
        return around(random, centres, count, spread);
    }

    /** {@code count} points around the given centres, as {@link #clustered}. */
    static float[][] around(Random random, float[][] centres, int count, double spread) {
        int dim = centres[0].length;
        float[][] out = new float[count][dim];
        for (float[] v : out) {
            float[] c = centres[random.nextInt(centres.length)];
            double scale = 0.5 + random.nextDouble();
            for (int i = 0; i < dim; i++) {
                v[i] = (float) (scale * (c[i] + spread * random.nextGaussian()));
            }
        }
        return out;
    }

    /**
     * {@code count} vectors on {@code clusters} random low-dimensional patches, the shape real embeddings
     * have: each point is its cluster's centre (N(0, 1) per coordinate) plus a combination of the
     * cluster's {@code intrinsic} random directions (N(0, 1) weights, directions of norm
     * {@code spread}) plus small isotropic noise (0.05 per coordinate), times a per-point scale in
     * [0.5, 1.5].
     */
    static float[][] manifolds(Random random, int count, int dim, int clusters, int intrinsic, double spread) {
        float[][][] bases = new float[clusters][intrinsic + 1][dim];
        for (float[][] b : bases) {
            for (int j = 0; j <= intrinsic; j++) {
                double scale = j == 0 ? 1 : spread / Math.sqrt(dim);
                for (int i = 0; i < dim; i++) {
                    b[j][i] = (float) (scale * random.nextGaussian());
                }
            }
        }
        float[][] out = new float[count][dim];
        double[] weights = new double[intrinsic];
        for (float[] v : out) {
            float[][] b = bases[random.nextInt(clusters)];
            double scale = 0.5 + random.nextDouble();
            for (int j = 0; j < intrinsic; j++) {
                weights[j] = random.nextGaussian();
            }
            for (int i = 0; i < dim; i++) {
                double x = b[0][i] + 0.05 * random.nextGaussian();
                for (int j = 0; j < intrinsic; j++) {
                    x += weights[j] * b[j + 1][i];
                }
                v[i] = (float) (scale * x);
            }
        }
        return out;
    }

    /** The centres implied by the first vectors of a set, to draw held-out queries near the data. */
    static float[][] queriesNear(Random random, float[][] data, int count, double noise) {
        int dim = data[0].length;
        float[][] out = new float[count][dim];
        for (float[] q : out) {
            float[] base = data[random.nextInt(data.length)];
            for (int i = 0; i < dim; i++) {
                q[i] = (float) (base[i] + noise * random.nextGaussian());
            }
        }
        return out;
    }

    /** The exact top k by brute force, nearest first (ties by ordinal). */
    static int[] exactTopK(DistanceMetric metric, float[] query, float[][] data, int k) {
        NearestQueue queue = new NearestQueue(k);
        for (int i = 0; i < data.length; i++) {
            queue.offer(i, metric.distance(query, data[i]));
        }
        Neighbor[] sorted = queue.sorted();
        int[] out = new int[sorted.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sorted[i].ordinal();
        }
        return out;
    }

    /** |found ∩ truth| / |truth|. */
    static double recall(int[] truth, int[] found) {
        int hits = 0;
        for (int t : truth) {
            for (int f : found) {
                if (f == t) {
                    hits++;
                    break;
                }
            }
        }
        return (double) hits / truth.length;
    }
}
