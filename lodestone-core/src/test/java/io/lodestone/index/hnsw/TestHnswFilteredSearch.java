package io.lodestone.index.hnsw;

import io.lodestone.index.AcceptOrds;
import io.lodestone.index.ArrayVectorValues;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.index.TopOrds;
import io.lodestone.testing.Seeded;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.BitSet;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Filtered traversal returns k accepted results whenever at least k nodes match. */
@ExtendWith(Seeded.class)
class TestHnswFilteredSearch {

    private static final int N = 5_000;
    private static final int DIM = 16;

    private float[] data;
    private FloatVectorScorerSupplier scorers;
    private HnswGraph graph;

    @BeforeEach
    void build() {
        Random random = new Random(11);
        data = ClusteredData.vectors(random, N, DIM, 40);
        scorers = FloatVectorScorerSupplier.create(DistanceMetric.EUCLIDEAN_SQUARED, ArrayVectorValues.wrap(data, DIM));
        graph = HnswGraphBuilder.build(scorers, new HnswParams(12, 80, 3), 2);
    }

    @Test
    void selectiveFiltersStillReturnKResults(Random random) {
        HnswGraphSearcher searcher = new HnswGraphSearcher();
        for (int matches : new int[] {1, 5, 10, 11, 25, 50}) {
            BitSet accepted = randomSubset(random, matches);
            AcceptOrds accept = accepted::get;
            for (int q = 0; q < 20; q++) {
                float[] query = ClusteredData.queries(random, data, DIM, 1)[0];
                TopOrds top = searcher.search(graph, scorers.forQuery(query), 10, 20, accept);
                assertThat(top.size()).as("%d matching nodes", matches).isEqualTo(Math.min(10, matches));
                for (int ord : top.ords()) {
                    assertThat(accepted.get(ord)).as("ord %d accepted", ord).isTrue();
                }
                assertThat(top.distances()).isSorted();
                assertThat(top.ords()).doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void broadFiltersKeepRecall(Random random) {
        HnswGraphSearcher searcher = new HnswGraphSearcher();
        for (double fraction : new double[] {0.1, 0.5, 0.9}) {
            BitSet accepted = randomSubset(random, (int) (N * fraction));
            AcceptOrds accept = accepted::get;
            double recall = 0;
            int queries = 50;
            for (int q = 0; q < queries; q++) {
                float[] query = ClusteredData.queries(random, data, DIM, 1)[0];
                TopOrds top = searcher.search(graph, scorers.forQuery(query), 10, 64, accept);
                assertThat(top.size()).isEqualTo(10);
                for (int ord : top.ords()) {
                    assertThat(accepted.get(ord)).isTrue();
                }
                int[] truth = ClusteredData.exactTopK(DistanceMetric.EUCLIDEAN_SQUARED, data, DIM, query, 10, accept);
                recall += ClusteredData.overlap(top.ords(), truth);
            }
            assertThat(recall / queries).as("recall with %.0f%% matching", fraction * 100).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void aFilterMatchingNothingReturnsNothing(Random random) {
        float[] query = ClusteredData.queries(random, data, DIM, 1)[0];
        TopOrds top = new HnswGraphSearcher().search(graph, scorers.forQuery(query), 10, 20, ord -> false);
        assertThat(top.size()).isZero();
    }

    private static BitSet randomSubset(Random random, int size) {
        BitSet set = new BitSet(N);
        while (set.cardinality() < size) {
            set.set(random.nextInt(N));
        }
        return set;
    }
}
