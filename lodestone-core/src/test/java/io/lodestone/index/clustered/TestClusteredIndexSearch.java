package io.lodestone.index.clustered;

import io.lodestone.codec.MappedFrame;
import io.lodestone.index.ExactScorer;
import io.lodestone.index.TopOrds;
import io.lodestone.testing.Seeded;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Recall against brute force, exact reported distances, and filters. */
@ExtendWith(Seeded.class)
class TestClusteredIndexSearch {

    private static final int K = 10;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = DistanceMetric.class, names = {"EUCLIDEAN_SQUARED", "COSINE_DISTANCE", "DOT_PRODUCT"})
    void recallAgainstBruteForce(DistanceMetric metric, Random random) throws Exception {
        ClusteredFixture f = new ClusteredFixture(metric, 6000, 60, 48, 40, random);
        withIndex(f, index -> {
            assertThat(index.size()).isEqualTo(6000);
            assertThat(index.clusters()).isBetween(6000 / 128 / 2, 6000 / 128 * 2);
            int nprobe = 12;
            long hits = 0;
            for (float[] q : f.queries) {
                int[] clusters = index.probe(q, nprobe);
                assertThat(clusters.length).isBetween(1, nprobe);
                index.ensurePostings(clusters);
                ExactScorer exact = f.exact(q);
                TopOrds top = index.search(q, clusters, K, null, exact);
                assertThat(top.size()).isEqualTo(K);
                for (int i = 0; i < top.size(); i++) {
                    // The exact scorer's distance; its SIMD kernels may round the last bit differently once
                    // compiled, hence the tolerance.
                    float d = exact.distance(top.ords()[i]);
                    assertThat(top.distances()[i]).isCloseTo(d, within(1e-5f * Math.max(1f, Math.abs(d))));
                    if (i > 0) {
                        assertThat(top.distances()[i]).isGreaterThanOrEqualTo(top.distances()[i - 1]);
                    }
                }
                Set<Integer> truth = new HashSet<>();
                for (int o : f.trueTopK(q, K)) {
                    truth.add(o);
                }
                for (int o : top.ords()) {
                    hits += truth.contains(o) ? 1 : 0;
                }
            }
            double recall = hits / (double) (K * f.queries.length);
            assertThat(recall).as("recall@10 at nprobe %d, %s", nprobe, metric).isGreaterThanOrEqualTo(0.90);
        });
    }

    /** Writes the fixture's index with the defaults, maps and opens it, and hands it to {@code test}. */
    private void withIndex(ClusteredFixture f, IndexTest test) throws Exception {
        Path file = dir.resolve("index");
        f.write(file, ClusteredParams.defaults(), 2);
        try (MappedFrame frame = ClusteredFixture.map(file)) {
            test.run(ClusteredIndex.open(frame.body(), RangeEnsurer.NONE, file.toString()));
        }
    }

    /** A test body over an open index. */
    private interface IndexTest {
        void run(ClusteredIndex index) throws Exception;
    }

    /**
     * What the bound-chosen rerank promises: the exact top k of the rows in the probed postings, whenever
     * RaBitQ's bounds hold (they may fail for a few pairs in a hundred, so rarely a row is missed).
     */
    @ParameterizedTest
    @EnumSource(value = DistanceMetric.class, names = {"EUCLIDEAN_SQUARED", "COSINE_DISTANCE", "DOT_PRODUCT"})
    void searchReturnsTheExactTopKOfTheProbedPostings(DistanceMetric metric, Random random) throws Exception {
        ClusteredFixture f = new ClusteredFixture(metric, 5000, 80, 96, 30, random);
        withIndex(f, index -> {
            int same = 0;
            for (float[] q : f.queries) {
                int[] clusters = index.probe(q, 8);
                index.ensurePostings(clusters);
                ExactScorer exact = f.exact(q);
                TopOrds top = index.search(q, clusters, K, null, exact);
                java.util.TreeSet<Integer> rows = new java.util.TreeSet<>();
                for (int c : clusters) {
                    for (int o : index.postingOrdinals(c)) {
                        rows.add(o);
                    }
                }
                int[] ords = rows.stream().mapToInt(Integer::intValue).toArray();
                float[] d = new float[ords.length];
                exact.distances(ords, ords.length, d);
                Integer[] order = new Integer[ords.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                java.util.Arrays.sort(order, (a, b) -> d[a] != d[b] ? Float.compare(d[a], d[b]) : ords[a] - ords[b]);
                int[] expected = new int[Math.min(K, ords.length)];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = ords[order[i]];
                }
                for (int o : top.ords()) {
                    assertThat(rows).contains(o);
                }
                same += java.util.Arrays.equals(top.ords(), expected) ? 1 : 0;
            }
            assertThat(same).as("queries whose top %d is the exact top of their postings", K)
                    .isGreaterThanOrEqualTo((int) (0.95 * f.queries.length));
        });
    }

    /**
     * Two segments over distinct rows (here the even and the odd rows of one index): narrowing their selections to the
     * k nearest of both reranks fewer rows and finds the same k as reranking each selection whole.
     */
    @Test
    void selectionsNarrowedAcrossSegmentsKeepTheTopKOfAll(Random random) throws Exception {
        ClusteredFixture f = new ClusteredFixture(DistanceMetric.COSINE_DISTANCE, 6000, 60, 48, 40, random);
        withIndex(f, index -> {
            long whole = 0, narrowed = 0;
            int same = 0;
            for (float[] q : f.queries) {
                ClusteredIndex.PreparedQuery prepared = index.prepare(q);
                int[] clusters = index.probe(prepared, 12, ClusteredIndex.DEFAULT_PRUNE_EPSILON);
                index.ensurePostings(clusters);
                ExactScorer exact = f.exact(q);
                java.util.List<ClusteredIndex.Selection> selections = java.util.List.of(
                        index.select(prepared, clusters, K, ord -> ord % 2 == 0),
                        index.select(prepared, clusters, K, ord -> ord % 2 == 1));
                java.util.List<ClusteredIndex.Selection> fewer = ClusteredIndex.narrowed(selections, K);
                for (int i = 0; i < 2; i++) {
                    whole += selections.get(i).count();
                    narrowed += fewer.get(i).count();
                    assertThat(fewer.get(i).count()).isLessThanOrEqualTo(selections.get(i).count());
                }
                same += java.util.Arrays.equals(topOfBoth(index, selections, exact), topOfBoth(index, fewer, exact)) ? 1 : 0;
            }
            assertThat(narrowed).as("rows reranked").isLessThan(whole);
            assertThat(same).as("queries with the same top %d", K).isGreaterThanOrEqualTo((int) (0.95 * f.queries.length));
        });
    }

    /** The k nearest rows of the selections' reranked rows together, by distance then ordinal. */
    private static int[] topOfBoth(ClusteredIndex index, java.util.List<ClusteredIndex.Selection> selections, ExactScorer exact) {
        java.util.List<long[]> all = new java.util.ArrayList<>();
        for (ClusteredIndex.Selection s : selections) {
            TopOrds top = index.rerank(s, exact, K);
            for (int i = 0; i < top.size(); i++) all.add(new long[] {Float.floatToIntBits(top.distances()[i]), top.ords()[i]});
        }
        all.sort((a, b) -> a[0] != b[0] ? Float.compare(Float.intBitsToFloat((int) a[0]), Float.intBitsToFloat((int) b[0]))
                : Long.compare(a[1], b[1]));
        return all.stream().limit(K).mapToInt(a -> (int) a[1]).toArray();
    }

    @Test
    void rejectedRowsNeverReturnedAndKWheneverKAccepted(Random random) throws Exception {
        ClusteredFixture f = new ClusteredFixture(DistanceMetric.EUCLIDEAN_SQUARED, 3000, 40, 32, 20, random);
        Path file = dir.resolve("index");
        f.write(file, ClusteredParams.defaults(), 1);
        try (MappedFrame frame = ClusteredFixture.map(file)) {
            ClusteredIndex index = ClusteredIndex.open(frame.body(), RangeEnsurer.NONE, file.toString());
            for (double fraction : new double[] {0.5, 0.05, 0.005}) {
                BitSet live = new BitSet();
                for (int i = 0; i < f.size(); i++) {
                    if (random.nextDouble() < fraction) {
                        live.set(i);
                    }
                }
                for (float[] q : f.queries) {
                    int[] clusters = index.probe(q, 4);
                    ExactScorer exact = f.exact(q);
                    // Every accepted row in the probed postings, once: k = n returns them all.
                    TopOrds all = index.search(q, clusters, f.size(), live::get, exact);
                    assertThat(all.ords()).doesNotHaveDuplicates();
                    TopOrds top = index.search(q, clusters, K, live::get, exact);
                    assertThat(top.size()).isEqualTo(Math.min(K, all.size()));
                    for (int o : top.ords()) {
                        assertThat(live.get(o)).as("ordinal %d is rejected", o).isTrue();
                    }
                    // The top k of all accepted rows of those postings, by exact distance.
                    for (int i = 0; i < top.size(); i++) {
                        float d = all.distances()[i];
                        assertThat(top.distances()[i]).isCloseTo(d, within(1e-5f * Math.max(1f, Math.abs(d))));
                    }
                }
            }
        }
    }
}
