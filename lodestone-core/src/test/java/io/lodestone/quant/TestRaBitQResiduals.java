package io.lodestone.quant;

import io.lodestone.testing.Seeded;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Codes relative to many centroids under one rotation ({@link RaBitQuantizer#forResiduals}): the
 * estimator stays unbiased, its bound holds as often as RaBitQ promises, the batch form (SIMD bit
 * counts, float arithmetic) equals the per-code one within float rounding, and a reused
 * {@link ResidualQuery} equals a fresh scorer per posting bit for bit.
 */
@ExtendWith(Seeded.class)
class TestRaBitQResiduals {

    @ParameterizedTest
    @EnumSource(value = DistanceMetric.class, names = {"EUCLIDEAN_SQUARED", "COSINE_DISTANCE", "DOT_PRODUCT"})
    void residualCodesEstimateTheMetricWithinTheBound(DistanceMetric metric, Random random) {
        estimatesWithinTheBound(metric, RaBitQuantizer.Config.DEFAULT, random);
    }

    @ParameterizedTest
    @EnumSource(value = DistanceMetric.class, names = {"EUCLIDEAN_SQUARED", "COSINE_DISTANCE", "DOT_PRODUCT"})
    void extendedResidualCodesEstimateTheMetricWithinTheBound(DistanceMetric metric, Random random) {
        estimatesWithinTheBound(metric, RaBitQuantizer.Config.withBits(2), random);
    }

    private static void estimatesWithinTheBound(DistanceMetric metric, RaBitQuantizer.Config config, Random random) {
        int dim = 90;
        int centroids = 5;
        int perCentroid = 200;
        RaBitQuantizer quantizer = RaBitQuantizer.forResiduals(metric, dim, config, random.nextLong());
        int padded = quantizer.paddedDimension();
        float[][] centres = new float[centroids][];
        float[] rotatedCentres = new float[centroids * padded];
        for (int c = 0; c < centroids; c++) {
            centres[c] = gaussian(random, dim, 0, 1);
            System.arraycopy(quantizer.rotate(centres[c]), 0, rotatedCentres, c * padded, padded);
        }
        float[] query = gaussian(random, dim, 0, 1);
        float[] rotatedQuery = quantizer.rotate(query);
        ResidualQuery reused = quantizer.residualQuery(rotatedQuery);
        int within = 0;
        double signedError = 0;
        double boundSum = 0;
        for (int c = 0; c < centroids; c++) {
            float[][] rows = new float[perCentroid][];
            MemorySegment codes = MemorySegment.ofArray(new byte[perCentroid * quantizer.codeSize()]);
            for (int i = 0; i < perCentroid; i++) {
                rows[i] = gaussian(random, dim, 0, 1);
                for (int j = 0; j < dim; j++) {
                    rows[i][j] = centres[c][j] + 0.5f * rows[i][j];
                }
                quantizer.encodeResidual(quantizer.rotate(rows[i]), rotatedCentres, c, codes,
                        (long) i * quantizer.codeSize());
            }
            BoundedScorer scorer = quantizer.residualScorer(rotatedQuery, rotatedCentres, c, codes);
            float[] estimates = new float[perCentroid];
            float[] bounds = new float[perCentroid];
            scorer.distancesWithBounds(0, perCentroid, estimates, bounds);
            float[] scanned = new float[perCentroid];
            float[] scannedBounds = new float[perCentroid];
            reused.scan(rotatedCentres, c, codes, 0, perCentroid, scanned, scannedBounds);
            assertThat(scanned).containsExactly(estimates);
            assertThat(scannedBounds).containsExactly(bounds);
            float scale = 0;
            for (int i = 0; i < perCentroid; i++) {
                scale = Math.max(scale, Math.abs(scorer.distance(i)) + scorer.errorBound(i));
            }
            for (int i = 0; i < perCentroid; i++) {
                assertThat(estimates[i]).isCloseTo(scorer.distance(i), within(2e-5f * (1 + scale)));
                assertThat(bounds[i]).isCloseTo(scorer.errorBound(i), within(2e-5f * (1 + scale)));
                double exact = metric.distance(query, rows[i]);
                signedError += estimates[i] - exact;
                boundSum += bounds[i];
                within += Math.abs(estimates[i] - exact) <= bounds[i] + 1e-4 ? 1 : 0;
            }
        }
        int pairs = centroids * perCentroid;
        // ε0 = 1.9: the bound holds for about 94% of pairs or more.
        assertThat(within).isGreaterThanOrEqualTo((int) (0.9 * pairs));
        // Unbiased: the mean error is a small fraction of the mean bound.
        assertThat(Math.abs(signedError / pairs)).isLessThan(0.15 * boundSum / pairs);
    }

    private static float[] gaussian(Random random, int dim, float mean, float sigma) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = mean + sigma * (float) random.nextGaussian();
        }
        return v;
    }
}
