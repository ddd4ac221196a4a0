package io.lodestone.quant;

import io.lodestone.index.ApproximateScorer;
import io.lodestone.index.ArrayVectorValues;
import io.lodestone.index.ExactScorer;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.testing.Seeded;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The exact rerank on {@link ExactScorer}s, and candidate selection. */
@ExtendWith(Seeded.class)
class TestReranker {

    @Test
    void rerankReturnsTheExactTopKOfTheCandidates(Random random) {
        float[][] data = Fixtures.clustered(random, 400, 24, 5, 0.5);
        float[] query = Fixtures.queriesNear(random, data, 1, 0.3)[0];
        for (DistanceMetric metric : Quantizers.METRICS) {
            int[] candidates = random.ints(150, 0, data.length).toArray();   // with duplicates
            ExactScorer exact = exact(metric, data, query);
            List<Neighbor> top = Reranker.rerank(candidates, candidates.length, exact, 10);
            List<Neighbor> expected = Arrays.stream(candidates).distinct()
                    .mapToObj(i -> new Neighbor(i, metric.distance(query, data[i])))
                    .sorted().limit(10).toList();
            assertSameNeighbors(top, expected);
            // Only the first `count` candidates count.
            List<Neighbor> firstFive = Reranker.rerank(candidates, 5, exact, 10);
            assertThat(firstFive).hasSizeLessThanOrEqualTo(5)
                    .allSatisfy(n -> assertThat(IntStream.of(Arrays.copyOf(candidates, 5)).anyMatch(c -> c == n.ordinal())).isTrue());
        }
    }

    /**
     * Same ordinals, same distances up to the last bit: the exact scorers' SIMD sums may round
     * differently from {@link DistanceMetric#distance}.
     */
    static void assertSameNeighbors(List<Neighbor> actual, List<Neighbor> expected) {
        assertThat(actual.stream().map(Neighbor::ordinal).toList())
                .isEqualTo(expected.stream().map(Neighbor::ordinal).toList());
        for (int i = 0; i < actual.size(); i++) {
            float e = expected.get(i).distance();
            assertThat(actual.get(i).distance()).isCloseTo(e, within(1e-5f * Math.max(1, Math.abs(e))));
        }
    }

    @Test
    void tiesAreBrokenByOrdinal() {
        float[][] data = {{1, 0}, {0, 1}, {1, 0}, {1, 0}};
        List<Neighbor> top = Reranker.rerank(new int[] {3, 1, 2, 0}, 4,
                exact(DistanceMetric.EUCLIDEAN_SQUARED, data, new float[] {1, 0}), 2);
        assertThat(top).containsExactly(new Neighbor(0, 0f), new Neighbor(2, 0f));
    }

    @Test
    void boundPrunedRerankWithKnownLowerBounds(Random random) {
        float[][] data = Fixtures.clustered(random, 300, 20, 5, 0.5);
        float[] query = Fixtures.queriesNear(random, data, 1, 0.3)[0];
        DistanceMetric metric = DistanceMetric.EUCLIDEAN_SQUARED;
        int[] candidates = IntStream.range(0, data.length).toArray();
        ExactScorer exact = exact(metric, data, query);
        List<Neighbor> full = Reranker.rerank(candidates, candidates.length, exact, 10);
        // Valid but loose bounds (all zero): every candidate needs its exact distance.
        Reranker.Result loose = Reranker.rerank(candidates, new float[data.length], data.length, exact, 10);
        assertSameNeighbors(loose.neighbors(), full);
        assertThat(loose.exactDistances()).isEqualTo(data.length);
        // Tight bounds (just below the exact distance): only the top 10 and near-ties are computed.
        float[] tight = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            tight[i] = metric.distance(query, data[i]) * 0.999f - 1e-6f;
        }
        Reranker.Result pruned = Reranker.rerank(candidates, tight, data.length, exact, 10);
        assertSameNeighbors(pruned.neighbors(), full);
        assertThat(pruned.exactDistances()).isBetween(10, 20);
    }

    @Test
    void nearestCandidatesIsTheApproximateTopR(Random random) {
        float[][] data = Fixtures.clustered(random, 3000, 16, 5, 0.5);   // more than one scan batch
        VectorQuantizer q = new ProductQuantizer.Config(4, 3, 500).train(DistanceMetric.EUCLIDEAN_SQUARED, data, 5);
        ApproximateScorer scorer = q.scorer(data[7], q.encodeAll(data));
        int[] top = Reranker.nearestCandidates(scorer, 40);
        int[] expected = IntStream.range(0, data.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(scorer::distance).thenComparingInt(i -> i))
                .limit(40).mapToInt(Integer::intValue).toArray();
        assertThat(top).isEqualTo(expected);
        assertThat(Reranker.nearestCandidates(scorer, 5000)).hasSize(data.length);
    }

    @Test
    void rerankRefusesAnEmptyK(Random random) {
        float[][] data = Fixtures.clustered(random, 50, 13, 3, 0.5);
        assertThatThrownBy(() -> Reranker.rerank(new int[1], 1, exact(DistanceMetric.DOT_PRODUCT, data, data[0]), 0))
                .hasMessage("k must be >= 1; got 0");
    }

    private static ExactScorer exact(DistanceMetric metric, float[][] data, float[] query) {
        return FloatVectorScorerSupplier.create(metric, ArrayVectorValues.copyOf(data)).forQuery(query);
    }
}
