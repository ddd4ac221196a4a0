package io.lodestone.vector;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * The bit-plane kernels of {@link PanamaVectorOps} that RaBitQ's 1-bit codes are scored with.
 *
 * <p>{@link #bitPlaneDots}: a code's words fill the lanes of one long vector (six of eight for 384
 * dimensions on AVX-512; longer codes take several), each lane is ANDed with the same words of each
 * query plane and counted with a lane-wise {@code BIT_COUNT} (one {@code vpopcntq} where the CPU has
 * it), and the weighted counts and the code's own count share one lane reduction: the count of set
 * bits sits in the upper 32 bits of each lane. {@link #bitPlanes}: a compare per plane turns sixteen
 * levels into sixteen bits of a mask. Integer arithmetic, so the results equal
 * {@link ScalarVectorOps} exactly. Loaded only through {@link PanamaVectorOps}.
 */
final class PanamaBitKernels {

    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private PanamaBitKernels() {
    }

    static void bitPlanes(int[] levels, int words, int planeCount, long[] planes) {
        int step = INTS.length();
        if (64 % step != 0) {
            ScalarVectorOps.INSTANCE.bitPlanes(levels, words, planeCount, planes);
            return;
        }
        for (int w = 0; w < words; w++) {
            for (int j = 0; j < planeCount; j++) {
                planes[j * words + w] = 0;
            }
            for (int b = 0; b < 64; b += step) {
                IntVector v = IntVector.fromArray(INTS, levels, 64 * w + b);
                for (int j = 0; j < planeCount; j++) {
                    long bits = v.and(1 << j).compare(VectorOperators.NE, 0).toLong();
                    planes[j * words + w] |= bits << b;
                }
            }
        }
    }

    static void bitPlaneDots(MemorySegment codes, long offset, long stride, int count, int words, long[] planes,
                             int planeCount, int[] dots, int[] ones) {
        if (words <= LONGS.length() && planeCount == 4) {
            oneVectorFourPlanes(codes, offset, stride, count, words, planes, dots, ones);
            return;
        }
        int lanes = LONGS.length();
        for (int r = 0; r < count; r++) {
            long at = offset + r * stride;
            LongVector sums = LongVector.zero(LONGS);
            for (int w = 0; w < words; w += lanes) {
                VectorMask<Long> valid = LONGS.indexInRange(w, words);
                LongVector x = LongVector.fromMemorySegment(LONGS, codes, at + 8L * w, ORDER, valid);
                // set bits counted in the upper half of each lane, weighted plane counts in the lower
                sums = sums.add(x.lanewise(VectorOperators.BIT_COUNT).lanewise(VectorOperators.LSHL, 32));
                for (int j = 0; j < planeCount; j++) {
                    LongVector plane = LongVector.fromArray(LONGS, planes, j * words + w, valid);
                    sums = sums.add(x.and(plane).lanewise(VectorOperators.BIT_COUNT).lanewise(VectorOperators.LSHL, j));
                }
            }
            store(sums.reduceLanes(VectorOperators.ADD), r, dots, ones);
        }
    }

    /**
     * The common case (up to 512 dimensions on AVX-512, a 4-bit query): the planes stay in registers,
     * and a code is read with one unmasked load, its lanes past the code cleared, while a whole vector
     * fits the segment.
     */
    private static void oneVectorFourPlanes(MemorySegment codes, long offset, long stride, int count, int words,
                                            long[] planes, int[] dots, int[] ones) {
        VectorMask<Long> valid = LONGS.indexInRange(0, words);
        LongVector keep = LongVector.zero(LONGS).blend(-1L, valid);
        LongVector p0 = LongVector.fromArray(LONGS, planes, 0, valid);
        LongVector p1 = LongVector.fromArray(LONGS, planes, words, valid);
        LongVector p2 = LongVector.fromArray(LONGS, planes, 2 * words, valid);
        LongVector p3 = LongVector.fromArray(LONGS, planes, 3 * words, valid);
        long wholeVectorEnd = codes.byteSize() - LONGS.vectorByteSize();
        for (int r = 0; r < count; r++) {
            long at = offset + r * stride;
            LongVector x = at <= wholeVectorEnd
                    ? LongVector.fromMemorySegment(LONGS, codes, at, ORDER).and(keep)
                    : LongVector.fromMemorySegment(LONGS, codes, at, ORDER, valid);
            LongVector sums = x.lanewise(VectorOperators.BIT_COUNT).lanewise(VectorOperators.LSHL, 32)
                    .add(x.and(p0).lanewise(VectorOperators.BIT_COUNT))
                    .add(x.and(p1).lanewise(VectorOperators.BIT_COUNT).lanewise(VectorOperators.LSHL, 1))
                    .add(x.and(p2).lanewise(VectorOperators.BIT_COUNT).lanewise(VectorOperators.LSHL, 2))
                    .add(x.and(p3).lanewise(VectorOperators.BIT_COUNT).lanewise(VectorOperators.LSHL, 3));
            store(sums.reduceLanes(VectorOperators.ADD), r, dots, ones);
        }
    }

    /** Splits a reduced sum: the weighted plane counts in the low 32 bits, the code's set bits above. */
    private static void store(long total, int r, int[] dots, int[] ones) {
        dots[r] = (int) total;
        ones[r] = (int) (total >>> 32);
    }
}
