package io.lodestone.quant;

import io.lodestone.index.ArrayVectorValues;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.testing.Seeded;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * RaBitQ's theory, checked empirically: the rotations are orthogonal, the estimator is unbiased, the
 * error bound holds for the stated fraction of pairs, and the bound-pruned rerank loses nothing.
 */
@ExtendWith(Seeded.class)
class TestRaBitQuantizer {

    @ParameterizedTest
    @EnumSource(value = RaBitQuantizer.RotationKind.class, names = {"DENSE", "HADAMARD"})
    void rotationsAreOrthogonal(RaBitQuantizer.RotationKind kind, Random random) {
        // Dense matrices cost n³ to make: keep them small; Hadamard also at a 64-but-not-128 multiple.
        int[] dims = kind == RaBitQuantizer.RotationKind.DENSE ? new int[] {64, 192, 320} : new int[] {64, 192, 1088};
        for (int dim : dims) {
            Rotation rotation = Rotation.random(kind == RaBitQuantizer.RotationKind.DENSE ? Rotation.DENSE
                    : Rotation.BLOCK_HADAMARD, dim, random);
            float[] x = new float[dim];
            float[] y = new float[dim];
            for (int i = 0; i < dim; i++) {
                x[i] = (float) random.nextGaussian();
                y[i] = (float) random.nextGaussian();
            }
            float[] rx = new float[dim];
            float[] ry = new float[dim];
            rotation.apply(x, rx);
            rotation.apply(y, ry);
            // Inner products (hence norms and distances) are preserved; the inverse undoes the rotation.
            float scale = VectorUtil.norm(x) * VectorUtil.norm(y);
            assertThat(VectorUtil.dot(rx, ry)).isCloseTo(VectorUtil.dot(x, y), within(1e-4f * scale));
            assertThat(VectorUtil.norm(rx)).isCloseTo(VectorUtil.norm(x), within(1e-4f * VectorUtil.norm(x)));
            float[] back = new float[dim];
            rotation.applyInverse(rx, back);
            assertThat(VectorUtil.squaredDistance(back, x)).isLessThan(1e-8f * VectorUtil.dot(x, x));
            // And it mixes: a basis vector spreads over many coordinates.
            float[] e = new float[dim];
            e[random.nextInt(dim)] = 1;
            float[] re = new float[dim];
            rotation.apply(e, re);
            int big = 0;
            for (float v : re) {
                big += Math.abs(v) > 0.1 / Math.sqrt(dim) ? 1 : 0;
            }
            assertThat(big).as("%s %d-d coordinates a basis vector reaches", kind, dim).isGreaterThan(dim / 2);
        }
    }

    /**
     * Over many (query, vector) pairs the estimate is unbiased, and {@code |estimate - exact| ≤ bound}
     * holds at least as often as the bound's confidence says: 2Φ(ε0) - 1, 94% for ε0 = 1.9 and 99.7%
     * for ε0 = 3 (allowing a little sampling noise). The bound is linear in ε0, so one quantizer
     * trained with 1.9 serves both.
     */
    @ParameterizedTest(name = "{0} rotation, {1} bits")
    @CsvSource({"DENSE, 1", "HADAMARD, 1", "DENSE, 4", "HADAMARD, 2"})
    void errorBoundHoldsAtItsConfidence(RaBitQuantizer.RotationKind kind, int bits, Random random) {
        int dim = 128;
        float[][] data = Fixtures.manifolds(random, 1000, dim, 20, 8, 4.0);
        float[][] queries = Fixtures.queriesNear(random, data, 20, 0.3);
        for (DistanceMetric metric : Quantizers.METRICS) {
            RaBitQuantizer q = new RaBitQuantizer.Config(bits, 1.9, Math.min(8, bits + 3), kind)
                    .train(metric, data, random.nextLong());
            byte[] codes = q.encodeAll(data);
            int pairs = 0;
            int held = 0;
            int heldAt3 = 0;
            double errorSum = 0;
            double errorSquares = 0;
            for (float[] query : queries) {
                BoundedScorer scorer = q.scorer(query, codes);
                for (int i = 0; i < data.length; i++) {
                    double error = Math.abs(scorer.distance(i) - metric.distance(query, data[i]));
                    double bound = scorer.errorBound(i);
                    pairs++;
                    held += error <= bound ? 1 : 0;
                    heldAt3 += error <= bound * 3 / 1.9 ? 1 : 0;
                    errorSum += scorer.distance(i) - metric.distance(query, data[i]);
                    errorSquares += error * error;
                }
            }
            String what = kind + " " + bits + " bits " + metric.wireName();
            assertThat((double) held / pairs).as("%s: fraction within the ε0 = 1.9 bound", what).isGreaterThanOrEqualTo(0.93);
            assertThat((double) heldAt3 / pairs).as("%s: fraction within the ε0 = 3 bound", what).isGreaterThanOrEqualTo(0.99);
            double rmse = Math.sqrt(errorSquares / pairs);
            assertThat(Math.abs(errorSum / pairs)).as("%s: |mean error| vs rmse %s", what, rmse).isLessThan(0.1 * rmse);
        }
    }

