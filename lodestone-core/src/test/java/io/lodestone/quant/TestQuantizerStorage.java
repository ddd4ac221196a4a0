package io.lodestone.quant;

import io.lodestone.index.ApproximateScorer;
import io.lodestone.testing.Seeded;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where codes and parameters live must not change a single score: parameters survive
 * write/read bit for bit, codes encode the same into a byte[] and a native segment at any offset,
 * and heap and native scorers (single and bulk calls) return identical distances.
 */
@ExtendWith(Seeded.class)
class TestQuantizerStorage {

    @ParameterizedTest(name = "{0} dim {1} {2}")
    @MethodSource("io.lodestone.quant.Quantizers#configsAndMetrics")
    void serializationRoundTripGivesIdenticalScores(QuantizerConfig config, int dim, DistanceMetric metric,
                                                    Random random) throws IOException {
        float[][] data = Fixtures.clustered(random, 400, dim, 8, 0.5);
        VectorQuantizer original = config.train(metric, data, random.nextLong());
        byte[] params = write(original);
        VectorQuantizer copy = VectorQuantizer.read(params);
        assertThat(copy.getClass()).isEqualTo(original.getClass());
        assertThat(copy.metric()).isEqualTo(metric);
        assertThat(copy.dimension()).isEqualTo(dim);
        assertThat(copy.codeSize()).isEqualTo(original.codeSize());
        assertThat(write(copy)).as("rewritten parameters").isEqualTo(params);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(params.length);
            MemorySegment.copy(MemorySegment.ofArray(params), 0, segment, 0, params.length);
            assertThat(write(VectorQuantizer.read(segment))).as("read from a native segment").isEqualTo(params);
        }

        byte[] codes = original.encodeAll(data);
        assertThat(copy.encodeAll(data)).isEqualTo(codes);
        for (int q = 0; q < 3; q++) {
            float[] query = Fixtures.queriesNear(random, data, 1, 0.3)[0];
            ApproximateScorer a = original.scorer(query, codes);
            ApproximateScorer b = copy.scorer(query, codes);
            for (int i = 0; i < data.length; i++) {
                assertThat(b.distance(i)).isEqualTo(a.distance(i));
                if (a instanceof BoundedScorer ba) {
                    assertThat(((BoundedScorer) b).errorBound(i)).isEqualTo(ba.errorBound(i));
                }
            }
        }
        assertThat(copy.decode(codes, 0)).isEqualTo(original.decode(codes, 0));
    }

    @ParameterizedTest(name = "{0} dim {1} {2}")
    @MethodSource("io.lodestone.quant.Quantizers#configsAndMetrics")
    void heapAndNativeCodesScoreTheSame(QuantizerConfig config, int dim, DistanceMetric metric, Random random) {
        float[][] data = Fixtures.clustered(random, 400, dim, 8, 0.5);
        VectorQuantizer quantizer = config.train(metric, data, random.nextLong());
        byte[] heap = quantizer.encodeAll(data);
        int size = quantizer.codeSize();
        try (Arena arena = Arena.ofConfined()) {
            // Encode straight into a native block that starts at an odd offset of a larger segment.
            long start = 1 + random.nextInt(13);
            MemorySegment outer = arena.allocate(start + heap.length + 5);
            for (int i = 0; i < data.length; i++) {
                quantizer.encode(data[i], outer, start + (long) i * size);
            }
            MemorySegment block = outer.asSlice(start, heap.length);
            assertThat(block.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(heap);
            MemorySegment bulk = arena.allocate(start + heap.length);
            quantizer.encodeAll(data, bulk, start);
            assertThat(bulk.asSlice(start).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(heap);
            for (int i = 0; i < data.length; i += 37) {
                assertThat(quantizer.encode(data[i])).isEqualTo(java.util.Arrays.copyOfRange(heap, i * size, (i + 1) * size));
            }

            float[] query = Fixtures.queriesNear(random, data, 1, 0.3)[0];
            ApproximateScorer onHeap = quantizer.scorer(query, heap);
            ApproximateScorer offHeap = quantizer.scorer(query, block);
            assertThat(onHeap.size()).isEqualTo(data.length);
            assertThat(offHeap.size()).isEqualTo(data.length);
            float[] range = new float[data.length];
            offHeap.distances(0, data.length, range);
            int[] ordinals = random.ints(64, 0, data.length).toArray();
            float[] picked = new float[ordinals.length];
            onHeap.distances(ordinals, ordinals.length, picked);
            for (int i = 0; i < data.length; i++) {
                float d = onHeap.distance(i);
                assertThat(offHeap.distance(i)).isEqualTo(d);
                assertThat(range[i]).isEqualTo(d);
            }
            for (int i = 0; i < ordinals.length; i++) {
                assertThat(picked[i]).isEqualTo(onHeap.distance(ordinals[i]));
            }
            if (onHeap instanceof BoundedScorer bounded) {
                float[] distances = new float[ordinals.length];
                float[] bounds = new float[ordinals.length];
                ((BoundedScorer) offHeap).distancesWithBounds(ordinals, ordinals.length, distances, bounds);
                for (int i = 0; i < ordinals.length; i++) {
                    assertThat(distances[i]).isEqualTo(bounded.distance(ordinals[i]));
                    assertThat(bounds[i]).isEqualTo(bounded.errorBound(ordinals[i])).isGreaterThanOrEqualTo(0f);
                }
            }
        }
    }

    static byte[] write(VectorQuantizer quantizer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        quantizer.write(out);
        return out.toByteArray();
    }
}
