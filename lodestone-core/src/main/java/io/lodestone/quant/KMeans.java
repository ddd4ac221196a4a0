package io.lodestone.quant;

import java.util.Arrays;
import java.util.Random;

/**
 * Lloyd's k-means with k-means++ seeding, on {@code n} points of {@code dim} floats stored row-major,
 * single-threaded and deterministic for a given {@link Random}. Sized for PQ subspaces (a few to a few
 * dozen dimensions, at most 256 centroids) and for the few-way splits of a clustered index's
 * hierarchical clustering; the loops are plain (no SIMD lane reductions), so results do not depend on
 * when the JIT compiled them.
 */
public final class KMeans {

    private KMeans() {
    }

    /**
     * Trains {@code k} centroids ({@code k ≤ n}) and returns them row-major, {@code k × dim}.
     *
     * <ol>
     *   <li>k-means++: the first centroid is a uniformly random point; each next one is a point drawn
     *       with probability proportional to its squared distance to the nearest centroid so far.</li>
     *   <li>Up to {@code iterations} Lloyd rounds: assign every point to its nearest centroid, move
     *       every centroid to the mean of its points (summed in double); stop early once no point
     *       changes cluster.</li>
     *   <li>An empty cluster takes over the point farthest from its own centroid.</li>
     * </ol>
     */
    public static float[] train(float[] points, int n, int dim, int k, int iterations, Random random) {
        float[] centroids = seed(points, n, dim, k, random);
        int[] assignment = new int[n];
        Arrays.fill(assignment, -1);
        float[] nearestDistance = new float[n];
        double[] sums = new double[k * dim];
        int[] sizes = new int[k];
        float[] transposed = new float[dim * k];
        float[] scratch = new float[k];
        for (int iter = 0; iter < iterations; iter++) {
            boolean changed = false;
            transpose(centroids, k, dim, transposed);
            for (int p = 0; p < n; p++) {
                int best = nearest(transposed, k, dim, points, p * dim, scratch);
                nearestDistance[p] = scratch[best];
                if (best != assignment[p]) {
                    assignment[p] = best;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            Arrays.fill(sums, 0);
            Arrays.fill(sizes, 0);
            for (int p = 0; p < n; p++) {
                int c = assignment[p];
                sizes[c]++;
                for (int j = 0; j < dim; j++) {
                    sums[c * dim + j] += points[p * dim + j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (sizes[c] == 0) {
                    int far = argMax(nearestDistance);
                    nearestDistance[far] = 0;
                    System.arraycopy(points, far * dim, centroids, c * dim, dim);
                    continue;
                }
                for (int j = 0; j < dim; j++) {
                    centroids[c * dim + j] = (float) (sums[c * dim + j] / sizes[c]);
                }
            }
        }
        return centroids;
    }

    private static float[] seed(float[] points, int n, int dim, int k, Random random) {
        float[] centroids = new float[k * dim];
        int first = random.nextInt(n);
        System.arraycopy(points, first * dim, centroids, 0, dim);
        double[] minDistance = new double[n];
        double total = 0;
        for (int p = 0; p < n; p++) {
            minDistance[p] = squaredDistance(points, p * dim, centroids, 0, dim);
            total += minDistance[p];
        }
        for (int c = 1; c < k; c++) {
            int chosen;
            if (total <= 0) {
                chosen = random.nextInt(n);   // all points coincide with centroids: any will do
            } else {
                double target = random.nextDouble() * total;
                chosen = n - 1;
                for (int p = 0; p < n; p++) {
                    target -= minDistance[p];
                    if (target < 0) {
                        chosen = p;
                        break;
                    }
                }
            }
            System.arraycopy(points, chosen * dim, centroids, c * dim, dim);
            total = 0;
            for (int p = 0; p < n; p++) {
                double d = squaredDistance(points, p * dim, centroids, c * dim, dim);
                if (d < minDistance[p]) {
                    minDistance[p] = d;
                }
                total += minDistance[p];
            }
        }
        return centroids;
    }

    /**
     * The nearest of the {@code k} centroids (row-major) to each of the {@code n} points, the lowest
     * index on ties.
     */
    public static int[] assign(float[] points, int n, int dim, float[] centroids, int k) {
        float[] transposed = new float[dim * k];
        transpose(centroids, k, dim, transposed);
        float[] scratch = new float[k];
        int[] assignment = new int[n];
        for (int p = 0; p < n; p++) {
            assignment[p] = nearest(transposed, k, dim, points, p * dim, scratch);
        }
        return assignment;
    }

    /** {@code transposed[j·k + c]} = coordinate {@code j} of centroid {@code c}. */
    public static void transpose(float[] centroids, int k, int dim, float[] transposed) {
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < dim; j++) {
                transposed[j * k + c] = centroids[c * dim + j];
            }
        }
    }

    /**
     * The index of the centroid nearest to {@code x[offset, offset + dim)}, the lowest index on ties,
     * given the {@link #transpose transposed} centroids; leaves the squared distance to each centroid
     * in {@code scratch[0, k)}. Coordinate-major, so the inner loop runs over all centroids at once,
     * which the JIT vectorizes even for 2- or 4-dimensional subspaces.
     */
    public static int nearest(float[] transposed, int k, int dim, float[] x, int offset, float[] scratch) {
        java.util.Arrays.fill(scratch, 0, k, 0f);
        for (int j = 0; j < dim; j++) {
            float xj = x[offset + j];
            int row = j * k;
            for (int c = 0; c < k; c++) {
                float d = xj - transposed[row + c];
                scratch[c] += d * d;
            }
        }
        int best = 0;
        float bestDistance = scratch[0];
        for (int c = 1; c < k; c++) {
            if (scratch[c] < bestDistance) {
                bestDistance = scratch[c];
                best = c;
            }
        }
        return best;
    }

    /** {@code Σ (a_j - b_j)²} over {@code dim} coordinates, a plain loop (deterministic rounding). */
    public static float squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int dim) {
        float sum = 0f;
        for (int j = 0; j < dim; j++) {
            float d = a[aOffset + j] - b[bOffset + j];
            sum += d * d;
        }
        return sum;
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
