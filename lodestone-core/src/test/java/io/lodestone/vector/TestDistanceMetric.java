package io.lodestone.vector;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TestDistanceMetric {

    @Test
    void wireNamesAndAnnSupport() {
        assertThat(Arrays.stream(DistanceMetric.values()).map(DistanceMetric::wireName)).containsExactly(
                "cosine_distance", "euclidean_squared", "dot_product", "manhattan", "hamming", "jaccard",
                "chebyshev", "canberra", "braycurtis");
        assertThat(Arrays.stream(DistanceMetric.values()).filter(DistanceMetric::supportsAnn)).containsExactly(
                DistanceMetric.COSINE_DISTANCE, DistanceMetric.EUCLIDEAN_SQUARED, DistanceMetric.DOT_PRODUCT);
    }

    @Test
    void parsesWireNames() {
        for (DistanceMetric m : DistanceMetric.values()) {
            assertThat(DistanceMetric.parse(m.wireName())).isSameAs(m);
        }
    }

    @Test
    void parsesAliasesIgnoringCaseAndSpace() {
        Map<String, DistanceMetric> aliases = Map.of(
                "cosine", DistanceMetric.COSINE_DISTANCE,
                "euclidean", DistanceMetric.EUCLIDEAN_SQUARED,
                "l2", DistanceMetric.EUCLIDEAN_SQUARED,
                "L1", DistanceMetric.MANHATTAN,
                "Bray_Curtis", DistanceMetric.BRAY_CURTIS,
                "DOT", DistanceMetric.DOT_PRODUCT,
                "Cosine_Distance", DistanceMetric.COSINE_DISTANCE,
                " braycurtis ", DistanceMetric.BRAY_CURTIS,
                "HAMMING", DistanceMetric.HAMMING);
        aliases.forEach((name, metric) -> assertThat(DistanceMetric.parse(name)).as(name).isSameAs(metric));
    }

    @Test
    void unknownNameListsTheValidOnes() {
        assertThatThrownBy(() -> DistanceMetric.parse("cosine-distance"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown distance metric 'cosine-distance'; valid: cosine_distance, euclidean_squared,"
                        + " dot_product, manhattan, hamming, jaccard, chebyshev, canberra, braycurtis"
                        + " (aliases: cosine, euclidean, l2, dot, l1, bray_curtis)");
        assertThatThrownBy(() -> DistanceMetric.parse("")).hasMessageStartingWith("unknown distance metric ''");
        assertThatThrownBy(() -> DistanceMetric.parse(null)).isInstanceOf(NullPointerException.class);
    }

    /** Worked by hand from the formulas in the javadoc. */
    @Test
    void knownValues() {
        float[] a = {1, 2, 3, 0};
        float[] b = {4, 0, 1, 0};
        Map<DistanceMetric, Double> expected = Map.of(
                DistanceMetric.DOT_PRODUCT, -7.0,                          // -(4 + 0 + 3 + 0)
                DistanceMetric.EUCLIDEAN_SQUARED, 17.0,                    // 9 + 4 + 4 + 0
                DistanceMetric.COSINE_DISTANCE, 1 - 7 / Math.sqrt(14 * 17),
                DistanceMetric.MANHATTAN, 7.0,                             // 3 + 2 + 2 + 0
                DistanceMetric.HAMMING, 3.0,                               // 0 == 0 in the last position
                DistanceMetric.JACCARD, 1 - 2.0 / 9,                       // Σmin = 1+0+1+0, Σmax = 4+2+3+0
                DistanceMetric.CHEBYSHEV, 3.0,
                DistanceMetric.CANBERRA, 3.0 / 5 + 2.0 / 2 + 2.0 / 4,      // last term 0/0 counts 0
                DistanceMetric.BRAY_CURTIS, 7.0 / 11);                     // 7 / (5 + 2 + 4 + 0)
        assertThat(expected).hasSize(DistanceMetric.values().length);
        for (VectorOps ops : Implementations.all()) {
            expected.forEach((m, value) -> assertThat(ops.distance(m, a, 0, b, 0, a.length))
                    .as("%s %s", ops.name(), m).isCloseTo(value.floatValue(), within(1e-6f)));
        }
        expected.forEach((m, value) -> assertThat(m.distance(a, b)).as(m.name())
                .isCloseTo(value.floatValue(), within(1e-6f)));
    }

    @Test
    void jaccardSplitsSigns() {
        // a⁺ = [0, 2], a⁻ = [1, 0]; b⁺ = [1, 3], b⁻ = [0, 0]: Σmin = 0+0+2+0 = 2, Σmax = 1+1+3+0 = 5.
        float[] a = {-1, 2};
        float[] b = {1, 3};
        assertThat(DistanceMetric.JACCARD.distance(a, b)).isCloseTo(0.6f, within(1e-6f));
        assertThat(DistanceMetric.JACCARD.distance(new float[] {-1}, new float[] {1})).isEqualTo(1f);
        assertThat(DistanceMetric.JACCARD.distance(new float[] {-1}, new float[] {-1})).isEqualTo(0f);
        assertThat(DistanceMetric.JACCARD.distance(new float[] {-1, -3}, new float[] {-2, -1})).isCloseTo(
                1 - 2f / 5, within(1e-6f));
    }

    @Test
    void emptyVectors() {
        float[] empty = {};
        assertThat(DistanceMetric.COSINE_DISTANCE.distance(empty, empty)).isEqualTo(1f);
        for (DistanceMetric m : DistanceMetric.values()) {
            if (m != DistanceMetric.COSINE_DISTANCE) {
                assertThat(m.distance(empty, empty)).as(m.name()).isEqualTo(0f);
            }
        }
    }
}
