package io.lodestone.engine;

import io.lodestone.index.ExactScorer;
import io.lodestone.segment.SegmentVectorsFile;

/**
 * An exact scorer over a vectors file read by ranges: the rows a rerank asks for are fetched in one batch of
 * parallel ranged reads, then scored from the mapping. One query's, like the scorer it wraps.
 */
final class FetchingScorer implements ExactScorer {
    private final ExactScorer exact;
    private final SegmentVectorsFile vectors;
    private final int[] one = new int[1];

    FetchingScorer(ExactScorer exact, SegmentVectorsFile vectors) {
        this.exact = exact;
        this.vectors = vectors;
    }

    @Override
    public float distance(int ord) {
        one[0] = ord;
        vectors.ensureRows(one, 1);
        return exact.distance(ord);
    }

    @Override
    public void distances(int[] ords, int count, float[] out) {
        vectors.ensureRows(ords, count);
        exact.distances(ords, count, out);
    }

    @Override
    public int size() {
        return exact.size();
    }
}
