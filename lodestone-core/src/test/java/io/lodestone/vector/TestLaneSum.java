package io.lodestone.vector;

import io.lodestone.testing.Seeded;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The SIMD kernels sum a vector's lanes in one fixed order, halves folded pairwise, so a distance does not depend on
 * whether its kernel is compiled yet: {@code sumLanes} equals that fold computed lane by lane in plain Java, bit for
 * bit, on values whose sum depends on the order.
 */
@ExtendWith(Seeded.class)
class TestLaneSum {

    @Test
    void lanesAreSummedByFoldingHalves(Random random) {
        assumeTrue(Implementations.panamaExpected(), "the Vector API module is not present");
        int lanes = PanamaVectorOps.L;
        float[] values = new float[lanes];
        for (int t = 0; t < 10_000; t++) {
            for (int i = 0; i < lanes; i++) values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6));
            float expected = foldedSum(values);
            assertThat(PanamaVectorOps.sumLanes(FloatVector.fromArray(PanamaVectorOps.SPECIES, values, 0)))
                    .as("lanes %s", java.util.Arrays.toString(values)).isEqualTo(expected);
        }
    }

    /** Lane i += lane (i + half) mod n, for half = n/2, n/4, ..., 1; then lane 0. */
    private static float foldedSum(float[] values) {
        float[] v = values.clone();
        for (int half = v.length / 2; half >= 1; half /= 2) {
            float[] next = new float[v.length];
            for (int i = 0; i < v.length; i++) next[i] = v[i] + v[(i + half) % v.length];
            v = next;
        }
        return v[0];
    }
}
