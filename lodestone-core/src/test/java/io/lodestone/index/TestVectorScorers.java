package io.lodestone.index;

import io.lodestone.testing.Seeded;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The exact scorers on every storage agree with {@link DistanceMetric#distance}, and storages and
 * scorers refuse mismatched shapes.
 */
@ExtendWith(Seeded.class)
class TestVectorScorers {

    private static final int DIM = 37;
    private static final int N = 300;

    @ParameterizedTest
    @EnumSource(value = DistanceMetric.class, names = {"COSINE_DISTANCE", "EUCLIDEAN_SQUARED", "DOT_PRODUCT"})
    void exactScorersMatchTheMetric(DistanceMetric metric, Random random) {
        float[] data = randomData(random, random.nextBoolean());
        data[5 * DIM + 3] = 0;
        for (int i = 0; i < DIM; i++) {
            data[7 * DIM + i] = 0;   // a zero vector: cosine distance 1
        }
        MemorySegment segment = MemorySegment.ofArray(new byte[4 * data.length]);
        MemorySegment.copy(data, 0, segment, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0,
                data.length);
        FloatVectorValues[] storages = {
                ArrayVectorValues.wrap(data, DIM),
                new MemorySegmentVectorValues(segment, DIM),
                new CopyingValues(ArrayVectorValues.wrap(data, DIM)),
        };
        float[] query = randomData(random, false);
        query = java.util.Arrays.copyOf(query, DIM);
        for (FloatVectorValues values : storages) {
            FloatVectorScorerSupplier supplier = FloatVectorScorerSupplier.create(metric, values);
            RandomVectorScorer scorer = supplier.forQuery(query);
            UpdateableRandomVectorScorer ordScorer = supplier.scorer();
            ordScorer.setQueryOrd(3);
            int[] ords = new int[N];
            float[] bulk = new float[N];
            for (int i = 0; i < N; i++) {
                ords[i] = N - 1 - i;
            }
            scorer.distances(ords, N, bulk);
            float[] range = new float[N - 2];
            scorer.distances(2, N - 2, range);
            for (int ord = 0; ord < N; ord++) {
                float[] row = values.vector(ord);
                float expected = metric.distance(query, row);
                String what = values.getClass().getSimpleName() + " " + metric + " ord " + ord;
                assertThat(scorer.distance(ord)).as(what).isCloseTo(expected, within(1e-4f * (1 + Math.abs(expected))));
                // Bulk and single kernels may sum lanes in a different order once the JIT has compiled them
                // (the Vector API leaves reduction order open), so they agree to rounding, not bit for bit.
                // Rounding of a sum grows with the terms' magnitudes, not the sum's: near cancellation the result is
                // small while its error is not, so the bound is scaled by |q|·|x|.
                float scale = io.lodestone.vector.VectorUtil.norm(query) * io.lodestone.vector.VectorUtil.norm(row);
                assertThat(bulk[N - 1 - ord]).as(what).isCloseTo(scorer.distance(ord),
                        within(1e-6f * (1 + Math.abs(expected) + scale)));
                float between = metric.distance(values.vector(3), row);
                assertThat(ordScorer.distance(ord)).as(what).isCloseTo(between, within(1e-4f * (1 + Math.abs(between))));
            }
            for (int ord = 2; ord < N; ord++) {
                // a range runs the bulk kernel: equal to the single one up to the rounding of its lane order, as above
                // (seed 1665108669153960746 differed in the last bit once the JIT had compiled one of them)
                float[] row = values.vector(ord);
                float scale = io.lodestone.vector.VectorUtil.norm(query) * io.lodestone.vector.VectorUtil.norm(row);
                assertThat(range[ord - 2]).isCloseTo(scorer.distance(ord),
                        within(1e-6f * (1 + Math.abs(scorer.distance(ord)) + scale)));
            }
            assertThat(scorer.exact()).isTrue();
        }
    }

    @org.junit.jupiter.api.Test
    void storagesAndScorersRefuseMismatchedShapes() {
        float[] data = new float[N * DIM];
        assertThatThrownBy(() -> new MemorySegmentVectorValues(MemorySegment.ofArray(new byte[10]), 13))
                .hasMessage("segment size 10 is not a multiple of the row size 52 (dimension 13)");
        assertThatThrownBy(() -> ArrayVectorValues.wrap(new float[10], 3))
                .hasMessage("data length 10 is not a multiple of the dimension 3");
        FloatVectorScorerSupplier supplier =
                FloatVectorScorerSupplier.create(DistanceMetric.DOT_PRODUCT, ArrayVectorValues.wrap(data, DIM));
        assertThatThrownBy(() -> supplier.forQuery(new float[3]))
                .hasMessage("vector dimensions differ: query has 3, index has " + DIM);
    }

    @org.junit.jupiter.api.Test
    void unitVectorScorersSkipTheNormsAndAgree(Random random) {
        float[] data = randomData(random, true);
        ArrayVectorValues values = ArrayVectorValues.wrap(data, DIM);
        FloatVectorScorerSupplier checked = FloatVectorScorerSupplier.create(DistanceMetric.COSINE_DISTANCE, values);
        FloatVectorScorerSupplier trusted = FloatVectorScorerSupplier.createForUnitVectors(
                DistanceMetric.COSINE_DISTANCE, values);
        float[] query = values.vector(random.nextInt(N));
        RandomVectorScorer a = checked.forQuery(query);
        RandomVectorScorer b = trusted.forQuery(query);
        for (int ord = 0; ord < N; ord++) {
            assertThat(b.distance(ord)).isCloseTo(a.distance(ord), within(1e-5f));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> FloatVectorScorerSupplier.createForUnitVectors(DistanceMetric.MANHATTAN, values))
                .hasMessageStartingWith("metric manhattan cannot back an ANN index");
    }

    private static float[] randomData(Random random, boolean unit) {
        float[] data = new float[N * DIM];
        for (int r = 0; r < N; r++) {
            double norm = 0;
            for (int i = 0; i < DIM; i++) {
                float v = (float) (random.nextGaussian() + 0.5);
                data[r * DIM + i] = v;
                norm += (double) v * v;
            }
            if (unit) {
                for (int i = 0; i < DIM; i++) {
                    data[r * DIM + i] /= (float) Math.sqrt(norm);
                }
            }
        }
        return data;
    }

    /** Another storage, to exercise the copying fallback scorer. */
    private record CopyingValues(FloatVectorValues inner) implements FloatVectorValues {
        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public void copyTo(int ord, float[] dest, int destOffset) {
            inner.copyTo(ord, dest, destOffset);
        }
    }
}