    @Test
    void boundPrunedRerankFindsWhatTheFullRerankFinds(Random random) {
        float[][] data = Fixtures.manifolds(random, 3000, 96, 20, 8, 4.0);
        for (DistanceMetric metric : Quantizers.METRICS) {
            FloatVectorScorerSupplier vectors = FloatVectorScorerSupplier.create(metric, ArrayVectorValues.copyOf(data));
            RaBitQuantizer q = RaBitQuantizer.Config.DEFAULT.train(metric, data, random.nextLong());
            byte[] codes = q.encodeAll(data);
            int same = 0;
            long exact = 0;
            int queries = 20;
            for (float[] query : Fixtures.queriesNear(random, data, queries, 0.3)) {
                BoundedScorer scorer = q.scorer(query, codes);
                int[] candidates = Reranker.nearestCandidates(scorer, 500);
                List<Neighbor> full = Reranker.rerank(candidates, candidates.length, vectors.forQuery(query), 10);
                Reranker.Result pruned = Reranker.rerank(scorer, candidates, candidates.length, vectors.forQuery(query), 10);
                same += pruned.neighbors().stream().map(Neighbor::ordinal).toList()
                        .equals(full.stream().map(Neighbor::ordinal).toList()) ? 1 : 0;
                exact += pruned.exactDistances();
                assertThat(pruned.exactDistances()).isBetween(10, candidates.length);
            }
            // The bound fails for a few percent of pairs, so a query may rarely lose a neighbour.
            assertThat(same).as("%s queries with the same top 10", metric).isGreaterThanOrEqualTo(queries - 2);
            assertThat(exact / queries).as("%s exact distances per query", metric).isLessThan(250);
        }
    }

    @Test
    void decodingIsTheLeastSquaresReconstruction(Random random) {
        float[][] data = Fixtures.manifolds(random, 500, 256, 5, 8, 4.0);
        RaBitQuantizer q = RaBitQuantizer.Config.DEFAULT.train(DistanceMetric.EUCLIDEAN_SQUARED, data, 1);
        // |o - ⟨x̄,o⟩x̄|² = 1 - ⟨x̄,o⟩², and ⟨x̄,o⟩² ≈ 2/π for a random rotation.
        double error = q.reconstructionError(data) / TestQuantizerRecall.meanBaseline(DistanceMetric.EUCLIDEAN_SQUARED, data);
        assertThat(error).isCloseTo(1 - 2 / Math.PI, within(0.03));
        assertThat(q.paddedDimension()).isEqualTo(256);
        assertThat(q.codeSize()).isEqualTo(256 / 8 + 8);
        // Extended codes keep far more: about 1 - 0.98² with 4 bits.
        RaBitQuantizer q4 = RaBitQuantizer.Config.withBits(4).train(DistanceMetric.EUCLIDEAN_SQUARED, data, 1);
        double error4 = q4.reconstructionError(data) / TestQuantizerRecall.meanBaseline(DistanceMetric.EUCLIDEAN_SQUARED, data);
        assertThat(error4).isLessThan(0.05);
        assertThat(q4.codeSize()).isEqualTo(4 * 256 / 8 + 12);
    }
}
