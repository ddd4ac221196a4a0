package io.lodestone.index.hnsw;

import io.lodestone.index.AcceptOrds;
import io.lodestone.index.ExactScorer;
import io.lodestone.index.RandomVectorScorer;
import io.lodestone.index.TopOrds;

import java.util.Arrays;

/**
 * Searches an {@link HnswGraph}: greedy descent from the entry point through the upper levels
 * (one closest node per level), then a best-first search of level 0 that keeps the {@code ef}
 * closest nodes seen and stops when the closest unexpanded candidate is farther than all of them.
 *
 * <p>Filtered search. With an {@link AcceptOrds}, rejected nodes are still expanded (the graph is
 * walked through them) but never enter the results, and the stopping rule only applies once
 * {@code ef} accepted nodes are held. So whenever at least {@code k} reachable nodes match, the
 * search returns {@code k} results; a very selective filter makes it walk much of the graph, and
 * the caller should then prefer an exact scan of the matches.
 *
 * <p>Quantized traversal. {@link #search(HnswGraph, RandomVectorScorer, ExactScorer, int, int,
 * AcceptOrds)} walks the graph with any scorer (an {@link io.lodestone.index.ApproximateScorer} on
 * codes) and reranks the {@code ef} candidates with an {@link ExactScorer}.
 *
 * <p>A searcher holds reusable scratch (visited bitset, heaps, buffers): it allocates nothing per
 * hop and, once warm, nothing per search except the returned arrays. Not thread-safe: keep one per
 * thread. It grows to fit the largest graph it has searched.
 */
public final class HnswGraphSearcher {

    private final VisitedSet visited = new VisitedSet(0);
    private final NeighborQueue candidates = new NeighborQueue(256, false);
    private final NeighborQueue results = new NeighborQueue(256, true);
    private int[] neighbors = new int[0];
    private int[] toScore = new int[0];
    private float[] scores = new float[0];
    /** The distance of the node the last {@link #greedyDescent} returned. */
    private float greedyDistance;

    /** A searcher with empty scratch; it sizes itself to the first graph it searches. */
    public HnswGraphSearcher() {
    }

