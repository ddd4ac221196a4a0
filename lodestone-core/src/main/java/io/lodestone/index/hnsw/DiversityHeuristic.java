package io.lodestone.index.hnsw;

import io.lodestone.index.UpdateableRandomVectorScorer;

/**
 * Neighbour selection by the HNSW paper's heuristic (Malkov and Yashunin, algorithm 4; hnswlib's
 * {@code getNeighborsByHeuristic2}): walk the candidates from closest to farthest and keep one only
 * if it is closer to the base node than to every neighbour kept so far. This keeps links pointing in
 * different directions, which is what lets greedy search route around clusters. Candidates beyond
 * the first {@code max} kept are dropped (no "keep pruned connections"); if there are fewer than
 * {@code max} candidates they are all kept, as in hnswlib.
 *
 * <p>One per building thread: it holds its own pairwise scorer.
 */
final class DiversityHeuristic {

    private final UpdateableRandomVectorScorer pairScorer;

    DiversityHeuristic(UpdateableRandomVectorScorer pairScorer) {
        this.pairScorer = pairScorer;
    }

    /**
     * Selects up to {@code max} of the {@code count} candidates in {@code sorted} (entries made by
     * {@link NeighborQueue#encode}, ascending by distance to the base node) into {@code out} (same
     * encoding, still ascending); returns how many.
     */
    int select(long[] sorted, int count, int max, long[] out) {
        if (count < max) {
            System.arraycopy(sorted, 0, out, 0, count);
            return count;
        }
        int kept = 0;
        for (int i = 0; i < count && kept < max; i++) {
            long e = sorted[i];
            float toBase = NeighborQueue.decodeDistance(e);
            pairScorer.setQueryOrd(NeighborQueue.decodeNode(e));
            boolean diverse = true;
            for (int j = 0; j < kept; j++) {
                if (pairScorer.distance(NeighborQueue.decodeNode(out[j])) < toBase) {
                    diverse = false;
                    break;
                }
            }
            if (diverse) {
                out[kept++] = e;
            }
        }
        return kept;
    }
}
