package io.lodestone.vector;

import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The signed-byte kernels: every implementation equals a plain {@code long} reference exactly, on heap
 * and native segments, at any offset, including the extremes -128 and 127.
 */
@ExtendWith(Seeded.class)
class TestInt8Kernels {

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {1, 3, 15, 17, 1023, 1537, 10752})
    void randomBytesMatchTheReference(int length, Random random) {
        for (int round = 0; round < 4; round++) {
            byte[] a = bytes(random, length, round);
            byte[] b = bytes(random, length, round + 1);
            check(a, b);
        }
    }

    @Test
    void everyLengthUpToFourVectorsMatchesTheReference(Random random) {
        for (int length = 0; length <= 140; length++) {
            check(bytes(random, length, 0), bytes(random, length, 0));
        }
    }

    @Test
    void extremesDoNotOverflowAtTheLargestDimension() {
        int length = 10752;
        byte[] min = new byte[length];
        byte[] max = new byte[length];
        Arrays.fill(min, Byte.MIN_VALUE);
        Arrays.fill(max, Byte.MAX_VALUE);
        check(min, min);
        check(min, max);
        check(max, max);
        assertThat(VectorUtil.int8Dot(min, min)).isEqualTo(16384 * length);
        assertThat(VectorUtil.int8SquaredDistance(min, max)).isEqualTo(255 * 255 * length);
    }

    @Test
    void offsetsAndNativeSegmentsDoNotChangeResults(Random random) {
        try (Arena arena = Arena.ofConfined()) {
            for (int length : new int[] {1, 17, 64, 385, 1537}) {
                byte[] a = bytes(random, length, 0);
                byte[] b = bytes(random, length, 2);
                int aOffset = random.nextInt(50);
                int bOffset = random.nextInt(50);
                MemorySegment sa = arena.allocate(aOffset + length + 7);
                MemorySegment sb = arena.allocate(bOffset + length + 3);
                MemorySegment.copy(MemorySegment.ofArray(a), 0, sa, aOffset, length);
                MemorySegment.copy(MemorySegment.ofArray(b), 0, sb, bOffset, length);
                for (VectorOps ops : Implementations.all()) {
                    assertThat(ops.int8Dot(sa, aOffset, sb, bOffset, length)).as(ops.name()).isEqualTo(referenceDot(a, b));
                    assertThat(ops.int8SquaredDistance(sa, aOffset, sb, bOffset, length))
                            .as(ops.name()).isEqualTo(referenceSquaredDistance(a, b));
                }
                assertThat(VectorUtil.int8Dot(sa, aOffset, sb, bOffset, length)).isEqualTo(referenceDot(a, b));
            }
        }
    }

    @Test
    void facadeChecksLengthsAndBounds() {
        assertThatThrownBy(() -> VectorUtil.int8Dot(new byte[3], new byte[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("vector dimensions differ: 3 and 4");
        MemorySegment small = MemorySegment.ofArray(new byte[8]);
        assertThatThrownBy(() -> VectorUtil.int8SquaredDistance(small, 4, small, 0, 5))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> VectorUtil.int8SquaredDistance(small, 0, small, 0, 40_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("length must be in [0, 33025]; got 40000");
    }

    private static void check(byte[] a, byte[] b) {
        long dot = referenceDot(a, b);
        long l2 = referenceSquaredDistance(a, b);
        MemorySegment sa = MemorySegment.ofArray(a);
        MemorySegment sb = MemorySegment.ofArray(b);
        for (VectorOps ops : Implementations.all()) {
            assertThat((long) ops.int8Dot(sa, 0, sb, 0, a.length)).as("%s dot length %d", ops.name(), a.length)
                    .isEqualTo(dot);
            assertThat((long) ops.int8SquaredDistance(sa, 0, sb, 0, a.length))
                    .as("%s squared distance length %d", ops.name(), a.length).isEqualTo(l2);
        }
        assertThat((long) VectorUtil.int8Dot(a, b)).isEqualTo(dot);
        assertThat((long) VectorUtil.int8SquaredDistance(a, b)).isEqualTo(l2);
    }

    /** Uniform bytes, or (every other kind) mostly the extremes -128 and 127. */
    private static byte[] bytes(Random random, int length, int kind) {
        byte[] v = new byte[length];
        for (int i = 0; i < length; i++) {
            v[i] = kind % 2 == 0 ? (byte) random.nextInt(256)
                    : (random.nextInt(4) == 0 ? (byte) random.nextInt(256) : random.nextBoolean() ? Byte.MIN_VALUE : Byte.MAX_VALUE);
        }
        return v;
    }

    private static long referenceDot(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (long) a[i] * b[i];
        }
        return sum;
    }

    private static long referenceSquaredDistance(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            long d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}
