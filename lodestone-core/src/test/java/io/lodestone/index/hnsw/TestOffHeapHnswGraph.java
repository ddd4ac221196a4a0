package io.lodestone.index.hnsw;

import io.lodestone.index.ArrayVectorValues;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.index.MemorySegmentVectorValues;
import io.lodestone.index.TopOrds;
import io.lodestone.testing.Seeded;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Writer → bytes → {@link OffHeapHnswGraph}: the same graph, the same search results. */
@ExtendWith(Seeded.class)
class TestOffHeapHnswGraph {

    private static final int DIM = 24;
    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void mappedGraphAndVectorsSearchLikeTheHeapOnes(Random random, @TempDir Path dir) throws IOException {
        int n = 3_000 + random.nextInt(1_000);
        float[] data = ClusteredData.vectors(random, n, DIM, 20);
        FloatVectorScorerSupplier heapScorers = FloatVectorScorerSupplier.create(DistanceMetric.COSINE_DISTANCE,
                ArrayVectorValues.wrap(data, DIM));
        OnHeapHnswGraph heap = HnswGraphBuilder.build(heapScorers, new HnswParams(8, 60, random.nextLong()), 2);

        Path graphFile = dir.resolve("graph.hnsw");
        try (OutputStream out = Files.newOutputStream(graphFile)) {
            long written = HnswGraphWriter.write(heap, out);
            assertThat(written).isEqualTo(HnswGraphWriter.byteSize(heap));
        }
        Path vectorFile = dir.resolve("vectors.f32");
        try (Arena arena = Arena.ofShared()) {
            try (FileChannel ch = FileChannel.open(vectorFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                MemorySegment s = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4L * data.length, arena);
                MemorySegment.copy(data, 0, s, LE_FLOAT, 0, data.length);
            }
            OffHeapHnswGraph offHeap = OffHeapHnswGraph.open(map(graphFile, arena));
            MemorySegmentVectorValues mapped = new MemorySegmentVectorValues(map(vectorFile, arena), DIM);
            FloatVectorScorerSupplier mappedScorers = FloatVectorScorerSupplier.create(DistanceMetric.COSINE_DISTANCE,
                    mapped);

            TestHnswGraphBuilder.assertSameGraph(heap, offHeap);
            for (int node = 0; node < n; node++) {
                assertThat(offHeap.levelOf(node)).isEqualTo(heap.levelOf(node));
            }
            HnswGraphSearcher searcher = new HnswGraphSearcher();
            for (float[] q : ClusteredData.queries(random, data, DIM, 50)) {
                int ef = 10 + random.nextInt(50);
                TopOrds expected = searcher.search(heap, heapScorers.forQuery(q), 10, ef, null);
                TopOrds actual = searcher.search(offHeap, mappedScorers.forQuery(q), 10, ef, null);
                assertThat(actual.distances()).containsExactly(expected.distances(),
                        org.assertj.core.data.Offset.offset(1e-5f));
                assertSameUpToTies(expected, actual, 1e-5f);
            }
        }
    }

    @Test
    void writingIsDeterministicAndRoundTrips(Random random) throws IOException {
        float[] data = ClusteredData.vectors(random, 800, DIM, 5);
        OnHeapHnswGraph heap = HnswGraphBuilder.build(FloatVectorScorerSupplier.create(
                DistanceMetric.EUCLIDEAN_SQUARED, ArrayVectorValues.wrap(data, DIM)), new HnswParams(6, 30, 1), 1);
        byte[] first = bytes(heap);
        OffHeapHnswGraph offHeap = OffHeapHnswGraph.open(MemorySegment.ofArray(first));
        assertThat(bytes(offHeap)).isEqualTo(first);
        assertThat(bytes(OnHeapHnswGraph.copyOf(offHeap))).isEqualTo(first);
    }

    @Test
    void emptyGraphRoundTrips() throws IOException {
        byte[] bytes = bytes(new OnHeapHnswGraph(0, 16));
        OffHeapHnswGraph graph = OffHeapHnswGraph.open(MemorySegment.ofArray(bytes));
        assertThat(graph.size()).isZero();
        assertThat(graph.entryNode()).isEqualTo(-1);
    }

    @Test
    void corruptLayoutsAreRejectedWithTheReason(Random random) throws IOException {
        float[] data = ClusteredData.vectors(random, 300, DIM, 3);
        byte[] good = bytes(HnswGraphBuilder.build(FloatVectorScorerSupplier.create(DistanceMetric.EUCLIDEAN_SQUARED,
                ArrayVectorValues.wrap(data, DIM)), new HnswParams(4, 20, 5), 1));

        byte[] version = good.clone();
        version[0] = 9;
        assertThatThrownBy(() -> OffHeapHnswGraph.open(MemorySegment.ofArray(version)))
                .hasMessage("corrupt HNSW graph: unsupported layout version 9; this reader reads version 1");

        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 4);
        assertThatThrownBy(() -> OffHeapHnswGraph.open(MemorySegment.ofArray(truncated)))
                .hasMessageStartingWith("corrupt HNSW graph:");

        byte[] badCount = good.clone();
        int firstList = HnswGraphWriter.HEADER_BYTES;
        badCount[firstList] = 100;   // node 0's level-0 count, max 8
        OffHeapHnswGraph graph = OffHeapHnswGraph.open(MemorySegment.ofArray(badCount));
        assertThatThrownBy(() -> graph.neighbors(0, 0, new int[8]))
                .hasMessage("corrupt HNSW graph: node 0 on level 0 has 100 neighbours (max 8)");

        assertThatThrownBy(() -> OffHeapHnswGraph.open(MemorySegment.ofArray(new byte[10])))
                .hasMessage("corrupt HNSW graph: segment of 10 bytes is shorter than the 24-byte header");
    }

    private static byte[] bytes(HnswGraph graph) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HnswGraphWriter.write(graph, out);
        return out.toByteArray();
    }

    private static MemorySegment map(Path file, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        }
    }

    /**
     * The same neighbours in the same order, except that neighbours whose distances tie (within {@code eps}: the
     * mapped and heap kernels round differently in the last bits) may come in either order.
     */
    private static void assertSameUpToTies(TopOrds expected, TopOrds actual, float eps) {
        int[] e = expected.ords();
        int[] a = actual.ords();
        assertThat(a).hasSameSizeAs(e).doesNotHaveDuplicates();
        for (int i = 0; i < a.length; i++) {
            if (a[i] == e[i]) continue;
            int j = 0;
            while (j < e.length && e[j] != a[i]) j++;
            assertThat(j).as("neighbour %d is one the heap search found", a[i]).isLessThan(e.length);
            assertThat(Math.abs(expected.distances()[j] - expected.distances()[i]))
                    .as("neighbours %d and %d swap places only on a tie", a[i], e[i]).isLessThanOrEqualTo(eps);
        }
    }
}
