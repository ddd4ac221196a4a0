package io.lodestone.vector;

import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;

import static io.lodestone.vector.TestVectorOps.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The façade: checks, the bulk scans, and agreement with the per-pair kernels. */
@ExtendWith(Seeded.class)
class TestVectorUtil {

    @ParameterizedTest(name = "dim {0}")
    @ValueSource(ints = {1, 3, 15, 17, 1023, 1537, 10752})
    void bulkDistancesEqualPerPairDistances(int dim, Random random) {
        int count = 1 + random.nextInt(dim > 2000 ? 8 : 40);
        int dataOffset = random.nextInt(3 * dim + 1);
        float[] data = vector(dataOffset + count * dim + random.nextInt(dim + 1), random::nextGaussian);
        // A few special rows: zeros, a copy of the query, its negation.
        float[] query = vector(dim, random::nextGaussian);
        for (int r = 0; r < count; r++) {
            int off = dataOffset + r * dim;
            switch (random.nextInt(6)) {
                case 0 -> Arrays.fill(data, off, off + dim, 0f);
                case 1 -> System.arraycopy(query, 0, data, off, dim);
                case 2 -> { for (int i = 0; i < dim; i++) data[off + i] = -query[i]; }
                default -> { }
            }
        }
        float[] out = new float[count + random.nextInt(3)];
        for (DistanceMetric m : DistanceMetric.values()) {
            for (VectorOps ops : Implementations.all()) {
                ops.distances(m, query, data, dataOffset, count, dim, out);
                for (int r = 0; r < count; r++) {
                    assertThat(out[r]).as("%s %s row %d", ops.name(), m, r)
                            .isCloseTo(ops.distance(m, query, 0, data, dataOffset + r * dim, dim), Rounding.near(ops.distance(m, query, 0, data, dataOffset + r * dim, dim)));
                }
            }
            VectorUtil.distances(m, query, data, dataOffset, count, dim, out);
            for (int r = 0; r < count; r++) {
                assertThat(out[r]).as("VectorUtil %s row %d", m, r)
                        .isCloseTo(VectorUtil.distance(m, query, 0, data, dataOffset + r * dim, dim), Rounding.near(VectorUtil.distance(m, query, 0, data, dataOffset + r * dim, dim)));
                float[] row = Arrays.copyOfRange(data, dataOffset + r * dim, dataOffset + (r + 1) * dim);
                assertThat(out[r]).as("VectorUtil %s row %d", m, r).isCloseTo(VectorUtil.distance(m, query, row), Rounding.near(VectorUtil.distance(m, query, row)));
            }
        }
    }

    @ParameterizedTest(name = "dim {0}")
    @ValueSource(ints = {1, 3, 15, 17, 1023, 1537, 10752})
    void cosineWithStoredNormsMatchesCosineDistance(int dim, Random random) {
        int count = 1 + random.nextInt(20);
        int dataOffset = random.nextInt(dim + 1);
        float[] data = vector(dataOffset + count * dim, random::nextGaussian);
        Arrays.fill(data, dataOffset, dataOffset + dim, 0f); // a zero row: distance 1
        float[] query = vector(dim, random::nextGaussian);
        int normOffset = random.nextInt(5);
        float[] norms = new float[normOffset + count];
        VectorUtil.norms(data, dataOffset, count, dim, norms, normOffset);
        float[] out = new float[count];
        double tolerance = 8.0 * (dim + 4) * Math.ulp(1f);
        for (VectorOps ops : Implementations.all()) {
            ops.cosineDistances(query, VectorUtil.norm(query), data, dataOffset, count, dim, norms, normOffset, out);
            for (int r = 0; r < count; r++) {
                float expected = ops.cosineDistance(query, 0, data, dataOffset + r * dim, dim);
                assertThat((double) out[r]).as("%s row %d", ops.name(), r).isCloseTo(expected, within(tolerance));
            }
            assertThat(out[0]).isEqualTo(1f);
        }
        VectorUtil.cosineDistances(query, VectorUtil.norm(query), data, dataOffset, count, dim, norms, normOffset, out);
        for (int r = 0; r < count; r++) {
            float[] row = Arrays.copyOfRange(data, dataOffset + r * dim, dataOffset + (r + 1) * dim);
            assertThat((double) out[r]).isCloseTo(VectorUtil.cosineDistance(query, row), within(tolerance));
            assertThat(VectorUtil.norm(data, dataOffset + r * dim, dim)).isEqualTo(norms[normOffset + r]);
        }
    }

