package io.lodestone.index.clustered;

import io.lodestone.index.AcceptOrds;
import io.lodestone.index.ExactScorer;
import io.lodestone.index.TopOrds;
import io.lodestone.vector.DistanceMetric;

import java.lang.foreign.MemorySegment;

/** Placeholder. */
public final class ClusteredIndex {
    public static ClusteredIndex open(MemorySegment body, RangeEnsurer ensure, String source) {
        throw new UnsupportedOperationException();
    }

    public int size() { throw new UnsupportedOperationException(); }
    public int dims() { throw new UnsupportedOperationException(); }
    public DistanceMetric metric() { throw new UnsupportedOperationException(); }
    public int clusters() { throw new UnsupportedOperationException(); }
    public long residentBytes() { throw new UnsupportedOperationException(); }
    public int[] probe(float[] q, int nprobe) { throw new UnsupportedOperationException(); }
    public void ensurePostings(int[] clusters) { throw new UnsupportedOperationException(); }
    public TopOrds search(float[] q, int[] clusters, int k, AcceptOrds accept, ExactScorer exact) {
        throw new UnsupportedOperationException();
    }
    public int postingSize(int cluster) { throw new UnsupportedOperationException(); }
}
