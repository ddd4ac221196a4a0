package io.lodestone.quant;

import io.lodestone.index.ExactScorer;
import io.lodestone.index.RandomVectorScorer;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The last step of every approximate search: approximate distances choose candidates, exact distances
 * on full vectors (an {@link ExactScorer}, the same scorers an HNSW walk uses) choose and report the
 * top k. The {@link Neighbor#distance()} of every result here is exact, never an
 * estimate. Stateless.
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
    public static int[] nearestCandidates(RandomVectorScorer scorer, int r) {
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
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public static List<Neighbor> rerank(int[] candidates, int count, ExactScorer exact, int k) {
        checkK(k);
        Objects.checkFromIndexSize(0, count, candidates.length);
        int[] unique = Arrays.stream(candidates, 0, count).distinct().toArray();
        return rerankDistinct(unique, unique.length, exact, k);
    }

    /**
     * As {@link #rerank(int[], int, ExactScorer, int)} for candidates the caller knows to be distinct:
     * one {@link ExactScorer#distances(int[], int, float[])} call over all of them, then the {@code k}
     * nearest, nearest first (ties by ordinal).
     *
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public static List<Neighbor> rerankDistinct(int[] candidates, int count, ExactScorer exact, int k) {
        checkK(k);
        Objects.checkFromIndexSize(0, count, candidates.length);
        float[] distances = new float[count];
        exact.distances(candidates, count, distances);
        NearestQueue queue = new NearestQueue(k);
        for (int i = 0; i < count; i++) {
            if (distances[i] <= queue.worstDistance()) {
                queue.offer(candidates[i], distances[i]);
            }
        }
        return List.of(queue.sorted());
    }

    /**
     * The rerank of RaBitQ's paper: candidates are visited by increasing lower bound
     * {@code distance - errorBound}, and the exact distance is computed only while that lower bound
     * can still beat the current k-th exact distance. With a bound that holds, the result equals
     * {@link #rerank(int[], int, ExactScorer, int)} on the same candidates, usually with far fewer
     * exact distances.
     */
    public static Result rerank(BoundedScorer scorer, int[] candidates, int count, ExactScorer exact, int k) {
        checkK(k);
        int[] unique = Arrays.stream(candidates, 0, count).distinct().toArray();
        int n = unique.length;
        float[] lowerBounds = new float[n];
        float[] bounds = new float[n];
        scorer.distancesWithBounds(unique, n, lowerBounds, bounds);
        for (int i = 0; i < n; i++) {
            lowerBounds[i] -= bounds[i];
        }
        return rerank(unique, lowerBounds, n, exact, k);
    }

    /**
     * The bound-pruned rerank over candidates whose lower bounds are already known (for example
     * {@code distance - errorBound} gathered during a graph search): visits them by increasing lower
     * bound and stops once the next lower bound exceeds the current k-th exact distance. Candidates
     * must be distinct.
     */
    public static Result rerank(int[] candidates, float[] lowerBounds, int count, ExactScorer exact, int k) {
        checkK(k);
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
        int computed = 0;
        for (long entry : order) {
            int i = (int) entry;
            if (lowerBounds[i] > queue.worstDistance()) {
                break;
            }
            queue.offer(candidates[i], exact.distance(candidates[i]));
            computed++;
        }
        return new Result(List.of(queue.sorted()), computed);
    }

    private static void checkK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1; got " + k);
        }
    }
}
