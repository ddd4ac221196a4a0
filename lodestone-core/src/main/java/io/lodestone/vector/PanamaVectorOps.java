package io.lodestone.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

/**
 * SIMD kernels on the incubating Vector API ({@code jdk.incubator.vector}), using the preferred species
 * (512 bits on AVX-512, 256 on AVX2, 128 on NEON).
 *
 * <p>Each kernel runs a main loop over whole vectors with several independent accumulators, so that
 * the adds/FMAs of consecutive iterations do not wait on each other's latency (four for the
 * one-stream sums dot, L2 and L1; two per stream for the others), then a one-accumulator loop over the
 * remaining whole vectors, one horizontal reduction, and a scalar loop for the tail shorter than a
 * vector. Results therefore differ from {@link ScalarVectorOps} in rounding only.
 *
 * <p>Never referenced directly outside {@link VectorizationProvider}, which loads this class
 * reflectively only after checking that the module is present: loading it without the module throws.
 */
final class PanamaVectorOps implements VectorOps {

    static final PanamaVectorOps INSTANCE = new PanamaVectorOps();

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int L = SPECIES.length();

    /** Lane permutations that fold the upper half of each power-of-two window onto its lower half ({@link #sumLanes}). */
    private static final VectorShuffle<Float> FOLD_32 = fold(32), FOLD_16 = fold(16), FOLD_8 = fold(8), FOLD_4 = fold(4),
            FOLD_2 = fold(2), FOLD_1 = fold(1);

    private static VectorShuffle<Float> fold(int half) {
        return VectorShuffle.fromOp(SPECIES, i -> (i + half) % L);
    }

    /**
     * The sum of a vector's lanes in one fixed order (halves folded pairwise), so that a distance is the same float
     * whether its kernel runs compiled or still interpreted: {@code reduceLanes(ADD)} leaves the order open, and the
     * JIT's intrinsic and the interpreter's loop round differently (an ANN result's rescored {@code $dist} then
     * differed from the exact scan's in the last bit). Lane-wise adds and permutations are exact in every mode.
     * Used by these kernels, which compute every distance a query reports (scans, and the rescoring of index
     * results); the graph-walk kernels ({@code PanamaIndexKernels}) keep {@code reduceLanes}, which is faster on
     * short vectors (a fold costs about 2.4 ns more per 64-d dot, 1.5 ns per 384-d one, measured in one process),
     * since a walk only ranks candidates.
     */
    static float sumLanes(FloatVector v) {
        if (L >= 64) v = v.add(v.rearrange(FOLD_32)); // 2048-bit vectors, the most the API allows
        if (L >= 32) v = v.add(v.rearrange(FOLD_16));
        if (L >= 16) v = v.add(v.rearrange(FOLD_8));
        if (L >= 8) v = v.add(v.rearrange(FOLD_4));
        if (L >= 4) v = v.add(v.rearrange(FOLD_2));
        if (L >= 2) v = v.add(v.rearrange(FOLD_1));
        return v.lane(0);
    }

    private PanamaVectorOps() {
    }

    @Override
    public String name() {
        return "panama";
    }