    @Test
    void namedMethodsMatchDistance(Random random) {
        float[] a = vector(100, random::nextGaussian);
        float[] b = vector(100, random::nextGaussian);
        assertThat(VectorUtil.squaredDistance(a, b)).isEqualTo(VectorUtil.distance(DistanceMetric.EUCLIDEAN_SQUARED, a, b));
        assertThat(VectorUtil.cosineDistance(a, b)).isEqualTo(VectorUtil.distance(DistanceMetric.COSINE_DISTANCE, a, b));
        assertThat(-VectorUtil.dot(a, b)).isEqualTo(VectorUtil.distance(DistanceMetric.DOT_PRODUCT, a, b));
        assertThat((double) VectorUtil.norm(a)).isCloseTo(Math.sqrt(VectorUtil.dot(a, a)), within(1e-4));
        assertThat(VectorUtil.norm(new float[] {3, 4})).isEqualTo(5f);
        assertThat(VectorUtil.norm(new float[] {9, 3, 4, 9}, 1, 2)).isEqualTo(5f);
    }

    @Test
    void dimensionMismatchNamesBothLengths() {
        float[] three = new float[3];
        float[] four = new float[4];
        String message = "vector dimensions differ: 3 and 4";
        assertThatThrownBy(() -> VectorUtil.dot(three, four)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThatThrownBy(() -> VectorUtil.squaredDistance(three, four)).hasMessage(message);
        assertThatThrownBy(() -> VectorUtil.cosineDistance(three, four)).hasMessage(message);
        for (DistanceMetric m : DistanceMetric.values()) {
            assertThatThrownBy(() -> VectorUtil.distance(m, three, four)).hasMessage(message);
            assertThatThrownBy(() -> m.distance(four, three)).hasMessage("vector dimensions differ: 4 and 3");
        }
        assertThatThrownBy(() -> VectorUtil.distances(DistanceMetric.MANHATTAN, three, new float[8], 0, 2, 4, new float[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vector dimensions differ: query has 3, rows have 4");
        assertThatThrownBy(() -> VectorUtil.cosineDistances(three, 1f, new float[8], 0, 2, 4, new float[2], 0, new float[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vector dimensions differ: query has 3, rows have 4");
    }

    @Test
    void bulkBoundsAreChecked() {
        float[] q = new float[4];
        DistanceMetric m = DistanceMetric.EUCLIDEAN_SQUARED;
        assertThatThrownBy(() -> VectorUtil.distances(m, q, new float[11], 0, 3, 4, new float[3]))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("rows do not fit: offset 0 + 3 rows × 4 dims > data length 11");
        assertThatThrownBy(() -> VectorUtil.distances(m, q, new float[12], 1, 3, 4, new float[3]))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("rows do not fit: offset 1 + 3 rows × 4 dims > data length 12");
        assertThatThrownBy(() -> VectorUtil.distances(m, q, new float[12], -1, 1, 4, new float[3]))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> VectorUtil.distances(m, q, new float[12], 0, 3, 4, new float[2]))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("out has length 2, less than count 3");
        assertThatThrownBy(() -> VectorUtil.distances(m, q, new float[12], 0, -1, 4, new float[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("count must be >= 0; got -1");
        assertThatThrownBy(() -> VectorUtil.cosineDistances(q, 1f, new float[12], 0, 3, 4, new float[3], 1, new float[3]))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> VectorUtil.distance(m, q, 1, q, 0, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> VectorUtil.norm(q, 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        // Huge count × dim must not overflow into a passing check.
        assertThatThrownBy(() -> VectorUtil.distances(m, new float[65536], new float[12], 0, 65536, 65536, new float[3]))
                .isInstanceOf(IndexOutOfBoundsException.class);
        // Zero rows is fine.
        VectorUtil.distances(m, q, new float[0], 0, 0, 4, new float[0]);
    }
}
