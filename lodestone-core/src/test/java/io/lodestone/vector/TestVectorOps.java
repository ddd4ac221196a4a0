package io.lodestone.vector;

import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/**
 * Every metric of every {@link VectorOps} (and the {@link VectorUtil} façade) against the
 * double-precision {@link ReferenceDistance}, on lengths around the vector widths (16 floats for
 * AVX-512) and up to the largest dimension Lodestone accepts.
 */
@ExtendWith(Seeded.class)
class TestVectorOps {

    private static final int[] LENGTHS = {1, 3, 15, 17, 1023, 1537, 10752};

    @Test
    void panamaIsAvailableWhenTheModuleIs() {
        assertThat(VectorizationProvider.panama().isPresent())
                .as("panama available; unavailable reason: %s", VectorizationProvider.panamaUnavailableReason())
                .isEqualTo(Implementations.panamaExpected());
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {1, 3, 15, 17, 1023, 1537, 10752})
    void randomVectorsMatchTheReference(int length, Random random) {
        DoubleSupplier[] distributions = {
                () -> random.nextGaussian(),
                () -> random.nextFloat(),                                     // non-negative, the usual data
                () -> random.nextInt(4) == 0 ? 0 : random.nextGaussian(),    // some zeros
                () -> random.nextGaussian() * 1e15,                           // large magnitudes
                () -> -random.nextFloat() * 1e-3,                             // small and negative
                () -> random.nextInt(3) - 1,                                  // -1, 0, 1: many ties
        };
        for (DoubleSupplier d : distributions) {
            float[] a = vector(length, d);
            float[] b = vector(length, d);
            // Make some coordinates equal so that Hamming and the 0/0 rules are exercised.
            for (int i = 0; i < length; i++) {
                if (random.nextInt(4) == 0) {
                    b[i] = a[i];
                }
            }
            checkAllMetrics(a, b);
        }
    }

