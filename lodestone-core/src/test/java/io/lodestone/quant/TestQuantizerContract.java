package io.lodestone.quant;

import io.lodestone.codec.CorruptObjectException;
import io.lodestone.index.ApproximateScorer;
import io.lodestone.testing.Seeded;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * What every quantizer promises beyond recall: deterministic training, the stated code size, scores
 * that are exactly the metric on what the codes decode to (int8, PQ), and exact error messages for
 * bad settings, bad input and corrupt parameters.
 */
@ExtendWith(Seeded.class)
class TestQuantizerContract {

    @ParameterizedTest(name = "{0} dim {1} {2}")
    @MethodSource("io.lodestone.quant.Quantizers#configsAndMetrics")
    void trainingIsDeterministic(QuantizerConfig config, int dim, DistanceMetric metric, Random random)
            throws IOException {
        float[][] data = Fixtures.clustered(random, 400, dim, 6, 0.5);
        long seed = random.nextLong();
        VectorQuantizer a = config.train(metric, data, seed);
        VectorQuantizer b = config.train(metric, data, seed);
        assertThat(TestQuantizerStorage.write(b)).isEqualTo(TestQuantizerStorage.write(a));
        int expectedSize = switch (a) {
            case ScalarQuantizer s -> dim + (metric == DistanceMetric.EUCLIDEAN_SQUARED ? 0 : 4);
            case ProductQuantizer p -> p.subspaces();
            case RaBitQuantizer r -> r.bits() * ((dim + 63) / 64 * 8) + 8 + (r.bits() > 1 ? 4 : 0)
                    + (metric == DistanceMetric.DOT_PRODUCT ? 4 : 0);
        };
        assertThat(a.codeSize()).isEqualTo(expectedSize);
        assertThat(a.encode(data[0])).hasSize(expectedSize);
    }

    @Test
    void scalarScoresAreTheMetricOnDecodedVectors(Random random) {
        float[][] data = Fixtures.clustered(random, 300, 48, 5, 0.5);
        for (DistanceMetric metric : Quantizers.METRICS) {
            ScalarQuantizer q = ScalarQuantizer.Config.AUTO.train(metric, data, random.nextLong());
            byte[] codes = q.encodeAll(data);
            float[] query = Fixtures.queriesNear(random, data, 1, 0.2)[0];
            float[] decodedQuery = q.decode(q.encode(query), 0);
            ApproximateScorer scorer = q.scorer(query, codes);
            for (int i = 0; i < data.length; i++) {
                float[] decoded = q.decode(codes, i * q.codeSize());
                double expected = switch (metric) {
                    case EUCLIDEAN_SQUARED -> DistanceMetric.EUCLIDEAN_SQUARED.distance(decodedQuery, decoded);
                    case DOT_PRODUCT -> -dot(decodedQuery, decoded);
                    default -> 1 - dot(decodedQuery, decoded);   // cosine on normalized, decoded vectors
                };
                assertThat((double) scorer.distance(i)).as("%s row %d", metric, i)
                        .isCloseTo(expected, within(1e-4 * Math.max(1, Math.abs(expected))));
            }
        }
    }

    @Test
    void productScoresAreTheMetricFromQueryToDecodedVector(Random random) {
        float[][] data = Fixtures.clustered(random, 400, 30, 5, 0.5);
        for (DistanceMetric metric : Quantizers.METRICS) {
            ProductQuantizer q = new ProductQuantizer.Config(4, 5, 400).train(metric, data, random.nextLong());
            assertThat(q.clusters()).isEqualTo(256);
            byte[] codes = q.encodeAll(data);
            float[] query = Fixtures.queriesNear(random, data, 1, 0.2)[0];
            float[] prepared = QuantMath.prepare(metric, query);
            ApproximateScorer scorer = q.scorer(query, codes);
            for (int i = 0; i < data.length; i++) {
                float[] decoded = q.decode(codes, i * q.codeSize());
                double expected = switch (metric) {
                    case EUCLIDEAN_SQUARED -> DistanceMetric.EUCLIDEAN_SQUARED.distance(prepared, decoded);
                    case DOT_PRODUCT -> -dot(prepared, decoded);
                    default -> 0.5 * DistanceMetric.EUCLIDEAN_SQUARED.distance(prepared, decoded);   // = 1 - cos when exact
                };
                assertThat((double) scorer.distance(i)).isCloseTo(expected, within(1e-4 * Math.max(1, Math.abs(expected))));
            }
        }
    }

    @Test
    void fewerTrainingVectorsThanCentroids(Random random) {
        float[][] data = Fixtures.clustered(random, 20, 8, 2, 0.5);
        ProductQuantizer q = new ProductQuantizer.Config(2).train(DistanceMetric.EUCLIDEAN_SQUARED, data, 1);
        assertThat(q.clusters()).isEqualTo(20);
        // Each training vector is its own centroid: decoding is exact.
        assertThat(q.reconstructionError(data)).isLessThan(1e-10);
    }

