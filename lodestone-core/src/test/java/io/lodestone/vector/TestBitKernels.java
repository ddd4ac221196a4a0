package io.lodestone.vector;

import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The RaBitQ kernels (bit planes, bit-plane dot products) and the Walsh-Hadamard transform: every
 * implementation equals a plain reference written here, exactly (integers; the same float additions).
 */
@ExtendWith(Seeded.class)
class TestBitKernels {

    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @ParameterizedTest(name = "{0} words")
    @ValueSource(ints = {1, 2, 5, 6, 7, 8, 9, 12, 13, 16, 17})
    void bitPlanesHoldEachBitOfEachLevel(int words, Random random) {
        for (int planeCount = 1; planeCount <= 8; planeCount++) {
            int[] levels = new int[64 * words];
            for (int i = 0; i < levels.length; i++) {
                levels[i] = random.nextInt(1 << planeCount);
            }
            for (VectorOps ops : Implementations.all()) {
                long[] planes = new long[words * planeCount];
                ops.bitPlanes(levels, words, planeCount, planes);
                for (int i = 0; i < levels.length; i++) {
                    for (int j = 0; j < planeCount; j++) {
                        long bit = planes[j * words + i / 64] >>> (i % 64) & 1;
                        assertThat(bit).as("%s: level %d bit %d", ops.name(), i, j).isEqualTo(levels[i] >>> j & 1);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} words")
    @ValueSource(ints = {1, 2, 5, 6, 7, 8, 9, 12, 13, 16, 17})
    void bitPlaneDotsEqualTheReference(int words, Random random) {
        for (int planeCount = 1; planeCount <= 8; planeCount++) {
            int count = 1 + random.nextInt(40);
            long stride = 8L * words + random.nextInt(3) * 4;   // the factors after the bits, aligned or not
            long offset = random.nextInt(13);
            long[] planes = new long[words * planeCount];
            for (int i = 0; i < planes.length; i++) {
                planes[i] = random.nextLong();
            }
            try (Arena arena = Arena.ofConfined()) {
                // a native segment that ends right after the last code, and a heap copy
                MemorySegment native_ = arena.allocate(offset + (count - 1) * stride + 8L * words);
                for (long b = 0; b < native_.byteSize(); b++) {
                    native_.set(ValueLayout.JAVA_BYTE, b, (byte) random.nextInt());
                }
                MemorySegment heap = MemorySegment.ofArray(native_.toArray(ValueLayout.JAVA_BYTE));
                int[] expectedDots = new int[count];
                int[] expectedOnes = new int[count];
                for (int r = 0; r < count; r++) {
                    for (int w = 0; w < words; w++) {
                        long x = heap.get(LONG_LE, offset + r * stride + 8L * w);
                        expectedOnes[r] += Long.bitCount(x);
                        for (int j = 0; j < planeCount; j++) {
                            expectedDots[r] += Long.bitCount(x & planes[j * words + w]) << j;
                        }
                    }
                }
                for (VectorOps ops : Implementations.all()) {
                    for (MemorySegment codes : new MemorySegment[] {native_, heap}) {
                        int[] dots = new int[count];
                        int[] ones = new int[count];
                        ops.bitPlaneDots(codes, offset, stride, count, words, planes, planeCount, dots, ones);
                        assertThat(dots).as(ops.name()).containsExactly(expectedDots);
                        assertThat(ones).as(ops.name()).containsExactly(expectedOnes);
                    }
                }
            }
        }
    }

    @Test
    void bitPlaneDotsRejectCodesPastTheEnd() {
        MemorySegment codes = MemorySegment.ofArray(new byte[100]);
        assertThatThrownBy(() -> VectorUtil.bitPlaneDots(codes, 0, 56, 2, 6, new long[24], 4, new int[2], new int[2]))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> VectorUtil.bitPlaneDots(codes, 0, 40, 1, 6, new long[24], 4, new int[1], new int[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride");
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {1, 2, 4, 8, 16, 32, 64, 128, 256, 1024})
    void walshHadamardIsTheSameEverywhereAndMatchesTheMatrix(int length, Random random) {
        int offset = random.nextInt(5);
        float[] v = new float[offset + length + 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        float[] reference = v.clone();
        ScalarVectorOps.INSTANCE.walshHadamard(reference, offset, length);
        for (int i = 0; i < length; i++) {
            double expected = 0;   // H[i][j] = (-1)^popcount(i & j)
            for (int j = 0; j < length; j++) {
                expected += (Integer.bitCount(i & j) % 2 == 0 ? 1 : -1) * v[offset + j];
            }
            assertThat((double) reference[offset + i]).isCloseTo(expected, within(1e-4 * Math.sqrt(length) * 4));
        }
        for (VectorOps ops : Implementations.all()) {
            float[] actual = v.clone();
            ops.walshHadamard(actual, offset, length);
            assertThat(actual).as(ops.name()).containsExactly(reference);
        }
    }

    @Test
    void walshHadamardRejectsALengthThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> VectorUtil.walshHadamard(new float[12], 0, 12))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
    }
}
