package io.lodestone.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The reference kernels: one plain loop per metric, a single float accumulator, no tricks. Used when
 * the Vector API is unavailable or {@code -Dlodestone.vectorization=scalar}, and as the yardstick the
 * SIMD kernels are tested and benchmarked against.
 */
public final class ScalarVectorOps implements VectorOps {

    /** The only instance. */
    public static final ScalarVectorOps INSTANCE = new ScalarVectorOps();

    private ScalarVectorOps() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        return dotKernel(a, aOffset, b, bOffset, length);
    }

    @Override
    public float squareSum(float[] a, int offset, int length) {
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            float x = a[offset + i];
            sum += x * x;
        }
        return sum;
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
        int sum = 0;
        for (int i = 0; i < length; i++) {
            sum += a.get(ValueLayout.JAVA_BYTE, aOffset + i) * b.get(ValueLayout.JAVA_BYTE, bOffset + i);
        }
        return sum;
    }

    @Override
    public int int8SquaredDistance(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
        int sum = 0;
        for (int i = 0; i < length; i++) {
            int d = a.get(ValueLayout.JAVA_BYTE, aOffset + i) - b.get(ValueLayout.JAVA_BYTE, bOffset + i);
            sum += d * d;
        }
        return sum;
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

    private static float dotKernel(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            sum += a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    private static float squaredKernel(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            float d = a[aOffset + i] - b[bOffset + i];
            sum += d * d;
        }
        return sum;
    }

    private static float cosineKernel(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float dot = 0f;
        float normA = 0f;
        float normB = 0f;
        for (int i = 0; i < length; i++) {
            float x = a[aOffset + i];
            float y = b[bOffset + i];
            dot += x * y;
            normA += x * x;
            normB += y * y;
        }
        return DistanceMath.cosineFromSums(dot, normA, normB);
    }

    private static float manhattanKernel(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            sum += Math.abs(a[aOffset + i] - b[bOffset + i]);
        }
        return sum;
    }

    private static float hammingKernel(float[] a, int aOffset, float[] b, int bOffset, int length) {
        int count = 0;
        for (int i = 0; i < length; i++) {
            if (a[aOffset + i] != b[bOffset + i]) {
                count++;
            }
        }
        return count;
    }

    private static float jaccardKernel(float[] a, int aOffset, float[] b, int bOffset, int length) {
        // With lo = min(a, b) and hi = max(a, b):
        //   min(a⁺, b⁺) + min(a⁻, b⁻) = max(lo, 0) - min(hi, 0)
        //   max(a⁺, b⁺) + max(a⁻, b⁻) = max(hi, 0) - min(lo, 0)
        float minSum = 0f;
        float maxSum = 0f;
        for (int i = 0; i < length; i++) {
            float x = a[aOffset + i];
            float y = b[bOffset + i];
            float lo = Math.min(x, y);
            float hi = Math.max(x, y);
            minSum += Math.max(lo, 0f) - Math.min(hi, 0f);
            maxSum += Math.max(hi, 0f) - Math.min(lo, 0f);
        }
        return DistanceMath.jaccardFromSums(minSum, maxSum);
    }

    private static float chebyshevKernel(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float max = 0f;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, Math.abs(a[aOffset + i] - b[bOffset + i]));
        }
        return max;
    }

    private static float canberraKernel(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            float x = a[aOffset + i];
            float y = b[bOffset + i];
            float denominator = Math.abs(x) + Math.abs(y);
            if (denominator != 0f) {
                sum += Math.abs(x - y) / denominator;
            }
        }
        return sum;
    }

    private static float brayCurtisKernel(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float numerator = 0f;
        float denominator = 0f;
        for (int i = 0; i < length; i++) {
            float x = a[aOffset + i];
            float y = b[bOffset + i];
            numerator += Math.abs(x - y);
            denominator += Math.abs(x + y);
        }
        return DistanceMath.brayCurtisFromSums(numerator, denominator);
    }

    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public float dot(float[] a, int aOffset, MemorySegment b, long bOffset, int length) {
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            sum += a[aOffset + i] * b.get(LE_FLOAT, bOffset + 4L * i);
        }
        return sum;
    }

    @Override
    public float squaredDistance(float[] a, int aOffset, MemorySegment b, long bOffset, int length) {
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            float d = a[aOffset + i] - b.get(LE_FLOAT, bOffset + 4L * i);
            sum += d * d;
        }
        return sum;
    }

    @Override
    public float dotInt8(float[] q, int qOffset, byte[] c, int cOffset, int length) {
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            sum += q[qOffset + i] * c[cOffset + i];
        }
        return sum;
    }

    @Override
    public float dotInt8(float[] q, int qOffset, MemorySegment c, long cOffset, int length) {
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            sum += q[qOffset + i] * c.get(ValueLayout.JAVA_BYTE, cOffset + i);
        }
        return sum;
    }

    @Override
    public void dots(float[] q, int qOffset, float[] data, int[] ords, int count, int dim, float[] out) {
        for (int r = 0; r < count; r++) {
            out[r] = dotKernel(q, qOffset, data, ords[r] * dim, dim);
        }
    }

    @Override
    public void squaredDistances(float[] q, int qOffset, float[] data, int[] ords, int count, int dim, float[] out) {
        for (int r = 0; r < count; r++) {
            out[r] = squaredKernel(q, qOffset, data, ords[r] * dim, dim);
        }
    }

    @Override
    public void dotsInt8(float[] q, int qOffset, byte[] codes, int[] ords, int count, int dim, float[] out) {
        for (int r = 0; r < count; r++) {
            out[r] = dotInt8(q, qOffset, codes, ords[r] * dim, dim);
        }
    }

    @Override
    public void dots(float[] q, int qOffset, MemorySegment data, int[] ords, int count, int dim, float[] out) {
        for (int r = 0; r < count; r++) {
            out[r] = dot(q, qOffset, data, 4L * ords[r] * dim, dim);
        }
    }

    @Override
    public void squaredDistances(float[] q, int qOffset, MemorySegment data, int[] ords, int count, int dim,
                                 float[] out) {
        for (int r = 0; r < count; r++) {
            out[r] = squaredDistance(q, qOffset, data, 4L * ords[r] * dim, dim);
        }
    }

    @Override
    public void walshHadamard(float[] v, int offset, int length) {
        for (int h = 1; h < length; h <<= 1) {
            butterflies(v, offset, length, h);
        }
    }

    /** One stage of {@link #walshHadamard}: the pairs {@code h} apart. */
    static void butterflies(float[] v, int offset, int length, int h) {
        for (int i = offset; i < offset + length; i += h << 1) {
            for (int j = i; j < i + h; j++) {
                float a = v[j];
                float b = v[j + h];
                v[j] = a + b;
                v[j + h] = a - b;
            }
        }
    }

    @Override
    public void bitPlanes(int[] levels, int words, int planeCount, long[] planes) {
        for (int j = 0; j < planeCount; j++) {
            for (int w = 0; w < words; w++) {
                long plane = 0;
                for (int b = 0; b < 64; b++) {
                    plane |= (long) ((levels[64 * w + b] >>> j) & 1) << b;
                }
                planes[j * words + w] = plane;
            }
        }
    }

    @Override
    public void bitPlaneDots(MemorySegment codes, long offset, long stride, int count, int words, long[] planes,
                             int planeCount, int[] dots, int[] ones) {
        for (int r = 0; r < count; r++) {
            long at = offset + r * stride;
            int dot = 0;
            int set = 0;
            for (int w = 0; w < words; w++) {
                long x = codes.get(LONG_LE, at + 8L * w);
                set += Long.bitCount(x);
                for (int j = 0; j < planeCount; j++) {
                    dot += Long.bitCount(x & planes[j * words + w]) << j;
                }
            }
            dots[r] = dot;
            ones[r] = set;
        }
    }
}