    @Test
    void everyLengthUpToFourVectorsMatchesTheReference(Random random) {
        // Every main-loop/tail split for 512-bit (and narrower) vectors.
        for (int length = 0; length <= 70; length++) {
            float[] a = vector(length, random::nextGaussian);
            float[] b = vector(length, random::nextGaussian);
            checkAllMetrics(a, b);
        }
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {1, 3, 15, 17, 1023, 1537, 10752})
    void extremeValues(int length, Random random) {
        float[] zeros = new float[length];
        float[] big = vector(length, () -> (random.nextBoolean() ? 1 : -1) * 1e16 * (1 + random.nextDouble()));
        float[] mixed = vector(length, () -> switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> -0.0;
            case 2 -> 1e15 * random.nextGaussian();
            case 3 -> 1e-15 * random.nextGaussian();
            default -> -random.nextFloat();
        });
        float[] negated = negate(mixed);
        float[][] vectors = {zeros, big, mixed, negated, big.clone()};
        for (float[] a : vectors) {
            for (float[] b : vectors) {
                checkAllMetrics(a, b);
            }
        }
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {1, 3, 15, 17, 1023, 1537, 10752})
    void definedEdgeCases(int length, Random random) {
        float[] zeros = new float[length];
        float[] a = vector(length, () -> 1 + random.nextFloat());   // positive, no zero coordinate
        float[] minusA = negate(a);
        for (VectorOps ops : Implementations.all()) {
            String as = ops.name();
            // Zero vectors: cosine is defined as 1, the 0/0 ratios as 0.
            assertThat(ops.cosineDistance(zeros, 0, zeros, 0, length)).as(as).isEqualTo(1f);
            assertThat(ops.cosineDistance(a, 0, zeros, 0, length)).as(as).isEqualTo(1f);
            assertThat(ops.jaccard(zeros, 0, zeros, 0, length)).as(as).isEqualTo(0f);
            assertThat(ops.brayCurtis(zeros, 0, zeros, 0, length)).as(as).isEqualTo(0f);
            assertThat(ops.canberra(zeros, 0, zeros, 0, length)).as(as).isEqualTo(0f);
            assertThat(ops.distance(DistanceMetric.DOT_PRODUCT, a, 0, zeros, 0, length)).as(as).isEqualTo(0f);
            // Against zeros: every positive coordinate is a whole Canberra term and shares nothing.
            assertThat(ops.canberra(a, 0, zeros, 0, length)).as(as).isEqualTo(length);
            assertThat(ops.jaccard(a, 0, zeros, 0, length)).as(as).isEqualTo(1f);
            assertThat(ops.brayCurtis(a, 0, zeros, 0, length)).as(as).isEqualTo(1f);
            assertThat(ops.hamming(a, 0, zeros, 0, length)).as(as).isEqualTo(length);
            // Identical vectors: zero distance (cosine clamped, so never negative).
            for (DistanceMetric m : DistanceMetric.values()) {
                if (m != DistanceMetric.DOT_PRODUCT) {
                    float d = ops.distance(m, a, 0, a.clone(), 0, length);
                    assertThat(d).as("%s %s", as, m).isBetween(0f, 1e-6f);
                }
            }
            // Opposite vectors: cosine 2, Jaccard 1 (opposite signs share nothing), Bray-Curtis 0 by rule.
            assertThat(ops.cosineDistance(a, 0, minusA, 0, length)).as(as).isCloseTo(2f, within(1e-6f));
            assertThat(ops.cosineDistance(a, 0, minusA, 0, length)).as(as).isLessThanOrEqualTo(2f);
            assertThat(ops.jaccard(a, 0, minusA, 0, length)).as(as).isEqualTo(1f);
            assertThat(ops.brayCurtis(a, 0, minusA, 0, length)).as(as).isEqualTo(0f);
            assertThat(ops.canberra(a, 0, minusA, 0, length)).as(as).isEqualTo(length);
            // 0.0 and -0.0 are equal; NaN differs from everything, itself included.
            float[] negativeZeros = negate(zeros);
            assertThat(ops.hamming(zeros, 0, negativeZeros, 0, length)).as(as).isEqualTo(0f);
            float[] nans = new float[length];
            Arrays.fill(nans, Float.NaN);
            assertThat(ops.hamming(nans, 0, nans, 0, length)).as(as).isEqualTo(length);
        }
    }

    @Test
    void offsetsDoNotChangeResults(Random random) {
        for (int length : LENGTHS) {
            float[] a = vector(length, random::nextGaussian);
            float[] b = vector(length, random::nextGaussian);
            int aOffset = random.nextInt(40);
            int bOffset = random.nextInt(40);
            float[] paddedA = embed(a, aOffset, random);
            float[] paddedB = embed(b, bOffset, random);
            for (VectorOps ops : Implementations.all()) {
                for (DistanceMetric m : DistanceMetric.values()) {
                    assertThat(ops.distance(m, paddedA, aOffset, paddedB, bOffset, length))
                            .as("%s %s length %d", ops.name(), m, length)
                            .isCloseTo(ops.distance(m, a, 0, b, 0, length), Rounding.near(ops.distance(m, a, 0, b, 0, length)));
                }
                assertThat(ops.squareSum(paddedA, aOffset, length)).isCloseTo(ops.squareSum(a, 0, length), Rounding.near(ops.squareSum(a, 0, length)));
            }
        }
    }

    @Test
    void squareSumMatchesTheReference(Random random) {
        for (int length : LENGTHS) {
            float[] a = vector(length, random::nextGaussian);
            ReferenceDistance expected = ReferenceDistance.of(DistanceMetric.EUCLIDEAN_SQUARED, a, new float[length]);
            for (VectorOps ops : Implementations.all()) {
                float actual = ops.squareSum(a, 0, length);
                if (!expected.accepts(actual)) {
                    fail("%s squareSum length %d: %s, expected %s", ops.name(), length, actual, expected);
                }
            }
        }
    }

    /** Each metric, each implementation and the façade, against the double-precision reference. */
    static void checkAllMetrics(float[] a, float[] b) {
        for (DistanceMetric m : DistanceMetric.values()) {
            ReferenceDistance expected = ReferenceDistance.of(m, a, b);
            for (VectorOps ops : Implementations.all()) {
                check(ops.name(), m, a, b, ops.distance(m, a, 0, b, 0, a.length), expected);
            }
            check("VectorUtil", m, a, b, VectorUtil.distance(m, a, b), expected);
        }
    }

    private static void check(String impl, DistanceMetric m, float[] a, float[] b, float actual,
                              ReferenceDistance expected) {
        if (!expected.accepts(actual)) {
            fail("%s %s length %d: got %s, expected %s ± %s (a starts %s, b starts %s)", impl, m, a.length,
                    actual, expected.value(), expected.tolerance(), head(a), head(b));
        }
    }

    private static String head(float[] v) {
        return Arrays.toString(Arrays.copyOf(v, Math.min(v.length, 4)));
    }

    static float[] vector(int length, DoubleSupplier values) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) values.getAsDouble();
        }
        return v;
    }

    private static float[] negate(float[] v) {
        float[] n = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            n[i] = -v[i];
        }
        return n;
    }

    /** {@code v} copied to {@code offset} in a larger array of random garbage. */
    private static float[] embed(float[] v, int offset, Random random) {
        float[] padded = vector(offset + v.length + random.nextInt(40), random::nextGaussian);
        System.arraycopy(v, 0, padded, offset, v.length);
        return padded;
    }
}
