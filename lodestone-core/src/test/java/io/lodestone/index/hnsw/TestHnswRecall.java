package io.lodestone.index.hnsw;

import io.lodestone.index.ArrayVectorValues;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.index.TopOrds;
import io.lodestone.quant.Int8Vectors;
import io.lodestone.quant.ScalarQuantizer;
import io.lodestone.testing.Seeded;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Recall@10 of the graph against brute force, for every ANN metric, exact and int8 traversal. */
@ExtendWith(Seeded.class)
class TestHnswRecall {

    private static final int N = 10_000;
    private static final int DIM = 32;
    private static final int QUERIES = 200;
    private static final int EF = 64;

    @ParameterizedTest
    @EnumSource(value = DistanceMetric.class, names = {"COSINE_DISTANCE", "EUCLIDEAN_SQUARED", "DOT_PRODUCT"})
    void recallAtTenIsHighAtModerateEf(DistanceMetric metric, Random random) {
        float[] data = ClusteredData.vectors(random, N, DIM, 50);
        float[][] queries = ClusteredData.queries(random, data, DIM, QUERIES);
        ArrayVectorValues values = ArrayVectorValues.wrap(data, DIM);
        FloatVectorScorerSupplier scorers = FloatVectorScorerSupplier.create(metric, values);
        HnswGraph graph = HnswGraphBuilder.build(scorers, new HnswParams(16, 100, random.nextLong()), 2);

        Int8Vectors codes = int8(metric, values, random);
        HnswGraphSearcher searcher = new HnswGraphSearcher();
        double exactRecall = 0;
        double quantizedRecall = 0;
        for (float[] q : queries) {
            int[] truth = ClusteredData.exactTopK(metric, data, DIM, q, 10, null);
            TopOrds top = searcher.search(graph, scorers.forQuery(q), 10, EF, null);
            assertThat(top.distances()).isSorted();
            exactRecall += ClusteredData.overlap(top.ords(), truth);
            TopOrds reranked = searcher.search(graph, codes.scorer(q), scorers.forQuery(q), 10, EF, null);
            assertThat(reranked.distances()).isSorted();
            quantizedRecall += ClusteredData.overlap(reranked.ords(), truth);
        }
        assertThat(exactRecall / QUERIES).as("recall@10, %s, ef %d", metric, EF).isGreaterThanOrEqualTo(0.95);
        assertThat(quantizedRecall / QUERIES).as("recall@10 with int8 traversal, %s", metric)
                .isGreaterThanOrEqualTo(0.95);
    }

    @ParameterizedTest
    @EnumSource(value = DistanceMetric.class, names = {"COSINE_DISTANCE", "EUCLIDEAN_SQUARED"})
    void buildingWithInt8SearchesKeepsRecall(DistanceMetric metric, Random random) {
        float[] data = ClusteredData.vectors(random, N / 2, DIM, 30);
        float[][] queries = ClusteredData.queries(random, data, DIM, QUERIES);
        ArrayVectorValues values = ArrayVectorValues.wrap(data, DIM);
        FloatVectorScorerSupplier scorers = FloatVectorScorerSupplier.create(metric, values);
        Int8Vectors codes = int8(metric, values, random);
        HnswGraph graph = HnswGraphBuilder.build(scorers, codes, new HnswParams(16, 100, 7), 2);
        HnswGraphSearcher searcher = new HnswGraphSearcher();
        double recall = 0;
        for (float[] q : queries) {
            int[] truth = ClusteredData.exactTopK(metric, data, DIM, q, 10, null);
            recall += ClusteredData.overlap(searcher.search(graph, scorers.forQuery(q), 10, EF, null).ords(), truth);
        }
        assertThat(recall / QUERIES).isGreaterThanOrEqualTo(0.95);
    }

    /** int8 codes of every vector, the quantizer trained on a sample as the engine trains it. */
    static Int8Vectors int8(DistanceMetric metric, ArrayVectorValues values, Random random) {
        long seed = random.nextLong();
        return Int8Vectors.encode(ScalarQuantizer.Config.AUTO.train(metric,
                Int8Vectors.sample(values, 2_000, seed), seed), values);
    }
}
