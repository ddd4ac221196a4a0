package io.lodestone.vector;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The choice follows {@code -Dlodestone.vectorization} and the presence of the incubator module; the
 * suite passes both with and without them (run it with {@code -Dlodestone.vectorization=scalar}, and
 * with {@code -Dlodestone.jvm.args=} to drop {@code --add-modules jdk.incubator.vector}).
 */
class TestVectorizationProvider {

    @Test
    void choiceFollowsThePropertyAndTheModule() {
        String wanted = System.getProperty(VectorizationProvider.PROPERTY, "auto");
        String expected = wanted.equals("scalar") || !Implementations.panamaExpected() ? "scalar" : "panama";
        assertThat(VectorUtil.implementationName()).isEqualTo(expected);
        assertThat(VectorizationProvider.get().name()).isEqualTo(expected);
        System.out.printf("vector kernels in this run: %s (-D%s=%s)%n", expected, VectorizationProvider.PROPERTY, wanted);
    }

    @Test
    void scalarIsAlwaysThere() {
        assertThat(VectorizationProvider.scalar()).isSameAs(ScalarVectorOps.INSTANCE);
        assertThat(ScalarVectorOps.INSTANCE.name()).isEqualTo("scalar");
    }

    @Test
    void panamaOrAReason() {
        if (Implementations.panamaExpected()) {
            assertThat(VectorizationProvider.panama()).get().extracting(VectorOps::name).isEqualTo("panama");
            assertThat(VectorizationProvider.panamaUnavailableReason()).isEmpty();
        } else if (!Implementations.vectorModulePresent()) {
            assertThat(VectorizationProvider.panama()).isEmpty();
            assertThat(VectorizationProvider.panamaUnavailableReason()).get().asString()
                    .contains("--add-modules jdk.incubator.vector");
        } else {
            assertThat(VectorizationProvider.panama()).isEmpty();
            assertThat(VectorizationProvider.panamaUnavailableReason()).get().asString().contains("C2");
        }
    }
}
