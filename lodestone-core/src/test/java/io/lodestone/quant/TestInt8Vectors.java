package io.lodestone.quant;

import io.lodestone.index.ApproximateScorer;
import io.lodestone.index.ArrayVectorValues;
import io.lodestone.index.ExactScorer;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.index.UpdateableRandomVectorScorer;
import io.lodestone.testing.Seeded;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** ScalarQuantizer levels scored with a float query: the approximate scorers a graph builder walks on. */
@ExtendWith(Seeded.class)
class TestInt8Vectors {

    private static final int DIM = 37;
    private static final int N = 300;

    @ParameterizedTest
    @EnumSource(value = DistanceMetric.class, names = {"COSINE_DISTANCE", "EUCLIDEAN_SQUARED", "DOT_PRODUCT"})
    void int8CodesApproximateTheExactDistances(DistanceMetric metric, Random random) {
        ArrayVectorValues values = ArrayVectorValues.copyOf(Fixtures.clustered(random, N, DIM, 5, 0.5));
        Int8Vectors codes = Int8Vectors.encode(
                ScalarQuantizer.Config.AUTO.train(metric, Int8Vectors.sample(values, N, 1), 1), values);
        FloatVectorScorerSupplier exact = FloatVectorScorerSupplier.create(metric, values);
        float[] query = values.vector(random.nextInt(N));
        ApproximateScorer approximate = codes.scorer(query);
        ApproximateScorer symmetric = codes.quantizer().scorer(query, codes.quantizer().encodeAll(values2d(values)));
        ExactScorer reference = exact.forQuery(query);
        UpdateableRandomVectorScorer ordScorer = codes.scorer();
        assertThat(approximate.exact()).isFalse();
        assertThat(ordScorer.exact()).isFalse();
        double scale = 0;
        for (int ord = 0; ord < N; ord++) {
            scale = Math.max(scale, Math.abs(reference.distance(ord)));
        }
        double asymmetricError = 0;
        double symmetricError = 0;
        for (int ord = 0; ord < N; ord++) {
            assertThat(approximate.distance(ord)).as("ord %d", ord)
                    .isCloseTo(reference.distance(ord), within((float) (0.02 * scale)));
            asymmetricError += Math.abs(approximate.distance(ord) - reference.distance(ord));
            symmetricError += Math.abs(symmetric.distance(ord) - reference.distance(ord));
        }
        // Only the stored side is quantized: on average closer than the symmetric scorer of the same codes.
        assertThat(asymmetricError).isLessThan(symmetricError);
        // A stored vector as the query scores as that vector passed in.
        ordScorer.setQueryOrd(11);
        ApproximateScorer viaQuery = codes.scorer(values.vector(11));
        int[] ords = random.ints(50, 0, N).toArray();
        float[] bulk = new float[ords.length];
        ordScorer.distances(ords, ords.length, bulk);
        for (int i = 0; i < ords.length; i++) {
            assertThat(ordScorer.distance(ords[i])).isEqualTo(viaQuery.distance(ords[i]));
            assertThat(bulk[i]).isCloseTo(viaQuery.distance(ords[i]), within(1e-4f * (float) (1 + scale)));
        }
    }

    @Test
    void samplesAreAllVectorsOrASeededDraw(Random random) {
        ArrayVectorValues values = ArrayVectorValues.copyOf(Fixtures.clustered(random, 40, 4, 2, 0.5));
        float[][] all = Int8Vectors.sample(values, 100, 3);
        assertThat(all.length).isEqualTo(40);
        assertThat(all[39]).containsExactly(values.vector(39));
        float[][] drawn = Int8Vectors.sample(values, 10, 3);
        assertThat(drawn.length).isEqualTo(10);
        assertThat(java.util.Arrays.deepEquals(drawn, Int8Vectors.sample(values, 10, 3))).isTrue();
    }

    @Test
    void levelsMustMatchTheQuantizer(Random random) {
        ArrayVectorValues values = ArrayVectorValues.copyOf(Fixtures.clustered(random, 10, 8, 2, 0.5));
        ScalarQuantizer int8 = ScalarQuantizer.Config.AUTO.train(DistanceMetric.EUCLIDEAN_SQUARED,
                Int8Vectors.sample(values, 10, 1), 1);
        ArrayVectorValues other = ArrayVectorValues.copyOf(Fixtures.clustered(random, 10, 9, 2, 0.5));
        assertThatThrownBy(() -> Int8Vectors.encode(int8, other))
                .hasMessage("vector dimensions differ: values have 9, quantizer has 8");
        Int8Vectors codes = Int8Vectors.encode(int8, values);
        assertThat(codes.bytesPerVector()).isEqualTo(8 + 4);
        assertThatThrownBy(() -> codes.scorer(new float[3]))
                .hasMessage("vector dimensions differ: quantizer has 8, vector has 3");
    }

    private static float[][] values2d(ArrayVectorValues values) {
        float[][] out = new float[values.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.vector(i);
        }
        return out;
    }
}
