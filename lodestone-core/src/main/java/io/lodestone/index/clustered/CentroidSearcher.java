package io.lodestone.index.clustered;

import io.lodestone.index.ArrayVectorValues;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.index.TopOrds;
import io.lodestone.index.hnsw.HnswGraph;
import io.lodestone.index.hnsw.HnswGraphBuilder;
import io.lodestone.index.hnsw.HnswGraphSearcher;
import io.lodestone.index.hnsw.HnswParams;
import io.lodestone.quant.KMeans;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

/**
 * The nearest centroids to a rotated vector, by squared Euclidean distance: a scan of all of them
 * while there are at most {@value #FLAT_LIMIT}, else an HNSW walk over them. Assigning rows at build
 * ({@link #nearest}) scans coordinate-major with plain loops (vectorized over the centroids, rounding
 * reproducible, so the file is); probing for a query ({@link #probe}) scans the rows with the SIMD
 * kernels. Thread-safe (graph searchers are per thread).
 */
final class CentroidSearcher {

    /** Up to this many centroids a scan beats a graph walk, and no graph is stored. */
    static final int FLAT_LIMIT = 1024;
    /** The centroid graph: small, so built on one thread (reproducible from its seed). */
    static final HnswParams GRAPH_PARAMS = new HnswParams(16, 100, 42);
    private static final int MIN_EF = 64;

    private final float[] centroids;
    private final int clusters;
    private final int dim;
    /** Flat scan for assignment: {@code transposed[j·K + c]}; null with a graph or for queries. */
    private final float[] transposed;
    private final HnswGraph graph;
    /** The first pass of a flat probe; null with a graph or for assignment. */
    private final Int8Centroids int8;
    private final FloatVectorScorerSupplier scorers;
    private final ThreadLocal<HnswGraphSearcher> searchers = ThreadLocal.withInitial(HnswGraphSearcher::new);

    /**
     * Over {@code clusters} row-major centroids of {@code dim} floats, with their graph when there are
     * many. {@code assigning}: {@link #nearest} will scan them (a build), which keeps a transposed copy;
     * queries ({@link #probe}) scan the rows themselves.
     */
    CentroidSearcher(float[] centroids, int clusters, int dim, HnswGraph graph, boolean assigning) {
        this.centroids = centroids;
        this.clusters = clusters;
        this.dim = dim;
        this.graph = graph;
        if (graph == null && assigning) {
            this.transposed = new float[clusters * dim];
            KMeans.transpose(centroids, clusters, dim, transposed);
        } else {
            this.transposed = null;
        }
        this.int8 = graph == null && !assigning ? new Int8Centroids(centroids, clusters, dim) : null;
        this.scorers = graph == null ? null : FloatVectorScorerSupplier.createForUnitVectors(
                DistanceMetric.EUCLIDEAN_SQUARED, ArrayVectorValues.wrap(centroids, dim));
    }

    /** Whether {@code clusters} centroids are searched through a graph. */
    static boolean needsGraph(int clusters) {
        return clusters > FLAT_LIMIT;
    }

    /** Builds the centroid graph, or null when the centroids are few enough to scan. */
    static HnswGraph buildGraph(float[] centroids, int clusters, int dim) {
        if (!needsGraph(clusters)) {
            return null;
        }
        return HnswGraphBuilder.build(FloatVectorScorerSupplier.createForUnitVectors(DistanceMetric.EUCLIDEAN_SQUARED,
                ArrayVectorValues.wrap(centroids, dim)), GRAPH_PARAMS, 1);
    }

    /** The graph, or null. */
    HnswGraph graph() {
        return graph;
    }

    /** Bytes held: the centroids, and the transposed copy, the int8 copy or the graph (counted by the caller). */
    long heapBytes() {
        return 4L * centroids.length + (transposed != null ? 4L * transposed.length : 0)
                + (int8 != null ? int8.heapBytes() : 0);
    }

    /**
     * The {@code count} centroids nearest to {@code x} (at most {@code K}) into {@code ids} and their
     * squared distances into {@code distances}, nearest first (ties by id in a scan); returns how many.
     */
    int nearest(float[] x, int count, int[] ids, float[] distances) {
        count = Math.min(count, clusters);
        if (count <= 0) {
            return 0;
        }
        if (graph != null) {
            TopOrds top = searchers.get().search(graph, scorers.forQuery(x), count, Math.max(MIN_EF, 2 * count), null);
            System.arraycopy(top.ords(), 0, ids, 0, top.size());
            System.arraycopy(top.distances(), 0, distances, 0, top.size());
            return top.size();
        }
        if (transposed == null) {
            throw new IllegalStateException("a centroid searcher made for queries scans with probe");
        }
        float[] scratch = new float[clusters];
        KMeans.nearest(transposed, clusters, dim, x, 0, scratch);
        return smallest(scratch, count, ids, distances);
    }

    /**
     * As {@link #nearest}, for a query: the scan uses the SIMD kernels of {@link VectorUtil} (faster,
     * rounding not reproducible across JIT states, which a query does not need). Flat: the int8 copies
     * pick the centroids that could be among the nearest ({@link Int8Centroids}), and only those get
     * exact distances, so the result is what an exact scan of all of them gives.
     */
    int probe(float[] x, int count, int[] ids, float[] distances) {
        count = Math.min(count, clusters);
        if (count <= 0 || graph != null) {
            return nearest(x, count, ids, distances);
        }
        int[] candidates = new int[clusters];
        int n = int8.candidates(x, count, candidates);
        float[] exact = new float[n];
        for (int i = 0; i < n; i++) {
            exact[i] = VectorUtil.squaredDistance(x, 0, centroids, candidates[i] * dim, dim);
        }
        return smallest(candidates, exact, n, count, ids, distances);
    }

    /** The {@code count} smallest of {@code values}, ascending, ties by index. */
    private static int smallest(float[] values, int count, int[] ids, float[] distances) {
        return smallest(null, values, values.length, count, ids, distances);
    }

    /**
     * The {@code count} smallest of {@code values[0, size)}, ascending, with their ids
     * ({@code candidateIds[i]}, or {@code i} when null; ascending, so ties go by id).
     */
    private static int smallest(int[] candidateIds, float[] values, int size, int count, int[] ids, float[] distances) {
        int n = 0;
        for (int v = 0; v < size; v++) {
            int c = candidateIds == null ? v : candidateIds[v];
            float d = values[v];
            if (n == count && d >= distances[n - 1]) {
                continue;
            }
            int i = n == count ? n - 1 : n++;
            while (i > 0 && distances[i - 1] > d) {   // insertion keeps ties in id order
                distances[i] = distances[i - 1];
                ids[i] = ids[i - 1];
                i--;
            }
            distances[i] = d;
            ids[i] = c;
        }
        return n;
    }

    /** Squared distance between centroids {@code a} and {@code b} (plain loop: reproducible). */
    float distanceBetween(int a, int b) {
        return KMeans.squaredDistance(centroids, a * dim, centroids, b * dim, dim);
    }
}
