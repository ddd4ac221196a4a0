package io.lodestone.index.hnsw;

import io.lodestone.index.ArrayVectorValues;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.testing.Seeded;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The structure of built graphs: bounds, reachability, levels, determinism. */
@ExtendWith(Seeded.class)
class TestHnswGraphBuilder {

    private static final int DIM = 8;

    @Test
    void concurrentBuildGivesAValidGraph(Random random) {
        int n = 4_000 + random.nextInt(2_000);
        int m = 4 + random.nextInt(12);
        float[] data = ClusteredData.vectors(random, n, DIM, 1 + random.nextInt(30));
        FloatVectorScorerSupplier scorers = FloatVectorScorerSupplier.create(DistanceMetric.EUCLIDEAN_SQUARED,
                ArrayVectorValues.wrap(data, DIM));
        OnHeapHnswGraph graph = HnswGraphBuilder.build(scorers, new HnswParams(m, 40, random.nextLong()),
                2 + random.nextInt(3));
        assertValid(graph);
    }

    @Test
    void duplicateVectorsStillGiveAValidGraph(Random random) {
        // Many identical vectors: every distance ties, the hardest case for pruning.
        int n = 2_000;
        float[] data = new float[n * DIM];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextInt(3);
        }
        FloatVectorScorerSupplier scorers = FloatVectorScorerSupplier.create(DistanceMetric.EUCLIDEAN_SQUARED,
                ArrayVectorValues.wrap(data, DIM));
        assertValid(HnswGraphBuilder.build(scorers, new HnswParams(4, 20, random.nextLong()), 2));
    }

    @Test
    void singleThreadedBuildsAreReproducible(Random random) {
        float[] data = ClusteredData.vectors(random, 1_500, DIM, 10);
        FloatVectorScorerSupplier scorers = FloatVectorScorerSupplier.create(DistanceMetric.COSINE_DISTANCE,
                ArrayVectorValues.wrap(data, DIM));
        HnswParams params = new HnswParams(8, 50, random.nextLong());
        OnHeapHnswGraph a = HnswGraphBuilder.build(scorers, params, 1);
        OnHeapHnswGraph b = HnswGraphBuilder.build(scorers, params, 1);
        assertSameGraph(a, b);
    }

    @Test
    void tinyGraphs() {
        for (int n = 0; n <= 3; n++) {
            float[] data = new float[n * DIM];
            for (int i = 0; i < data.length; i++) {
                data[i] = i;
            }
            FloatVectorScorerSupplier scorers = FloatVectorScorerSupplier.create(DistanceMetric.EUCLIDEAN_SQUARED,
                    ArrayVectorValues.wrap(data.length == 0 ? new float[0] : data, DIM));
            OnHeapHnswGraph graph = HnswGraphBuilder.build(scorers, HnswParams.DEFAULT, 2);
            assertThat(graph.size()).isEqualTo(n);
            assertThat(graph.entryNode()).isEqualTo(n == 0 ? -1 : graph.entryNode());
            assertValid(graph);
        }
    }

    @Test
    void parametersAreValidated() {
        assertThatThrownBy(() -> new HnswParams(1, 100, 0)).hasMessage("m must be in [2, 512]; got 1");
        assertThatThrownBy(() -> new HnswParams(16, 0, 0)).hasMessage("efConstruction must be in [1, 100000]; got 0");
    }

    /** Degree bounds, no self-links or duplicates, valid ids, levels nested, everything reachable. */
    static void assertValid(HnswGraph graph) {
        int n = graph.size();
        if (n == 0) {
            assertThat(graph.numLevels()).isZero();
            return;
        }
        assertThat(graph.levelOf(graph.entryNode())).isEqualTo(graph.numLevels() - 1);
        int[] buf = new int[graph.maxConn(0)];
        for (int level = 0; level < graph.numLevels(); level++) {
            int[] nodes = graph.nodesOnLevel(level);
            Set<Integer> onLevel = new HashSet<>();
            for (int node : nodes) {
                onLevel.add(node);
                assertThat(graph.levelOf(node)).isGreaterThanOrEqualTo(level);
            }
            for (int node : nodes) {
                int count = graph.neighbors(level, node, buf);
                assertThat(count).as("degree of %d on level %d", node, level).isBetween(0, graph.maxConn(level));
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < count; i++) {
                    int v = buf[i];
                    assertThat(v).as("neighbour of %d", node).isNotEqualTo(node);
                    assertThat(onLevel).as("neighbour %d of %d on level %d", v, node, level).contains(v);
                    assertThat(seen.add(v)).as("duplicate neighbour %d of %d", v, node).isTrue();
                }
            }
        }
        // Every node is reachable on level 0 from the entry point.
        boolean[] reached = new boolean[n];
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        reached[graph.entryNode()] = true;
        queue[tail++] = graph.entryNode();
        while (head < tail) {
            int c = graph.neighbors(0, queue[head++], buf);
            for (int i = 0; i < c; i++) {
                if (!reached[buf[i]]) {
                    reached[buf[i]] = true;
                    queue[tail++] = buf[i];
                }
            }
        }
        assertThat(tail).as("nodes reachable from the entry point").isEqualTo(n);
    }

    static void assertSameGraph(HnswGraph a, HnswGraph b) {
        assertThat(b.size()).isEqualTo(a.size());
        assertThat(b.numLevels()).isEqualTo(a.numLevels());
        assertThat(b.entryNode()).isEqualTo(a.entryNode());
        int[] x = new int[a.maxConn(0)];
        int[] y = new int[a.maxConn(0)];
        for (int level = 0; level < a.numLevels(); level++) {
            assertThat(b.nodesOnLevel(level)).isEqualTo(a.nodesOnLevel(level));
            for (int node : a.nodesOnLevel(level)) {
                int cx = a.neighbors(level, node, x);
                int cy = b.neighbors(level, node, y);
                assertThat(java.util.Arrays.copyOf(y, cy)).as("node %d level %d", node, level)
                        .isEqualTo(java.util.Arrays.copyOf(x, cx));
            }
        }
    }
}
