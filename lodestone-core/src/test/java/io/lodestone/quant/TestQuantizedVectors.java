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

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Codes beside their float vectors: the approximate scorers a graph builder walks on. */
@ExtendWith(Seeded.class)
class TestQuantizedVectors {

    private static final int DIM = 37;
    private static final int N = 300;

    @ParameterizedTest
    @EnumSource(value = DistanceMetric.class, names = {"COSINE_DISTANCE", "EUCLIDEAN_SQUARED", "DOT_PRODUCT"})
    void int8CodesApproximateTheExactDistances(DistanceMetric metric, Random random) {
        ArrayVectorValues values = ArrayVectorValues.copyOf(Fixtures.clustered(random, N, DIM, 5, 0.5));
        QuantizedVectors codes = QuantizedVectors.encode(
                ScalarQuantizer.Config.AUTO.train(metric, QuantizedVectors.sample(values, N, 1), 1), values);
        FloatVectorScorerSupplier exact = FloatVectorScorerSupplier.create(metric, values);
        float[] query = values.vector(random.nextInt(N));
        ApproximateScorer approximate = codes.scorer(query);
        ExactScorer reference = exact.forQuery(query);
        UpdateableRandomVectorScorer ordScorer = codes.scorer();
        assertThat(approximate.exact()).isFalse();
        assertThat(ordScorer.exact()).isFalse();
        double scale = 0;
        for (int ord = 0; ord < N; ord++) {
            scale = Math.max(scale, Math.abs(reference.distance(ord)));
        }
        for (int ord = 0; ord < N; ord++) {
            assertThat(approximate.distance(ord)).as("ord %d", ord)
                    .isCloseTo(reference.distance(ord), within((float) (0.02 * scale)));
        }
        // A stored vector as the query scores as that vector passed in.
        ordScorer.setQueryOrd(11);
        ApproximateScorer viaQuery = codes.scorer(values.vector(11));
        int[] ords = random.ints(50, 0, N).toArray();
        float[] bulk = new float[ords.length];
        ordScorer.distances(ords, ords.length, bulk);
        for (int i = 0; i < ords.length; i++) {
            assertThat(ordScorer.distance(ords[i])).isEqualTo(viaQuery.distance(ords[i]));
            assertThat(bulk[i]).isEqualTo(viaQuery.distance(ords[i]));
        }
    }

    @Test
    void samplesAreAllVectorsOrASeededDraw(Random random) {
        ArrayVectorValues values = ArrayVectorValues.copyOf(Fixtures.clustered(random, 40, 4, 2, 0.5));
        float[][] all = QuantizedVectors.sample(values, 100, 3);
        assertThat(all.length).isEqualTo(40);
        assertThat(all[39]).containsExactly(values.vector(39));
        float[][] drawn = QuantizedVectors.sample(values, 10, 3);
        assertThat(drawn.length).isEqualTo(10);
        assertThat(java.util.Arrays.deepEquals(drawn, QuantizedVectors.sample(values, 10, 3))).isTrue();
    }

    @Test
    void codesMustMatchTheVectors(Random random) {
        ArrayVectorValues values = ArrayVectorValues.copyOf(Fixtures.clustered(random, 10, 8, 2, 0.5));
        VectorQuantizer int8 = ScalarQuantizer.Config.AUTO.train(DistanceMetric.EUCLIDEAN_SQUARED,
                QuantizedVectors.sample(values, 10, 1), 1);
        assertThatThrownBy(() -> new QuantizedVectors(int8, MemorySegment.ofArray(new byte[79]), values))
                .hasMessage("79 bytes of codes for 10 vectors of 8-byte codes");
        ArrayVectorValues other = ArrayVectorValues.copyOf(Fixtures.clustered(random, 10, 9, 2, 0.5));
        assertThatThrownBy(() -> QuantizedVectors.encode(int8, other))
                .hasMessage("vector dimensions differ: values have 9, quantizer has 8");
    }
}
