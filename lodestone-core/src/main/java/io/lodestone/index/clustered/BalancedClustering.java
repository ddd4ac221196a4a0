package io.lodestone.index.clustered;

import io.lodestone.quant.KMeans;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Balanced hierarchical k-means (SPANN's balanced clustering, by recursive splitting): a group of
 * sample points larger than {@value #MAX_LEAF_FACTOR} × the leaf target is split by k-means into
 * {@code min(B, ⌈size / target⌉)} parts, {@code B ≈ √K}, and each part again, until every leaf is
 * at most that size; the leaves' means are the centroids. Every leaf is thus capped, and training
 * costs about {@code O(s·√K·d)} per level for {@code s} sample points, two or three levels deep,
 * instead of {@code O(s·K·d)} for a flat k-means. The subtrees below the root are trained in
 * parallel; every split draws from its own seeded {@link Random}, so the result does not depend on
 * the thread count.
 */
final class BalancedClustering {

    /** A group up to this many times the leaf target stays one cluster. */
    static final double MAX_LEAF_FACTOR = 1.5;
    private static final int ITERATIONS = 10;

    private final float[] points;
    private final int dim;
    private final double leafTarget;
    private final int branching;

    private BalancedClustering(float[] points, int dim, double leafTarget, int branching) {
        this.points = points;
        this.dim = dim;
        this.leafTarget = leafTarget;
        this.branching = branching;
    }

    /**
     * Centroids, row-major, for the {@code n} points of {@code dim} floats in {@code points}, aiming
     * at {@code leafTarget} points per cluster (at most {@link #MAX_LEAF_FACTOR} times that).
     */
    static float[] train(float[] points, int n, int dim, double leafTarget, long seed, int threads) {
        int targetClusters = (int) Math.max(1, Math.round(n / leafTarget));
        int branching = Math.max(2, (int) Math.ceil(Math.sqrt(targetClusters)));
        BalancedClustering c = new BalancedClustering(points, dim, Math.max(1, leafTarget), branching);
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        List<int[]> children = c.split(all, seed);
        if (children.size() == 1) {
            return c.mean(all);
        }
        List<float[]> subtrees = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<List<float[]>>> futures = new ArrayList<>();
            for (int i = 0; i < children.size(); i++) {
                int[] group = children.get(i);
                long childSeed = mix(seed, i);
                futures.add(pool.submit(() -> c.leaves(group, childSeed)));
            }
            for (Future<List<float[]>> f : futures) {
                subtrees.addAll(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while clustering", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("clustering failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        float[] centroids = new float[subtrees.size() * dim];
        for (int i = 0; i < subtrees.size(); i++) {
            System.arraycopy(subtrees.get(i), 0, centroids, i * dim, dim);
        }
        return centroids;
    }

    /** The leaf centroids of the subtree of {@code group}, depth first. */
    private List<float[]> leaves(int[] group, long seed) {
        List<float[]> out = new ArrayList<>();
        List<int[]> children = split(group, seed);
        if (children.size() == 1) {
            out.add(mean(group));
            return out;
        }
        for (int i = 0; i < children.size(); i++) {
            out.addAll(leaves(children.get(i), mix(seed, i)));
        }
        return out;
    }

    /** {@code group} itself when small enough, else its k-means parts (non-empty, in centroid order). */
    private List<int[]> split(int[] group, long seed) {
        int size = group.length;
        if (size <= MAX_LEAF_FACTOR * leafTarget || size < 2) {
            return List.of(group);
        }
        int k = (int) Math.min(Math.min(branching, size), Math.max(2, Math.ceil(size / leafTarget)));
        float[] sub = new float[size * dim];
        for (int i = 0; i < size; i++) {
            System.arraycopy(points, group[i] * dim, sub, i * dim, dim);
        }
        float[] centroids = KMeans.train(sub, size, dim, k, ITERATIONS, new Random(seed));
        int[] assignment = KMeans.assign(sub, size, dim, centroids, k);
        int[] counts = new int[k];
        for (int a : assignment) {
            counts[a]++;
        }
        List<int[]> parts = new ArrayList<>();
        int[][] members = new int[k][];
        for (int c = 0; c < k; c++) {
            members[c] = new int[counts[c]];
        }
        int[] fill = new int[k];
        for (int i = 0; i < size; i++) {
            members[assignment[i]][fill[assignment[i]]++] = group[i];
        }
        for (int[] m : members) {
            if (m.length == size) {
                return chunks(group, k);   // all points coincide: k-means cannot split them
            }
            if (m.length > 0) {
                parts.add(m);
            }
        }
        return parts;
    }

    /** {@code group} cut into {@code k} consecutive pieces of nearly equal size. */
    private static List<int[]> chunks(int[] group, int k) {
        List<int[]> parts = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            parts.add(Arrays.copyOfRange(group, (int) ((long) c * group.length / k),
                    (int) ((long) (c + 1) * group.length / k)));
        }
        return parts;
    }

    private float[] mean(int[] group) {
        double[] sum = new double[dim];
        for (int p : group) {
            for (int j = 0; j < dim; j++) {
                sum[j] += points[p * dim + j];
            }
        }
        float[] c = new float[dim];
        for (int j = 0; j < dim; j++) {
            c[j] = (float) (sum[j] / group.length);
        }
        return c;
    }

    /** A child's seed from its parent's: a SplitMix64 step, so siblings' streams are unrelated. */
    static long mix(long seed, int child) {
        long z = seed + 0x9E3779B97F4A7C15L * (child + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
