package io.lodestone.quant;

import io.lodestone.vector.DistanceMetric;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The last step of every approximate search: approximate distances choose candidates, exact distances
 * on full vectors ({@link FullVectors}, computed by {@link io.lodestone.vector.VectorUtil}) choose and
 * report the top k. The {@link Neighbor#distance()} of every result here is exact; it is the
 * {@code $dist} a query returns. Stateless.
 */
public final class Reranker {

    private static final int SCAN_BATCH = 1024;

    private Reranker() {
    }

    /**
     * The outcome of a bound-pruned rerank.
     *
     * @param neighbors      the top k by exact distance, nearest first
     * @param exactDistances how many exact distances were computed
     */
    public record Result(List<Neighbor> neighbors, int exactDistances) {
    }

    /**
     * Scans every code of {@code scorer} and returns the {@code r} ordinals with the smallest
     * approximate distances, nearest first (ties by ordinal): the brute-force candidate generator.
     */
    public static int[] nearestCandidates(ApproximateScorer scorer, int r) {
        NearestQueue queue = new NearestQueue(Math.max(1, r));
        float[] batch = new float[SCAN_BATCH];
        int size = scorer.size();
        for (int first = 0; first < size; first += SCAN_BATCH) {
            int count = Math.min(SCAN_BATCH, size - first);
            scorer.distances(first, count, batch);
            float worst = queue.worstDistance();
            for (int i = 0; i < count; i++) {
                if (batch[i] <= worst) {
                    queue.offer(first + i, batch[i]);
                    worst = queue.worstDistance();
                }
            }
        }
        Neighbor[] sorted = queue.sorted();
        int[] out = new int[Math.min(r, sorted.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = sorted[i].ordinal();
        }
        return out;
    }

    /**
     * Computes the exact distance of each of the first {@code count} {@code candidates} and returns the
     * {@code k} nearest, nearest first (ties by ordinal). Duplicated candidates count once.
     *
     * @throws IllegalArgumentException if {@code k < 1} or the query's dimension differs
     */
    public static List<Neighbor> rerank(DistanceMetric metric, float[] query, int[] candidates, int count,
                                        FullVectors vectors, int k) {
        check(query, vectors, k);
        Objects.checkFromIndexSize(0, count, candidates.length);
        int[] unique = Arrays.stream(candidates, 0, count).distinct().toArray();
        NearestQueue queue = new NearestQueue(k);
        for (int ordinal : unique) {
            queue.offer(ordinal, vectors.distance(metric, query, ordinal));
        }
        return List.of(queue.sorted());
    }

    /**
     * The rerank of RaBitQ's paper: candidates are visited by increasing lower bound
     * {@code distance - errorBound}, and the exact distance is computed only while that lower bound
     * can still beat the current k-th exact distance. With a bound that holds, the result equals
     * {@link #rerank(DistanceMetric, float[], int[], int, FullVectors, int)} on the same candidates,
     * usually with far fewer exact distances.
     */
    public static Result rerank(BoundedScorer scorer, DistanceMetric metric, float[] query, int[] candidates,
                                int count, FullVectors vectors, int k) {
        check(query, vectors, k);
        int[] unique = Arrays.stream(candidates, 0, count).distinct().toArray();
        int n = unique.length;
        float[] lowerBounds = new float[n];
        float[] bounds = new float[n];
        scorer.distancesWithBounds(unique, n, lowerBounds, bounds);
        for (int i = 0; i < n; i++) {
            lowerBounds[i] -= bounds[i];
        }
        return rerank(metric, query, unique, lowerBounds, n, vectors, k);
    }

    /**
     * The bound-pruned rerank over candidates whose lower bounds are already known (for example
     * {@code distance - errorBound} gathered during a graph search): visits them by increasing lower
     * bound and stops once the next lower bound exceeds the current k-th exact distance. Candidates
     * must be distinct.
     */
    public static Result rerank(DistanceMetric metric, float[] query, int[] candidates, float[] lowerBounds,
                                int count, FullVectors vectors, int k) {
        check(query, vectors, k);
        Objects.checkFromIndexSize(0, count, candidates.length);
        Objects.checkFromIndexSize(0, count, lowerBounds.length);
        long[] order = new long[count];
        for (int i = 0; i < count; i++) {
            // Sort by lower bound: a float's bits order like the float once negatives are flipped.
            int bits = Float.floatToIntBits(lowerBounds[i]);
            int key = bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
            order[i] = ((long) key << 32) | i;
        }
        Arrays.sort(order);
        NearestQueue queue = new NearestQueue(k);
        int exact = 0;
        for (long entry : order) {
            int i = (int) entry;
            if (lowerBounds[i] > queue.worstDistance()) {
                break;
            }
            queue.offer(candidates[i], vectors.distance(metric, query, candidates[i]));
            exact++;
        }
        return new Result(List.of(queue.sorted()), exact);
    }

    private static void check(float[] query, FullVectors vectors, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1; got " + k);
        }
        if (query.length != vectors.dimension()) {
            throw new IllegalArgumentException("vector dimensions differ: query has " + query.length
                    + ", vectors have " + vectors.dimension());
        }
    }
}
