package io.lodestone.index.hnsw;

import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The packed heaps and the visited set against plain references. */
@ExtendWith(Seeded.class)
class TestNeighborQueue {

    @Test
    void encodingOrdersLikeTheFloats(Random random) {
        float[] values = {Float.NEGATIVE_INFINITY, -1e30f, -2f, -1f, -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE, 1e-20f,
                0.5f, 1f, 3f, 1e30f, Float.POSITIVE_INFINITY};
        for (int i = 0; i + 1 < values.length; i++) {
            long a = NeighborQueue.encode(random.nextInt(1000), values[i]);
            long b = NeighborQueue.encode(random.nextInt(1000), values[i + 1]);
            assertThat(a).as("%s < %s", values[i], values[i + 1]).isLessThan(b);
            assertThat(NeighborQueue.decodeDistance(a)).isEqualTo(values[i]);
        }
        long e = NeighborQueue.encode(Integer.MAX_VALUE, -3.5f);
        assertThat(NeighborQueue.decodeNode(e)).isEqualTo(Integer.MAX_VALUE);
        assertThat(NeighborQueue.decodeDistance(e)).isEqualTo(-3.5f);
    }

    @Test
    void minAndMaxHeapsPopInOrder(Random random) {
        for (boolean max : new boolean[] {false, true}) {
            NeighborQueue q = new NeighborQueue(1, max);
            int n = 1 + random.nextInt(500);
            float[] d = new float[n];
            for (int i = 0; i < n; i++) {
                d[i] = (float) random.nextGaussian();
                q.add(i, d[i]);
            }
            float[] sorted = d.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) {
                float expected = max ? sorted[n - 1 - i] : sorted[i];
                assertThat(q.topDistance()).isEqualTo(expected);
                long top = q.pop();
                assertThat(NeighborQueue.decodeDistance(top)).isEqualTo(expected);
                assertThat(d[NeighborQueue.decodeNode(top)]).isEqualTo(expected);
            }
            assertThat(q.size()).isZero();
        }
    }

    @Test
    void boundedMaxHeapKeepsTheClosest(Random random) {
        NeighborQueue q = new NeighborQueue(4, true);
        int k = 1 + random.nextInt(20);
        float[] d = new float[200];
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextFloat();
            q.addBounded(i, d[i], k);
        }
        float[] sorted = d.clone();
        Arrays.sort(sorted);
        assertThat(q.size()).isEqualTo(k);
        assertThat(q.topDistance()).isEqualTo(sorted[k - 1]);
    }

    @Test
    void visitedSetClearsWhatItTouched(Random random) {
        VisitedSet visited = new VisitedSet(10_000);
        for (int round = 0; round < 5; round++) {
            boolean[] reference = new boolean[10_000];
            for (int i = 0; i < 3_000; i++) {
                int node = random.nextInt(10_000);
                assertThat(visited.visit(node)).isEqualTo(!reference[node]);
                reference[node] = true;
            }
            for (int node = 0; node < reference.length; node++) {
                assertThat(visited.isVisited(node)).isEqualTo(reference[node]);
            }
            visited.clear();
            for (int node = 0; node < reference.length; node++) {
                assertThat(visited.isVisited(node)).isFalse();
            }
        }
        visited.ensureCapacity(100_000);
        assertThat(visited.visit(99_999)).isTrue();
    }
}
