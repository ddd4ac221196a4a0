package io.lodestone.index.clustered;

import io.lodestone.testing.Seeded;
import io.lodestone.vector.VectorUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A flat probe through the int8 first pass finds exactly what an exact scan of every centroid finds. */
@ExtendWith(Seeded.class)
class TestInt8Centroids {

    @Test
    void probeEqualsAnExactScan(Random random) {
        for (int round = 0; round < 20; round++) {
            int clusters = 1 + random.nextInt(400);
            int dim = 64 * (1 + random.nextInt(3));
            float[] centroids = new float[clusters * dim];
            for (int i = 0; i < centroids.length; i++) {
                centroids[i] = (float) random.nextGaussian() * (random.nextBoolean() ? 1f : 0.05f);
            }
            for (int c = 1; c < clusters; c += 7) {   // duplicates: ties must go by id
                System.arraycopy(centroids, (c - 1) * dim, centroids, c * dim, dim);
            }
            CentroidSearcher searcher = new CentroidSearcher(centroids, clusters, dim, null, false);
            for (int q = 0; q < 10; q++) {
                float[] x = new float[dim];
                int near = random.nextInt(clusters);
                for (int i = 0; i < dim; i++) {
                    x[i] = centroids[near * dim + i] + 0.1f * (float) random.nextGaussian();
                }
                int count = 1 + random.nextInt(Math.min(clusters, 64));
                int[] ids = new int[count];
                float[] distances = new float[count];
                int found = searcher.probe(x, count, ids, distances);

                Integer[] order = new Integer[clusters];
                float[] exact = new float[clusters];
                for (int c = 0; c < clusters; c++) {
                    order[c] = c;
                    exact[c] = VectorUtil.squaredDistance(x, 0, centroids, c * dim, dim);
                }
                Arrays.sort(order, (a, b) -> exact[a] != exact[b] ? Float.compare(exact[a], exact[b]) : a - b);
                assertThat(found).isEqualTo(count);
                for (int i = 0; i < count; i++) {
                    assertThat(ids[i]).as("rank %d of %d", i, count).isEqualTo(order[i]);
                    assertThat(distances[i]).isEqualTo(exact[order[i]]);
                }
            }
        }
    }
}