    /**
     * The {@code k} nodes closest to the scorer's query, closest first; fewer if the graph (or the
     * filter) has fewer.
     *
     * @param ef     the candidate list size; larger is slower and more accurate. Raised to {@code k}.
     * @param accept which nodes may be returned; null for all
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public TopOrds search(HnswGraph graph, RandomVectorScorer scorer, int k, int ef, AcceptOrds accept) {
        int[] ords = new int[k];
        float[] distances = new float[k];
        int n = search(graph, scorer, k, ef, accept, ords, distances);
        return n == k ? new TopOrds(ords, distances) : new TopOrds(Arrays.copyOf(ords, n), Arrays.copyOf(distances, n));
    }

    /**
     * As {@link #search(HnswGraph, RandomVectorScorer, int, int, AcceptOrds)}, into caller arrays of
     * at least {@code k} entries; returns the number of results.
     */
    public int search(HnswGraph graph, RandomVectorScorer scorer, int k, int ef, AcceptOrds accept, int[] ords,
                      float[] distances) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1; got " + k);
        }
        NeighborQueue r = searchToLevel0(graph, scorer, Math.max(ef, k), accept);
        while (r.size() > k) {
            r.pop();
        }
        int n = r.size();
        for (int i = n - 1; i >= 0; i--) {
            long e = r.pop();
            ords[i] = NeighborQueue.decodeNode(e);
            distances[i] = NeighborQueue.decodeDistance(e);
        }
        return n;
    }

    /**
     * Walks the graph with {@code approximate} (a scorer on compact codes), keeps the {@code ef}
     * best candidates, rescores them with {@code exact} and returns the {@code k} closest by the
     * exact distance, closest first.
     */
    public TopOrds search(HnswGraph graph, RandomVectorScorer approximate, ExactScorer exact, int k, int ef,
                          AcceptOrds accept) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1; got " + k);
        }
        NeighborQueue r = searchToLevel0(graph, approximate, Math.max(ef, k), accept);
        int n = r.size();
        int[] nodes = new int[n];
        float[] exactDistances = new float[n];
        for (int i = 0; i < n; i++) {
            nodes[i] = NeighborQueue.decodeNode(r.entryAt(i));
        }
        exact.distances(nodes, n, exactDistances);
        long[] rescored = new long[n];
        for (int i = 0; i < n; i++) {
            rescored[i] = NeighborQueue.encode(nodes[i], exactDistances[i]);
        }
        Arrays.sort(rescored);
        int out = Math.min(k, n);
        int[] ords = new int[out];
        float[] distances = new float[out];
        for (int i = 0; i < out; i++) {
            ords[i] = NeighborQueue.decodeNode(rescored[i]);
            distances[i] = NeighborQueue.decodeDistance(rescored[i]);
        }
        return new TopOrds(ords, distances);
    }

    /** Greedy descent to level 1, then the level-0 search; returns the (internal) result heap. */
    private NeighborQueue searchToLevel0(HnswGraph graph, RandomVectorScorer scorer, int ef, AcceptOrds accept) {
        int ep = graph.entryNode();
        if (ep < 0) {
            results.clear();
            return results;
        }
        float d = scorer.distance(ep);
        for (int level = graph.numLevels() - 1; level > 0; level--) {
            ep = greedyDescent(graph, scorer, level, ep, d);
            d = greedyDistance;
        }
        return searchLevel(graph, scorer, 0, ep, d, ef, accept);
    }

    /**
     * From {@code ep} (at distance {@code epDistance}), moves to the closest neighbour on
     * {@code level} while that is closer; returns the node reached ({@link #greedyDistance()} is its
     * distance).
     */
    int greedyDescent(HnswGraph graph, RandomVectorScorer scorer, int level, int ep, float epDistance) {
        ensureBuffers(graph);
        int current = ep;
        float currentDistance = epDistance;
        boolean changed = true;
        while (changed) {
            changed = false;
            int n = graph.neighbors(level, current, neighbors);
            scorer.distances(neighbors, n, scores);
            int best = current;
            for (int i = 0; i < n; i++) {
                if (scores[i] < currentDistance) {
                    currentDistance = scores[i];
                    best = neighbors[i];
                    changed = true;
                }
            }
            current = best;
        }
        greedyDistance = currentDistance;
        return current;
    }

    /** The distance of the node the last {@link #greedyDescent} returned. */
    float greedyDistance() {
        return greedyDistance;
    }

    /**
     * Best-first search of {@code level} from {@code ep}: returns a max-heap of the (at most)
     * {@code ef} closest accepted nodes found. The heap is this searcher's and is reused by its next
     * search.
     */
    NeighborQueue searchLevel(HnswGraph graph, RandomVectorScorer scorer, int level, int ep, float epDistance,
                              int ef, AcceptOrds accept) {
        ensureBuffers(graph);
        visited.ensureCapacity(graph.size());
        NeighborQueue cand = candidates;
        NeighborQueue res = results;
        cand.clear();
        res.clear();
        int[] nb = neighbors;
        int[] pending = toScore;
        float[] pendingScores = scores;
        VisitedSet seen = visited;

        seen.visit(ep);
        cand.add(ep, epDistance);
        if (accept == null || accept.accept(ep)) {
            res.add(ep, epDistance);
        }
        float bound = res.size() >= ef ? res.topDistance() : Float.POSITIVE_INFINITY;
        while (cand.size() > 0) {
            long c = cand.pop();
            if (NeighborQueue.decodeDistance(c) > bound) {
                break;
            }
            int n = graph.neighbors(level, NeighborQueue.decodeNode(c), nb);
            int m = 0;
            for (int i = 0; i < n; i++) {
                int v = nb[i];
                if (seen.visit(v)) {
                    pending[m++] = v;
                }
            }
            if (m == 0) {
                continue;
            }
            scorer.distances(pending, m, pendingScores);
            for (int i = 0; i < m; i++) {
                float d = pendingScores[i];
                if (d < bound) {
                    int v = pending[i];
                    cand.add(v, d);
                    if (accept == null || accept.accept(v)) {
                        res.addBounded(v, d, ef);
                        if (res.size() >= ef) {
                            bound = res.topDistance();
                        }
                    }
                }
            }
        }
        seen.clear();
        return res;
    }

    private void ensureBuffers(HnswGraph graph) {
        int max = Math.max(graph.maxConn(0), graph.maxConn(1));
        if (neighbors.length < max) {
            neighbors = new int[max];
            toScore = new int[max];
            scores = new float[max];
        }
    }
}
