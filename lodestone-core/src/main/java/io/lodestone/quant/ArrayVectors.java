package io.lodestone.quant;

import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

/** {@link FullVectors} over an array of arrays. */
record ArrayVectors(float[][] vectors) implements FullVectors {

    @Override
    public int dimension() {
        return vectors.length == 0 ? 0 : vectors[0].length;
    }

    @Override
    public int size() {
        return vectors.length;
    }

    @Override
    public float distance(DistanceMetric metric, float[] query, int ordinal) {
        return VectorUtil.distance(metric, query, vectors[ordinal]);
    }
}