    @Test
    void constantDataAndZeroVectors() {
        float[][] constant = new float[50][16];
        for (float[] v : constant) {
            Arrays.fill(v, 0.25f);
        }
        for (DistanceMetric metric : Quantizers.METRICS) {
            for (QuantizerConfig config : new QuantizerConfig[] {ScalarQuantizer.Config.AUTO,
                    new ProductQuantizer.Config(4), RaBitQuantizer.Config.DEFAULT, RaBitQuantizer.Config.withBits(4)}) {
                VectorQuantizer q = config.train(metric, constant, 3);
                byte[] codes = q.encodeAll(constant);
                ApproximateScorer scorer = q.scorer(constant[0], codes);
                float exact = metric.distance(constant[0], constant[1]);
                assertThat(scorer.distance(1)).as("%s %s", q, metric).isCloseTo(exact, within(1e-3f));
                float[] zeros = new float[16];
                assertThat(q.scorer(zeros, codes).distance(0)).as("%s %s", q, metric).isFinite();
                assertThat(q.decode(q.encode(zeros), 0)).as("%s %s", q, metric).hasSize(16);
            }
        }
    }

    @Test
    void badSettingsAndInputAreRejectedWithTheValue() {
        float[][] data = {{1, 2, 3}, {4, 5, 6}};
        assertThatThrownBy(() -> new ScalarQuantizer.Config(1.5))
                .hasMessage("confidence must be 0 (auto) or in (0, 1]; got 1.5");
        assertThatThrownBy(() -> new ProductQuantizer.Config(0))
                .hasMessage("subspaces must be >= 1; got 0");
        assertThatThrownBy(() -> new ProductQuantizer.Config(4).train(DistanceMetric.EUCLIDEAN_SQUARED, data, 1))
                .hasMessage("subspaces must be in [1, 3] (the dimension); got 4");
        assertThatThrownBy(() -> new RaBitQuantizer.Config(1, 1.9, 9, RaBitQuantizer.RotationKind.AUTO))
                .hasMessage("queryBits must be in [1, 8]; got 9");
        assertThatThrownBy(() -> RaBitQuantizer.Config.withBits(0)).hasMessage("bits must be in [1, 8]; got 0");
        assertThatThrownBy(() -> ScalarQuantizer.Config.AUTO.train(DistanceMetric.MANHATTAN, data, 1))
                .hasMessage("quantizers support cosine_distance, euclidean_squared and dot_product; got manhattan");
        assertThatThrownBy(() -> ScalarQuantizer.Config.AUTO.train(DistanceMetric.DOT_PRODUCT, new float[0][], 1))
                .hasMessage("the training sample is empty");
        assertThatThrownBy(() -> ScalarQuantizer.Config.AUTO.train(DistanceMetric.DOT_PRODUCT,
                new float[][] {{1, 2}, {1, 2, 3}}, 1))
                .hasMessage("training vector 1 has dimension 3, vector 0 has 2");
        VectorQuantizer q = RaBitQuantizer.Config.DEFAULT.train(DistanceMetric.DOT_PRODUCT, data, 1);
        assertThatThrownBy(() -> q.encode(new float[4]))
                .hasMessage("vector dimensions differ: quantizer has 3, vector has 4");
        assertThatThrownBy(() -> q.scorer(new float[3], new byte[q.codeSize() + 1]))
                .hasMessage("code block of " + (q.codeSize() + 1) + " bytes is not a multiple of the code size "
                        + q.codeSize());
    }

    @Test
    void corruptParametersAreReportedWithFieldOffsetAndValues(Random random) throws IOException {
        float[][] data = Fixtures.clustered(random, 100, 8, 2, 0.5);
        byte[] good = TestQuantizerStorage.write(ScalarQuantizer.Config.AUTO.train(DistanceMetric.EUCLIDEAN_SQUARED, data, 1));
        byte[] newer = good.clone();
        newer[1] = 2;
        assertThatThrownBy(() -> VectorQuantizer.read(newer)).isInstanceOf(CorruptObjectException.class)
                .hasMessage("corrupt object quantizer: quantizer format version 2 at offset 1 is not in [1, 1]"
                        + " (written by a newer Lodestone?)");
        byte[] kind = good.clone();
        kind[0] = 9;
        assertThatThrownBy(() -> VectorQuantizer.read(kind))
                .hasMessage("corrupt object quantizer: quantizer kind 9 at offset 0 is not 1 (int8), 2 (product) or 3 (RaBitQ)");
        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        assertThatThrownBy(() -> VectorQuantizer.read(trailing))
                .hasMessage("corrupt object quantizer: 2 bytes after the quantizer at offset " + good.length);
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        assertThatThrownBy(() -> VectorQuantizer.read(truncated)).isInstanceOf(CorruptObjectException.class)
                .hasMessage("corrupt object quantizer: needs 4 bytes at offset " + (good.length - 4) + " but only 1 remain");
        byte[] step = good.clone();
        Arrays.fill(step, good.length - 4, good.length, (byte) 0);   // step = 0
        assertThatThrownBy(() -> VectorQuantizer.read(step))
                .hasMessage("corrupt object quantizer: step before offset " + good.length + " must be finite and > 0; got 0.0");
        // The metric name sits at offset 2: a length byte, then "euclidean_squared"; make it "euclidean_squarex".
        byte[] metric = good.clone();
        metric[2 + 17] = 'x';
        assertThatThrownBy(() -> VectorQuantizer.read(metric)).isInstanceOf(CorruptObjectException.class)
                .hasMessageStartingWith("corrupt object quantizer: bad metric 'euclidean_squarex': unknown distance metric");
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
