package io.lodestone.index.clustered;

import io.lodestone.codec.FrameOutput;
import io.lodestone.index.FloatVectorValues;
import io.lodestone.vector.DistanceMetric;

import java.io.IOException;

/** Placeholder. */
public final class ClusteredIndexWriter {
    private ClusteredIndexWriter() {
    }

    public static void write(FloatVectorValues vectors, DistanceMetric metric, ClusteredParams params, int threads,
                             FrameOutput out) throws IOException {
        throw new UnsupportedOperationException();
    }
}
