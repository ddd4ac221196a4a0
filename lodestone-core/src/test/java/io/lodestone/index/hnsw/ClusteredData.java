package io.lodestone.index.hnsw;

import io.lodestone.index.ArrayVectorValues;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.index.RandomVectorScorer;
import io.lodestone.index.AcceptOrds;
import io.lodestone.vector.DistanceMetric;

import java.util.Arrays;
import java.util.Random;

/**
 * Test data: Gaussian clusters (what embeddings look like, unlike uniform noise) and exact top-k by
 * brute force.
 */
final class ClusteredData {

    private ClusteredData() {
    }

    /** {@code n} vectors of {@code dim} floats around {@code clusters} Gaussian centres, row-major. */
    static float[] vectors(Random random, int n, int dim, int clusters) {
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int i = 0; i < dim; i++) {
                c[i] = (float) random.nextGaussian();
            }
        }
        float[] data = new float[n * dim];
        for (int r = 0; r < n; r++) {
            float[] c = centres[random.nextInt(clusters)];
            for (int i = 0; i < dim; i++) {
                data[r * dim + i] = c[i] + 0.35f * (float) random.nextGaussian();
            }
        }
        return data;
    }

    /** {@code count} query vectors drawn like the data. */
    static float[][] queries(Random random, float[] data, int dim, int count) {
        int n = data.length / dim;
        float[][] q = new float[count][dim];
        for (float[] v : q) {
            int base = random.nextInt(n) * dim;
            for (int i = 0; i < dim; i++) {
                v[i] = data[base + i] + 0.2f * (float) random.nextGaussian();
            }
        }
        return q;
    }

    /** The exact {@code k} nearest accepted ordinals to {@code query}, closest first. */
    static int[] exactTopK(DistanceMetric metric, float[] data, int dim, float[] query, int k, AcceptOrds accept) {
        RandomVectorScorer scorer = FloatVectorScorerSupplier.create(metric, ArrayVectorValues.wrap(data, dim))
                .forQuery(query);
        int n = data.length / dim;
        long[] keys = new long[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (accept == null || accept.accept(i)) {
                keys[m++] = NeighborQueue.encode(i, scorer.distance(i));
            }
        }
        Arrays.sort(keys, 0, m);
        int[] top = new int[Math.min(k, m)];
        for (int i = 0; i < top.length; i++) {
            top[i] = NeighborQueue.decodeNode(keys[i]);
        }
        return top;
    }

    /** |a ∩ b| / |b|. */
    static double overlap(int[] a, int[] b) {
        int hits = 0;
        for (int x : a) {
            for (int y : b) {
                if (x == y) {
                    hits++;
                    break;
                }
            }
        }
        return b.length == 0 ? 1 : (double) hits / b.length;
    }
}
