package io.lodestone.quant;

import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

/** {@link FullVectors} over one row-major array. */
record RowVectors(float[] rows, int dimension) implements FullVectors {

    RowVectors {
        if (dimension < 1 || rows.length % dimension != 0) {
            throw new IllegalArgumentException("rows of " + rows.length + " floats are not a whole number of "
                    + dimension + "-d vectors");
        }
    }

    @Override
    public int size() {
        return rows.length / dimension;
    }

    @Override
    public float distance(DistanceMetric metric, float[] query, int ordinal) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("vector dimensions differ: query has " + query.length
                    + ", rows have " + dimension);
        }
        return VectorUtil.distance(metric, query, 0, rows, ordinal * dimension, dimension);
    }
}