    @Override
    public float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        return dotKernel(a, aOffset, b, bOffset, length);
    }

    @Override
    public float squareSum(float[] a, int offset, int length) {
        return dotKernel(a, offset, a, offset, length);
    }

    @Override
    public float squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int length) {
        return squaredKernel(a, aOffset, b, bOffset, length);
    }

    @Override
    public float cosineDistance(float[] a, int aOffset, float[] b, int bOffset, int length) {
        return cosineKernel(a, aOffset, b, bOffset, length);
    }

    @Override
    public float manhattan(float[] a, int aOffset, float[] b, int bOffset, int length) {
        return manhattanKernel(a, aOffset, b, bOffset, length);
    }

    @Override
    public float hamming(float[] a, int aOffset, float[] b, int bOffset, int length) {
        return hammingKernel(a, aOffset, b, bOffset, length);
    }

    @Override
    public float jaccard(float[] a, int aOffset, float[] b, int bOffset, int length) {
        return jaccardKernel(a, aOffset, b, bOffset, length);
    }

    @Override
    public float chebyshev(float[] a, int aOffset, float[] b, int bOffset, int length) {
        return chebyshevKernel(a, aOffset, b, bOffset, length);
    }

    @Override
    public float canberra(float[] a, int aOffset, float[] b, int bOffset, int length) {
        return canberraKernel(a, aOffset, b, bOffset, length);
    }

    @Override
    public float brayCurtis(float[] a, int aOffset, float[] b, int bOffset, int length) {
        return brayCurtisKernel(a, aOffset, b, bOffset, length);
    }

    @Override
    public int int8Dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
        return PanamaInt8Kernels.dot(a, aOffset, b, bOffset, length);
    }

    @Override
    public int int8SquaredDistance(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
        return PanamaInt8Kernels.squaredDistance(a, aOffset, b, bOffset, length);
    }

    @Override
    public void distances(DistanceMetric metric, float[] q, float[] data, int dataOffset, int count, int dim,
                          float[] out) {
        // One switch per scan, then a loop over static kernels: no dispatch per row.
        int off = dataOffset;
        switch (metric) {
            case COSINE_DISTANCE -> {
                for (int r = 0; r < count; r++, off += dim) out[r] = cosineKernel(q, 0, data, off, dim);
            }
            case EUCLIDEAN_SQUARED -> {
                for (int r = 0; r < count; r++, off += dim) out[r] = squaredKernel(q, 0, data, off, dim);
            }
            case DOT_PRODUCT -> {
                for (int r = 0; r < count; r++, off += dim) out[r] = 0f - dotKernel(q, 0, data, off, dim);
            }
            case MANHATTAN -> {
                for (int r = 0; r < count; r++, off += dim) out[r] = manhattanKernel(q, 0, data, off, dim);
            }
            case HAMMING -> {
                for (int r = 0; r < count; r++, off += dim) out[r] = hammingKernel(q, 0, data, off, dim);
            }
            case JACCARD -> {
                for (int r = 0; r < count; r++, off += dim) out[r] = jaccardKernel(q, 0, data, off, dim);
            }
            case CHEBYSHEV -> {
                for (int r = 0; r < count; r++, off += dim) out[r] = chebyshevKernel(q, 0, data, off, dim);
            }
            case CANBERRA -> {
                for (int r = 0; r < count; r++, off += dim) out[r] = canberraKernel(q, 0, data, off, dim);
            }
            case BRAY_CURTIS -> {
                for (int r = 0; r < count; r++, off += dim) out[r] = brayCurtisKernel(q, 0, data, off, dim);
            }
        }
    }

    @Override
    public void cosineDistances(float[] q, float queryNorm, float[] data, int dataOffset, int count, int dim,
                                float[] rowNorms, int normOffset, float[] out) {
        int off = dataOffset;
        for (int r = 0; r < count; r++, off += dim) {
            out[r] = DistanceMath.cosineFromNorms(dotKernel(q, 0, data, off, dim), queryNorm, rowNorms[normOffset + r]);
        }
    }

    static FloatVector load(float[] a, int offset) {
        return FloatVector.fromArray(SPECIES, a, offset);
    }

    /** The end of the 4-vectors-per-iteration loop: the largest multiple of {@code 4 * L} ≤ length. */
    static int bound4(int length) {
        return length - length % (4 * L);
    }

    /** The end of the 2-vectors-per-iteration loop: the largest multiple of {@code 2 * L} ≤ length. */
    private static int bound2(int length) {
        return length - length % (2 * L);
    }

    static float dotKernel(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float sum = 0f;
        if (n >= L) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            FloatVector acc3 = acc0;
            for (int end = bound4(n); i < end; i += 4 * L) {
                acc0 = load(a, ao + i).fma(load(b, bo + i), acc0);
                acc1 = load(a, ao + i + L).fma(load(b, bo + i + L), acc1);
                acc2 = load(a, ao + i + 2 * L).fma(load(b, bo + i + 2 * L), acc2);
                acc3 = load(a, ao + i + 3 * L).fma(load(b, bo + i + 3 * L), acc3);
            }
            for (int end = SPECIES.loopBound(n); i < end; i += L) {
                acc0 = load(a, ao + i).fma(load(b, bo + i), acc0);
            }
            sum = sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
        }
        for (; i < n; i++) {
            sum = Math.fma(a[ao + i], b[bo + i], sum);
        }
        return sum;
    }

    static float squaredKernel(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float sum = 0f;
        if (n >= L) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            FloatVector acc3 = acc0;
            for (int end = bound4(n); i < end; i += 4 * L) {
                FloatVector d0 = load(a, ao + i).sub(load(b, bo + i));
                FloatVector d1 = load(a, ao + i + L).sub(load(b, bo + i + L));
                FloatVector d2 = load(a, ao + i + 2 * L).sub(load(b, bo + i + 2 * L));
                FloatVector d3 = load(a, ao + i + 3 * L).sub(load(b, bo + i + 3 * L));
                acc0 = d0.fma(d0, acc0);
                acc1 = d1.fma(d1, acc1);
                acc2 = d2.fma(d2, acc2);
                acc3 = d3.fma(d3, acc3);
            }
            for (int end = SPECIES.loopBound(n); i < end; i += L) {
                FloatVector d = load(a, ao + i).sub(load(b, bo + i));
                acc0 = d.fma(d, acc0);
            }
            sum = sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
        }
        for (; i < n; i++) {
            float d = a[ao + i] - b[bo + i];
            sum = Math.fma(d, d, sum);
        }
        return sum;
    }

    private static float cosineKernel(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float dot = 0f;
        float normA = 0f;
        float normB = 0f;
        if (n >= L) {
            FloatVector dot0 = FloatVector.zero(SPECIES);
            FloatVector dot1 = dot0;
            FloatVector normA0 = dot0;
            FloatVector normA1 = dot0;
            FloatVector normB0 = dot0;
            FloatVector normB1 = dot0;
            for (int end = bound2(n); i < end; i += 2 * L) {
                FloatVector x0 = load(a, ao + i);
                FloatVector y0 = load(b, bo + i);
                FloatVector x1 = load(a, ao + i + L);
                FloatVector y1 = load(b, bo + i + L);
                dot0 = x0.fma(y0, dot0);
                normA0 = x0.fma(x0, normA0);
                normB0 = y0.fma(y0, normB0);
                dot1 = x1.fma(y1, dot1);
                normA1 = x1.fma(x1, normA1);
                normB1 = y1.fma(y1, normB1);
            }
            for (int end = SPECIES.loopBound(n); i < end; i += L) {
                FloatVector x = load(a, ao + i);
                FloatVector y = load(b, bo + i);
                dot0 = x.fma(y, dot0);
                normA0 = x.fma(x, normA0);
                normB0 = y.fma(y, normB0);
            }
            dot = sumLanes(dot0.add(dot1));
            normA = sumLanes(normA0.add(normA1));
            normB = sumLanes(normB0.add(normB1));
        }
        for (; i < n; i++) {
            float x = a[ao + i];
            float y = b[bo + i];
            dot = Math.fma(x, y, dot);
            normA = Math.fma(x, x, normA);
            normB = Math.fma(y, y, normB);
        }
        return DistanceMath.cosineFromSums(dot, normA, normB);
    }

    private static float manhattanKernel(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float sum = 0f;
        if (n >= L) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            FloatVector acc3 = acc0;
            for (int end = bound4(n); i < end; i += 4 * L) {
                acc0 = acc0.add(load(a, ao + i).sub(load(b, bo + i)).abs());
                acc1 = acc1.add(load(a, ao + i + L).sub(load(b, bo + i + L)).abs());
                acc2 = acc2.add(load(a, ao + i + 2 * L).sub(load(b, bo + i + 2 * L)).abs());
                acc3 = acc3.add(load(a, ao + i + 3 * L).sub(load(b, bo + i + 3 * L)).abs());
            }
            for (int end = SPECIES.loopBound(n); i < end; i += L) {
                acc0 = acc0.add(load(a, ao + i).sub(load(b, bo + i)).abs());
            }
            sum = sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
        }
        for (; i < n; i++) {
            sum += Math.abs(a[ao + i] - b[bo + i]);
        }
        return sum;
    }

    private static float hammingKernel(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        int count = 0;
        for (int end = SPECIES.loopBound(n); i < end; i += L) {
            count += load(a, ao + i).compare(VectorOperators.NE, load(b, bo + i)).trueCount();
        }
        for (; i < n; i++) {
            if (a[ao + i] != b[bo + i]) {
                count++;
            }
        }
        return count;
    }

    private static float jaccardKernel(float[] a, int ao, float[] b, int bo, int n) {
        // Same identities as ScalarVectorOps: with lo = min(a, b), hi = max(a, b), the positive and
        // negative parts contribute max(lo, 0) - min(hi, 0) to the min sum and
        // max(hi, 0) - min(lo, 0) to the max sum.
        int i = 0;
        float minSum = 0f;
        float maxSum = 0f;
        if (n >= L) {
            FloatVector min0 = FloatVector.zero(SPECIES);
            FloatVector min1 = min0;
            FloatVector max0 = min0;
            FloatVector max1 = min0;
            for (int end = bound2(n); i < end; i += 2 * L) {
                FloatVector x0 = load(a, ao + i);
                FloatVector y0 = load(b, bo + i);
                FloatVector x1 = load(a, ao + i + L);
                FloatVector y1 = load(b, bo + i + L);
                FloatVector lo0 = x0.min(y0);
                FloatVector hi0 = x0.max(y0);
                FloatVector lo1 = x1.min(y1);
                FloatVector hi1 = x1.max(y1);
                min0 = min0.add(lo0.max(0f).sub(hi0.min(0f)));
                max0 = max0.add(hi0.max(0f).sub(lo0.min(0f)));
                min1 = min1.add(lo1.max(0f).sub(hi1.min(0f)));
                max1 = max1.add(hi1.max(0f).sub(lo1.min(0f)));
            }
            for (int end = SPECIES.loopBound(n); i < end; i += L) {
                FloatVector x = load(a, ao + i);
                FloatVector y = load(b, bo + i);
                FloatVector lo = x.min(y);
                FloatVector hi = x.max(y);
                min0 = min0.add(lo.max(0f).sub(hi.min(0f)));
                max0 = max0.add(hi.max(0f).sub(lo.min(0f)));
            }
            minSum = sumLanes(min0.add(min1));
            maxSum = sumLanes(max0.add(max1));
        }
        for (; i < n; i++) {
            float x = a[ao + i];
            float y = b[bo + i];
            float lo = Math.min(x, y);
            float hi = Math.max(x, y);
            minSum += Math.max(lo, 0f) - Math.min(hi, 0f);
            maxSum += Math.max(hi, 0f) - Math.min(lo, 0f);
        }
        return DistanceMath.jaccardFromSums(minSum, maxSum);
    }

    private static float chebyshevKernel(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float max = 0f;
        if (n >= L) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = acc0;
            for (int end = bound2(n); i < end; i += 2 * L) {
                acc0 = acc0.max(load(a, ao + i).sub(load(b, bo + i)).abs());
                acc1 = acc1.max(load(a, ao + i + L).sub(load(b, bo + i + L)).abs());
            }
            for (int end = SPECIES.loopBound(n); i < end; i += L) {
                acc0 = acc0.max(load(a, ao + i).sub(load(b, bo + i)).abs());
            }
            max = acc0.max(acc1).reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            max = Math.max(max, Math.abs(a[ao + i] - b[bo + i]));
        }
        return max;
    }

    private static float canberraKernel(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float sum = 0f;
        if (n >= L) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = acc0;
            for (int end = bound2(n); i < end; i += 2 * L) {
                acc0 = addCanberraTerms(acc0, load(a, ao + i), load(b, bo + i));
                acc1 = addCanberraTerms(acc1, load(a, ao + i + L), load(b, bo + i + L));
            }
            for (int end = SPECIES.loopBound(n); i < end; i += L) {
                acc0 = addCanberraTerms(acc0, load(a, ao + i), load(b, bo + i));
            }
            sum = sumLanes(acc0.add(acc1));
        }
        for (; i < n; i++) {
            float x = a[ao + i];
            float y = b[bo + i];
            float denominator = Math.abs(x) + Math.abs(y);
            if (denominator != 0f) {
                sum += Math.abs(x - y) / denominator;
            }
        }
        return sum;
    }

    /** {@code acc + |x - y| / (|x| + |y|)}, leaving {@code acc} unchanged in lanes where both are 0. */
    private static FloatVector addCanberraTerms(FloatVector acc, FloatVector x, FloatVector y) {
        FloatVector denominator = x.abs().add(y.abs());
        VectorMask<Float> nonZero = denominator.compare(VectorOperators.NE, 0f);
        return acc.add(x.sub(y).abs().div(denominator), nonZero);
    }

    private static float brayCurtisKernel(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float numerator = 0f;
        float denominator = 0f;
        if (n >= L) {
            FloatVector num0 = FloatVector.zero(SPECIES);
            FloatVector num1 = num0;
            FloatVector den0 = num0;
            FloatVector den1 = num0;
            for (int end = bound2(n); i < end; i += 2 * L) {
                FloatVector x0 = load(a, ao + i);
                FloatVector y0 = load(b, bo + i);
                FloatVector x1 = load(a, ao + i + L);
                FloatVector y1 = load(b, bo + i + L);
                num0 = num0.add(x0.sub(y0).abs());
                den0 = den0.add(x0.add(y0).abs());
                num1 = num1.add(x1.sub(y1).abs());
                den1 = den1.add(x1.add(y1).abs());
            }
            for (int end = SPECIES.loopBound(n); i < end; i += L) {
                FloatVector x = load(a, ao + i);
                FloatVector y = load(b, bo + i);
                num0 = num0.add(x.sub(y).abs());
                den0 = den0.add(x.add(y).abs());
            }
            numerator = sumLanes(num0.add(num1));
            denominator = sumLanes(den0.add(den1));
        }
        for (; i < n; i++) {
            float x = a[ao + i];
            float y = b[bo + i];
            numerator += Math.abs(x - y);
            denominator += Math.abs(x + y);
        }
        return DistanceMath.brayCurtisFromSums(numerator, denominator);
    }

    // ---- the index kernels, in PanamaIndexKernels ----

    @Override
    public float dot(float[] a, int aOffset, MemorySegment b, long bOffset, int length) {
        return PanamaIndexKernels.dot(a, aOffset, b, bOffset, length);
    }

    @Override
    public float squaredDistance(float[] a, int aOffset, MemorySegment b, long bOffset, int length) {
        return PanamaIndexKernels.squaredDistance(a, aOffset, b, bOffset, length);
    }

    @Override
    public float dotInt8(float[] q, int qOffset, byte[] c, int cOffset, int length) {
        return PanamaIndexKernels.dotInt8(q, qOffset, c, cOffset, length);
    }

    @Override
    public float dotInt8(float[] q, int qOffset, MemorySegment c, long cOffset, int length) {
        return PanamaIndexKernels.dotInt8(q, qOffset, c, cOffset, length);
    }

    @Override
    public void dots(float[] q, int qOffset, float[] data, int[] ords, int count, int dim, float[] out) {
        PanamaIndexKernels.dots(q, qOffset, data, ords, count, dim, out);
    }

    @Override
    public void squaredDistances(float[] q, int qOffset, float[] data, int[] ords, int count, int dim, float[] out) {
        PanamaIndexKernels.squaredDistances(q, qOffset, data, ords, count, dim, out);
    }

    @Override
    public void dotsInt8(float[] q, int qOffset, byte[] codes, int[] ords, int count, int dim, float[] out) {
        PanamaIndexKernels.dotsInt8(q, qOffset, codes, ords, count, dim, out);
    }

    @Override
    public void dots(float[] q, int qOffset, MemorySegment data, int[] ords, int count, int dim, float[] out) {
        PanamaIndexKernels.dots(q, qOffset, data, ords, count, dim, out);
    }

    @Override
    public void squaredDistances(float[] q, int qOffset, MemorySegment data, int[] ords, int count, int dim,
                                 float[] out) {
        PanamaIndexKernels.squaredDistances(q, qOffset, data, ords, count, dim, out);
    }

    @Override
    public void walshHadamard(float[] v, int offset, int length) {
        for (int h = 1; h < length; h <<= 1) {
            if (h < L) {
                ScalarVectorOps.butterflies(v, offset, length, h);
                continue;
            }
            for (int i = offset; i < offset + length; i += h << 1) {
                for (int j = i; j < i + h; j += L) {
                    FloatVector a = FloatVector.fromArray(SPECIES, v, j);
                    FloatVector b = FloatVector.fromArray(SPECIES, v, j + h);
                    a.add(b).intoArray(v, j);
                    a.sub(b).intoArray(v, j + h);
                }
            }
        }
    }

    @Override
    public void bitPlanes(int[] levels, int words, int planeCount, long[] planes) {
        PanamaBitKernels.bitPlanes(levels, words, planeCount, planes);
    }

    @Override
    public void bitPlaneDots(MemorySegment codes, long offset, long stride, int count, int words, long[] planes,
                             int planeCount, int[] dots, int[] ones) {
        PanamaBitKernels.bitPlaneDots(codes, offset, stride, count, words, planes, planeCount, dots, ones);
    }
}
