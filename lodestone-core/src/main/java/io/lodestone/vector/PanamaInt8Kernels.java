package io.lodestone.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The signed-byte kernels of {@link PanamaVectorOps}: the quantized-vector dot product and squared
 * distance that int8 scalar quantization scores with.
 *
 * <p>Each step loads half a preferred vector of bytes (16 bytes on AVX-512 ... 8 on NEON), widens them
 * to a full vector of shorts, and then to two vectors of ints that accumulate. A byte product fits a
 * short ({@code |-128 · -128| = 16384}) but a squared difference does not ({@code 255² = 65025}), so
 * the dot product multiplies shorts and the squared distance widens the difference first. Integer
 * arithmetic, so the results equal {@link ScalarVectorOps} exactly. Loaded only through
 * {@link PanamaVectorOps}.
 */
final class PanamaInt8Kernels {

    private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(SHORTS.vectorBitSize() / 2));
    private static final int STEP = BYTES.length();
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private PanamaInt8Kernels() {
    }

    static int dot(MemorySegment a, long ao, MemorySegment b, long bo, int n) {
        int i = 0;
        int sum = 0;
        if (n >= STEP) {
            IntVector acc0 = IntVector.zero(INTS);
            IntVector acc1 = acc0;
            for (int end = n - n % STEP; i < end; i += STEP) {
                ShortVector x = widen(a, ao + i);
                ShortVector y = widen(b, bo + i);
                ShortVector p = x.mul(y);
                acc0 = acc0.add(p.convertShape(VectorOperators.S2I, INTS, 0));
                acc1 = acc1.add(p.convertShape(VectorOperators.S2I, INTS, 1));
            }
            sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            sum += a.get(ValueLayout.JAVA_BYTE, ao + i) * b.get(ValueLayout.JAVA_BYTE, bo + i);
        }
        return sum;
    }

    static int squaredDistance(MemorySegment a, long ao, MemorySegment b, long bo, int n) {
        int i = 0;
        int sum = 0;
        if (n >= STEP) {
            IntVector acc0 = IntVector.zero(INTS);
            IntVector acc1 = acc0;
            for (int end = n - n % STEP; i < end; i += STEP) {
                ShortVector d = widen(a, ao + i).sub(widen(b, bo + i));
                IntVector d0 = (IntVector) d.convertShape(VectorOperators.S2I, INTS, 0);
                IntVector d1 = (IntVector) d.convertShape(VectorOperators.S2I, INTS, 1);
                acc0 = acc0.add(d0.mul(d0));
                acc1 = acc1.add(d1.mul(d1));
            }
            sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            int d = a.get(ValueLayout.JAVA_BYTE, ao + i) - b.get(ValueLayout.JAVA_BYTE, bo + i);
            sum += d * d;
        }
        return sum;
    }

    private static ShortVector widen(MemorySegment s, long offset) {
        return (ShortVector) ByteVector.fromMemorySegment(BYTES, s, offset, ORDER)
                .convertShape(VectorOperators.B2S, SHORTS, 0);
    }
}
