package io.lodestone.quant;

import io.lodestone.vector.DistanceMetric;

import java.lang.foreign.MemorySegment;
import java.util.Random;

/** Checks and small helpers shared by the quantizers. */
final class QuantMath {

    private QuantMath() {
    }

    /*
     * Encoding and query preparation use the plain double-precision loops below rather than the SIMD
     * float reductions of VectorUtil: those may round differently before and after the JIT compiles
     * them (the Vector API leaves the order of a lane reduction open), and a code must not depend on
     * when it was computed.
     */

    /** {@code Σ a_i b_i} over the first {@code n} elements, accumulated in double. */
    static double dot(float[] a, float[] b, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /** The Euclidean norm, accumulated in double. */
    static double norm(float[] v) {
        return Math.sqrt(dot(v, v, v.length));
    }

    /** {@code v / |v|}, or a copy of {@code v} if it is all zeros. */
    static float[] normalized(float[] v) {
        double norm = norm(v);
        float[] out = v.clone();
        if (norm > 0) {
            float inv = (float) (1 / norm);
            for (int i = 0; i < out.length; i++) {
                out[i] *= inv;
            }
        }
        return out;
    }

    /** The vector to quantize or score: normalized for cosine, as is otherwise. */
    static float[] prepare(DistanceMetric metric, float[] v) {
        return metric == DistanceMetric.COSINE_DISTANCE ? normalized(v) : v;
    }

    static void checkMetric(DistanceMetric metric) {
        switch (metric) {
            case COSINE_DISTANCE, EUCLIDEAN_SQUARED, DOT_PRODUCT -> {
            }
            default -> throw new IllegalArgumentException("quantizers support cosine_distance, euclidean_squared"
                    + " and dot_product; got " + metric.wireName());
        }
    }

    /** Checks the sample and returns its dimension. */
    static int checkSample(float[][] sample) {
        if (sample.length == 0) {
            throw new IllegalArgumentException("the training sample is empty");
        }
        int dim = sample[0].length;
        if (dim == 0) {
            throw new IllegalArgumentException("vectors must have at least one dimension");
        }
        for (int i = 1; i < sample.length; i++) {
            if (sample[i].length != dim) {
                throw new IllegalArgumentException("training vector " + i + " has dimension " + sample[i].length
                        + ", vector 0 has " + dim);
            }
        }
        return dim;
    }

    static void checkDimension(float[] vector, int dimension) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector dimensions differ: quantizer has " + dimension
                    + ", vector has " + vector.length);
        }
    }

    /** The number of codes in {@code codes}, checking that its size is a whole number of codes. */
    static int codeCount(MemorySegment codes, int codeSize) {
        long size = codes.byteSize();
        if (size % codeSize != 0) {
            throw new IllegalArgumentException("code block of " + size + " bytes is not a multiple of the code size "
                    + codeSize);
        }
        long count = size / codeSize;
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("code block holds " + count + " codes; at most "
                    + Integer.MAX_VALUE + " are addressable");
        }
        return (int) count;
    }

    /**
     * At most {@code max} vectors of {@code sample}, normalized for cosine: all of them in order when
     * there are few enough, else a seeded uniform choice without replacement.
     */
    static float[][] trainingSet(DistanceMetric metric, float[][] sample, int max, Random random) {
        float[][] chosen;
        if (sample.length <= max) {
            chosen = sample.clone();
        } else {
            int[] index = new int[sample.length];
            for (int i = 0; i < index.length; i++) {
                index[i] = i;
            }
            chosen = new float[max][];
            for (int i = 0; i < max; i++) {
                int j = i + random.nextInt(index.length - i);
                int t = index[i];
                index[i] = index[j];
                index[j] = t;
                chosen[i] = sample[index[i]];
            }
        }
        if (metric == DistanceMetric.COSINE_DISTANCE) {
            for (int i = 0; i < chosen.length; i++) {
                chosen[i] = normalized(chosen[i]);
            }
        }
        return chosen;
    }
}
