package io.lodestone.index.clustered;

import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The rerank set against a model: every row that could be in the top k by its merged interval is kept. */
@ExtendWith(Seeded.class)
class TestCandidates {

    @Test
    void keepsEveryRowWhoseLowerBoundReachesTheKthUpperBound(Random random) {
        for (int round = 0; round < 50; round++) {
            int k = 1 + random.nextInt(12);
            int replicas = 1 + random.nextInt(4);
            int rows = 1 + random.nextInt(2000);
            Candidates candidates = new Candidates(k);
            Map<Integer, float[]> model = new HashMap<>();   // ord -> {lower, upper}, intervals intersected
            for (int ord = 0; ord < rows; ord++) {
                float center = random.nextFloat() * 10;
                int sightings = 1 + random.nextInt(replicas);
                for (int s = 0; s < sightings; s++) {
                    float width = random.nextFloat();
                    float low = center - width;
                    float high = center + width;
                    candidates.add(ord, low, high);
                    model.merge(ord, new float[] {low, high},
                            (a, b) -> new float[] {Math.max(a[0], b[0]), Math.min(a[1], b[1])});
                }
            }
            float[] uppers = new float[model.size()];
            int i = 0;
            for (float[] interval : model.values()) {
                uppers[i++] = interval[1];
            }
            Arrays.sort(uppers);
            float threshold = uppers[Math.min(k, uppers.length) - 1];
            Set<Integer> expected = new HashSet<>();
            model.forEach((ord, interval) -> {
                if (model.size() <= k || interval[0] <= threshold) {
                    expected.add(ord);
                }
            });
            int kept = candidates.rerankSet(k);
            Set<Integer> actual = new HashSet<>();
            for (int j = 0; j < kept; j++) {
                actual.add(candidates.ords()[j]);
            }
            assertThat(actual).hasSize(kept).containsAll(expected);
            assertThat(kept).isGreaterThanOrEqualTo(Math.min(k, rows));
        }
    }

    @Test
    void kthSmallest(Random random) {
        float[] values = new float[1 + random.nextInt(500)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(100);   // ties on purpose
        }
        int k = 1 + random.nextInt(values.length);
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        assertThat(Candidates.kthSmallest(values, values.length, k)).isEqualTo(sorted[k - 1]);
    }
}
