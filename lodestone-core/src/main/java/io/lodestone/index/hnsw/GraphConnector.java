package io.lodestone.index.hnsw;

import io.lodestone.index.RandomVectorScorerSupplier;
import io.lodestone.index.TopOrds;
import io.lodestone.index.UpdateableRandomVectorScorer;

/**
 * The last build step: makes every node reachable on level 0 from the entry point. Pruning can drop
 * every incoming link of a node, and such a node could then never be returned. For each unreachable
 * node {@code u}: search the graph for {@code u}'s closest nodes and add a link to {@code u} from the
 * closest reached one with room; if all are full, the closest one replaces its farthest
 * neighbour that has another incoming link. Then everything reachable from {@code u} is marked.
 * Single-threaded; runs after the insertions finish. Usually finds nothing to do.
 */
final class GraphConnector {

    private final OnHeapHnswGraph graph;
    private final RandomVectorScorerSupplier scorers;
    private final HnswParams params;

    GraphConnector(OnHeapHnswGraph graph, RandomVectorScorerSupplier scorers, HnswParams params) {
        this.graph = graph;
        this.scorers = scorers;
        this.params = params;
    }

    /** Passes over the graph at most; each pass usually leaves nothing unreachable. */
    private static final int MAX_PASSES = 4;

    /**
     * Links the unreachable nodes; returns how many links it added. A replaced link can, rarely,
     * cut off another node, so passes repeat (at most {@value #MAX_PASSES}) until all are reached.
     */
    int connect() {
        int added = 0;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            int n = connectPass();
            if (n == 0) {
                break;
            }
            added += n;
        }
        return added;
    }

    private int connectPass() {
        int n = graph.size();
        if (n == 0) {
            return 0;
        }
        boolean[] reached = new boolean[n];
        int[] queue = new int[n];
        int[] buf = new int[graph.maxConn(0)];
        int reachedCount = mark(graph.entryNode(), reached, queue, buf);
        if (reachedCount == n) {
            return 0;
        }
        int[] inDegree = new int[n];
        for (int v = 0; v < n; v++) {
            int c = graph.neighbors(0, v, buf);
            for (int i = 0; i < c; i++) {
                inDegree[buf[i]]++;
            }
        }
        HnswGraphSearcher searcher = new HnswGraphSearcher();
        UpdateableRandomVectorScorer scorer = scorers.scorer();
        UpdateableRandomVectorScorer fromV = scorers.scorer();
        int ef = Math.max(params.efConstruction(), params.m());
        int added = 0;
        for (int u = 0; u < n; u++) {
            if (reached[u]) {
                continue;
            }
            scorer.setQueryOrd(u);
            TopOrds near = searcher.search(graph, scorer, ef, ef, null);
            // Link from a reached node only: that makes u reachable, and a reached node cannot list u
            // already (u would be reached), so the link is never a duplicate. An unreached candidate may
            // well list u (both cut off together).
            int v = -1;
            int closestReached = -1;
            for (int i = 0; i < near.size() && v < 0; i++) {
                int candidate = near.ords()[i];
                if (candidate == u || !reached[candidate]) {
                    continue;
                }
                if (closestReached < 0) {
                    closestReached = candidate;
                }
                if (graph.count(0, candidate) < graph.maxConn(0)) {
                    v = candidate;
                }
            }
            int max = graph.maxConn(0);
            if (v >= 0) {
                graph.append(0, v, u);
            } else {
                v = closestReached >= 0 ? closestReached : graph.entryNode();
                int c = graph.neighbors(0, v, buf);
                fromV.setQueryOrd(v);
                int worst = -1;
                float worstDistance = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < c; i++) {
                    float d = fromV.distance(buf[i]);
                    if (inDegree[buf[i]] > 1 && d > worstDistance) {
                        worst = i;
                        worstDistance = d;
                    }
                }
                if (worst < 0) {
                    worst = c - 1;
                }
                inDegree[buf[worst]]--;
                buf[worst] = u;
                graph.setNeighbors(0, v, buf, Math.min(c, max));
            }
            inDegree[u]++;
            added++;
            mark(u, reached, queue, buf);
        }
        return added;
    }

    /** Marks every node reachable on level 0 from {@code start}; returns how many were newly marked. */
    private int mark(int start, boolean[] reached, int[] queue, int[] buf) {
        if (reached[start]) {
            return 0;
        }
        int head = 0;
        int tail = 0;
        reached[start] = true;
        queue[tail++] = start;
        while (head < tail) {
            int node = queue[head++];
            int c = graph.neighbors(0, node, buf);
            for (int i = 0; i < c; i++) {
                int v = buf[i];
                if (!reached[v]) {
                    reached[v] = true;
                    queue[tail++] = v;
                }
            }
        }
        return tail;
    }
}
