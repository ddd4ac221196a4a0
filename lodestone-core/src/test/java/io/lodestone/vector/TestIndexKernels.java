package io.lodestone.vector;

import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The kernels the ANN indexes add: float vectors read from a {@link MemorySegment}, and float ×
 * int8 dot products (arrays and segments), for every implementation against the double-precision
 * reference and against the array kernels.
 */
@ExtendWith(Seeded.class)
class TestIndexKernels {

    private static final int[] LENGTHS = {1, 3, 15, 16, 17, 63, 64, 65, 384, 1023, 1537};
    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void segmentKernelsMatchTheArrayKernels(Random random) {
        try (Arena arena = Arena.ofConfined()) {
            for (int length : LENGTHS) {
                float[] a = TestVectorOps.vector(length, random::nextGaussian);
                float[] b = TestVectorOps.vector(length, random::nextGaussian);
                int offset = random.nextInt(8);   // any byte offset, aligned or not
                MemorySegment s = arena.allocate(4L * length + offset + 8);
                MemorySegment.copy(b, 0, s, LE_FLOAT, offset, length);
                ReferenceDistance dot = ReferenceDistance.of(DistanceMetric.DOT_PRODUCT, a, b);
                ReferenceDistance l2 = ReferenceDistance.of(DistanceMetric.EUCLIDEAN_SQUARED, a, b);
                for (VectorOps ops : Implementations.all()) {
                    check(ops.name() + " dot", length, -ops.dot(a, 0, s, offset, length), dot);
                    check(ops.name() + " l2", length, ops.squaredDistance(a, 0, s, offset, length), l2);
                }
                check("VectorUtil dot", length, -VectorUtil.dot(a, 0, s, offset, length), dot);
                check("VectorUtil l2", length, VectorUtil.squaredDistance(a, 0, s, offset, length), l2);
            }
        }
    }

    @Test
    void int8KernelsMatchTheReference(Random random) {
        try (Arena arena = Arena.ofConfined()) {
            for (int length : LENGTHS) {
                float[] q = TestVectorOps.vector(length, random::nextGaussian);
                byte[] codes = new byte[length + 5];
                random.nextBytes(codes);
                codes[0] = Byte.MIN_VALUE;
                codes[codes.length - 1] = Byte.MAX_VALUE;
                int offset = random.nextInt(5);
                float[] decoded = new float[length];
                for (int i = 0; i < length; i++) {
                    decoded[i] = codes[offset + i];
                }
                MemorySegment s = arena.allocate(codes.length);
                MemorySegment.copy(codes, 0, s, ValueLayout.JAVA_BYTE, 0, codes.length);
                ReferenceDistance expected = ReferenceDistance.of(DistanceMetric.DOT_PRODUCT, q, decoded);
                for (VectorOps ops : Implementations.all()) {
                    check(ops.name() + " int8", length, -ops.dotInt8(q, 0, codes, offset, length), expected);
                    check(ops.name() + " int8 segment", length, -ops.dotInt8(q, 0, s, offset, length), expected);
                }
                check("VectorUtil int8", length, -VectorUtil.dotInt8(q, 0, codes, offset, length), expected);
            }
        }
    }

    @Test
    void bulkKernelsMatchTheSingleRowKernels(Random random) {
        for (int dim : LENGTHS) {
            int rows = 12;
            float[] data = TestVectorOps.vector(rows * dim, random::nextGaussian);
            byte[] codes = new byte[rows * dim];
            random.nextBytes(codes);
            float[] q = TestVectorOps.vector(dim + 3, random::nextGaussian);
            int qOffset = random.nextInt(4);
            for (int count = 0; count <= 14; count++) {
                int[] ords = new int[count];
                for (int r = 0; r < count; r++) {
                    ords[r] = random.nextInt(rows);
                }
                MemorySegment segment = MemorySegment.ofArray(new byte[4 * data.length]);
                MemorySegment.copy(data, 0, segment, LE_FLOAT, 0, data.length);
                for (VectorOps ops : Implementations.all()) {
                    float[] segDots = new float[count];
                    float[] segL2 = new float[count];
                    ops.dots(q, qOffset, segment, ords, count, dim, segDots);
                    ops.squaredDistances(q, qOffset, segment, ords, count, dim, segL2);
                    float[] dots = new float[count];
                    float[] l2 = new float[count];
                    float[] int8 = new float[count];
                    ops.dots(q, qOffset, data, ords, count, dim, dots);
                    ops.squaredDistances(q, qOffset, data, ords, count, dim, l2);
                    ops.dotsInt8(q, qOffset, codes, ords, count, dim, int8);
                    for (int r = 0; r < count; r++) {
                        float[] row = java.util.Arrays.copyOfRange(data, ords[r] * dim, (ords[r] + 1) * dim);
                        float[] qq = java.util.Arrays.copyOfRange(q, qOffset, qOffset + dim);
                        float[] decoded = new float[dim];
                        for (int i = 0; i < dim; i++) {
                            decoded[i] = codes[ords[r] * dim + i];
                        }
                        String what = ops.name() + " bulk, count " + count + " row " + r;
                        check(what + " dot", dim, -dots[r], ReferenceDistance.of(DistanceMetric.DOT_PRODUCT, qq, row));
                        check(what + " l2", dim, l2[r], ReferenceDistance.of(DistanceMetric.EUCLIDEAN_SQUARED, qq, row));
                        check(what + " int8", dim, -int8[r], ReferenceDistance.of(DistanceMetric.DOT_PRODUCT, qq, decoded));
                        check(what + " segment dot", dim, -segDots[r],
                                ReferenceDistance.of(DistanceMetric.DOT_PRODUCT, qq, row));
                        check(what + " segment l2", dim, segL2[r],
                                ReferenceDistance.of(DistanceMetric.EUCLIDEAN_SQUARED, qq, row));
                    }
                }
            }
        }
        assertThatThrownBy(() -> VectorUtil.dots(new float[4], 0, new float[8], new int[] {2}, 1, 4, new float[1]))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("row 2 out of [0, 2)");
    }

    @Test
    void façadeChecksBounds() {
        MemorySegment small = MemorySegment.ofArray(new float[4]);
        assertThatThrownBy(() -> VectorUtil.dot(new float[8], 0, small, 0, 8))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> VectorUtil.dotInt8(new float[8], 0, new byte[7], 0, 8))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(VectorUtil.dotInt8(new float[] {2f}, 0, new byte[] {-3}, 0, 1)).isEqualTo(-6f);
        // prefetch only reads: any rows that fit, and an exception for one that does not.
        VectorUtil.prefetch(new byte[300], new int[] {0, 2, 1}, 3, 100);
        VectorUtil.prefetch(MemorySegment.ofArray(new byte[300]), new int[] {2, 0}, 2, 100);
        assertThatThrownBy(() -> VectorUtil.prefetch(new byte[300], new int[] {3}, 1, 100))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static void check(String what, int length, float actual, ReferenceDistance expected) {
        if (!expected.accepts(actual)) {
            fail("%s length %d: got %s, expected %s ± %s", what, length, actual, expected.value(), expected.tolerance());
        }
    }
}
