package io.lodestone.vector;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The one entry point for vector maths: checks dimensions and bounds, then delegates to the
 * {@link VectorOps} that {@link VectorizationProvider} chose for this JVM (SIMD or scalar, see
 * {@link #implementationName()}). Metric definitions are on {@link DistanceMetric}.
 *
 * <p>Dimension mismatches throw {@link IllegalArgumentException} naming both lengths; offsets and
 * counts outside an array throw {@link IndexOutOfBoundsException}. Stateless and thread-safe.
 */
public final class VectorUtil {

    private static final VectorOps OPS = VectorizationProvider.get();

    private VectorUtil() {
    }

    /** {@code "panama"} or {@code "scalar"}: which kernels this JVM runs. */
    public static String implementationName() {
        return OPS.name();
    }

    /** The dot product {@code Σ a_i b_i}. */
    public static float dot(float[] a, float[] b) {
        checkSameLength(a, b);
        return OPS.dot(a, 0, b, 0, a.length);
    }

    /** The dot product of {@code a[aOffset, aOffset + length)} and {@code b[bOffset, bOffset + length)}. */
    public static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        Objects.checkFromIndexSize(aOffset, length, a.length);
        Objects.checkFromIndexSize(bOffset, length, b.length);
        return OPS.dot(a, aOffset, b, bOffset, length);
    }

    /** {@code Σ a_i b_i} over two equally long arrays of signed bytes; exact (see {@link #int8Dot(MemorySegment, long, MemorySegment, long, int)}). */
    public static int int8Dot(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector dimensions differ: " + a.length + " and " + b.length);
        }
        return int8Dot(MemorySegment.ofArray(a), 0, MemorySegment.ofArray(b), 0, a.length);
    }

    /** {@code Σ (a_i - b_i)²} over two equally long arrays of signed bytes; exact. */
    public static int int8SquaredDistance(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector dimensions differ: " + a.length + " and " + b.length);
        }
        return int8SquaredDistance(MemorySegment.ofArray(a), 0, MemorySegment.ofArray(b), 0, a.length);
    }

    /**
     * {@code Σ a_i b_i} over {@code length} signed bytes at {@code aOffset} in {@code a} and
     * {@code bOffset} in {@code b}, heap or native (for example mmapped) segments. Integer arithmetic,
     * so SIMD and scalar kernels agree exactly; the sum cannot overflow for {@code length ≤ 131071}.
     *
     * @throws IllegalArgumentException if {@code length} is negative or above 131,071
     * @throws IndexOutOfBoundsException if either range does not fit its segment
     */
    public static int int8Dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
        checkInt8(a, aOffset, b, bOffset, length, 131_071);
        return OPS.int8Dot(a, aOffset, b, bOffset, length);
    }

    /**
     * {@code Σ (a_i - b_i)²} over {@code length} signed bytes, as {@link #int8Dot(MemorySegment, long,
     * MemorySegment, long, int)}; cannot overflow for {@code length ≤ 33025}.
     *
     * @throws IllegalArgumentException if {@code length} is negative or above 33,025
     * @throws IndexOutOfBoundsException if either range does not fit its segment
     */
    public static int int8SquaredDistance(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
        checkInt8(a, aOffset, b, bOffset, length, 33_025);
        return OPS.int8SquaredDistance(a, aOffset, b, bOffset, length);
    }

    /** {@link DistanceMetric#EUCLIDEAN_SQUARED}: {@code Σ (a_i - b_i)²}. */
    public static float squaredDistance(float[] a, float[] b) {
        checkSameLength(a, b);
        return OPS.squaredDistance(a, 0, b, 0, a.length);
    }

    /** {@link DistanceMetric#COSINE_DISTANCE}: {@code 1 - a·b / (|a| |b|)}, 1 if either is all zeros. */
    public static float cosineDistance(float[] a, float[] b) {
        checkSameLength(a, b);
        return OPS.cosineDistance(a, 0, b, 0, a.length);
    }

    /** The Euclidean norm {@code sqrt(Σ a_i²)}. */
    public static float norm(float[] a) {
        return (float) Math.sqrt(OPS.squareSum(a, 0, a.length));
    }

    /** The Euclidean norm of {@code data[offset, offset + length)}. */
    public static float norm(float[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        return (float) Math.sqrt(OPS.squareSum(data, offset, length));
    }

    /**
     * The norms of {@code count} rows of {@code dim} floats laid out row-major in {@code data} from
     * {@code dataOffset}, into {@code out[outOffset, outOffset + count)}: the {@code rowNorms} that
     * {@link #cosineDistances} takes.
     */
    public static void norms(float[] data, int dataOffset, int count, int dim, float[] out, int outOffset) {
        checkRows(data, dataOffset, count, dim);
        Objects.checkFromIndexSize(outOffset, count, out.length);
        for (int r = 0, off = dataOffset; r < count; r++, off += dim) {
            out[outOffset + r] = (float) Math.sqrt(OPS.squareSum(data, off, dim));
        }
    }

    /** The distance from {@code a} to {@code b} under {@code metric}. */
    public static float distance(DistanceMetric metric, float[] a, float[] b) {
        checkSameLength(a, b);
        return OPS.distance(metric, a, 0, b, 0, a.length);
    }

    /**
     * The distance under {@code metric} between {@code a[aOffset, aOffset + length)} and
     * {@code b[bOffset, bOffset + length)}.
     */
    public static float distance(DistanceMetric metric, float[] a, int aOffset, float[] b, int bOffset, int length) {
        Objects.checkFromIndexSize(aOffset, length, a.length);
        Objects.checkFromIndexSize(bOffset, length, b.length);
        return OPS.distance(metric, a, aOffset, b, bOffset, length);
    }

    /**
     * Distances from {@code query} to {@code count} vectors of {@code dim} floats laid out row-major in
     * {@code data} from {@code dataOffset}: {@code out[r]} is the distance to row {@code r}, equal (bit
     * for bit) to {@link #distance(DistanceMetric, float[], int, float[], int, int)} on that row. The
     * exact-search hot path; for cosine over rows whose norms are stored, {@link #cosineDistances} is
     * cheaper.
     *
     * @throws IllegalArgumentException if {@code query.length != dim}, or {@code count} or {@code dim}
     *         is negative
     * @throws IndexOutOfBoundsException if the rows do not fit in {@code data}, or {@code out} is
     *         shorter than {@code count}
     */
    public static void distances(DistanceMetric metric, float[] query, float[] data, int dataOffset, int count,
                                 int dim, float[] out) {
        Objects.requireNonNull(metric, "metric");
        checkQuery(query, dim);
        checkRows(data, dataOffset, count, dim);
        checkOut(out, count);
        OPS.distances(metric, query, data, dataOffset, count, dim, out);
    }

    /**
     * Cosine distances to rows whose norms are known: {@code out[r] = 1 - dot(query, row_r) /
     * (queryNorm * rowNorms[normOffset + r])}, clamped to {@code [0, 2]}, and 1 where either norm is
     * 0. Only the dot products are computed, one stream of FMAs per row. With norms from
     * {@link #norm(float[])} and {@link #norms} the result equals {@link #cosineDistance} up to
     * rounding.
     *
     * @throws IllegalArgumentException if {@code query.length != dim}, or {@code count} or {@code dim}
     *         is negative
     * @throws IndexOutOfBoundsException if the rows, norms or outputs do not fit their arrays
     */
    public static void cosineDistances(float[] query, float queryNorm, float[] data, int dataOffset, int count,
                                       int dim, float[] rowNorms, int normOffset, float[] out) {
        checkQuery(query, dim);
        checkRows(data, dataOffset, count, dim);
        Objects.checkFromIndexSize(normOffset, count, rowNorms.length);
        checkOut(out, count);
        OPS.cosineDistances(query, queryNorm, data, dataOffset, count, dim, rowNorms, normOffset, out);
    }

    private static void checkInt8(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length,
                                  int maxLength) {
        if (length < 0 || length > maxLength) {
            throw new IllegalArgumentException("length must be in [0, " + maxLength + "]; got " + length);
        }
        Objects.checkFromIndexSize(aOffset, length, a.byteSize());
        Objects.checkFromIndexSize(bOffset, length, b.byteSize());
    }

    /** {@link DistanceMetric#EUCLIDEAN_SQUARED} between two ranges of arrays. */
    public static float squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int length) {
        Objects.checkFromIndexSize(aOffset, length, a.length);
        Objects.checkFromIndexSize(bOffset, length, b.length);
        return OPS.squaredDistance(a, aOffset, b, bOffset, length);
    }

    /**
     * The dot product of {@code a[aOffset, aOffset + length)} and the {@code length} little-endian
     * float32 values at byte offset {@code bOffset} of {@code b} (a mapped vector file, say).
     *
     * @throws IndexOutOfBoundsException if either range does not fit
     */
    public static float dot(float[] a, int aOffset, MemorySegment b, long bOffset, int length) {
        Objects.checkFromIndexSize(aOffset, length, a.length);
        Objects.checkFromIndexSize(bOffset, 4L * length, b.byteSize());
        return OPS.dot(a, aOffset, b, bOffset, length);
    }

    /**
     * {@link DistanceMetric#EUCLIDEAN_SQUARED} between {@code a[aOffset, aOffset + length)} and the
     * {@code length} little-endian float32 values at byte offset {@code bOffset} of {@code b}.
     *
     * @throws IndexOutOfBoundsException if either range does not fit
     */
    public static float squaredDistance(float[] a, int aOffset, MemorySegment b, long bOffset, int length) {
        Objects.checkFromIndexSize(aOffset, length, a.length);
        Objects.checkFromIndexSize(bOffset, 4L * length, b.byteSize());
        return OPS.squaredDistance(a, aOffset, b, bOffset, length);
    }

    /**
     * {@code Σ q_i · c_i} for a float query and signed int8 codes: {@code q[qOffset, qOffset +
     * length)} against {@code c[cOffset, cOffset + length)}. The traversal kernel of scalar
     * quantization, where {@code q} already carries the per-dimension scales.
     */
    public static float dotInt8(float[] q, int qOffset, byte[] c, int cOffset, int length) {
        Objects.checkFromIndexSize(qOffset, length, q.length);
        Objects.checkFromIndexSize(cOffset, length, c.length);
        return OPS.dotInt8(q, qOffset, c, cOffset, length);
    }

    /** As {@link #dotInt8(float[], int, byte[], int, int)}, the codes read from a segment. */
    public static float dotInt8(float[] q, int qOffset, MemorySegment c, long cOffset, int length) {
        Objects.checkFromIndexSize(qOffset, length, q.length);
        Objects.checkFromIndexSize(cOffset, length, c.byteSize());
        return OPS.dotInt8(q, qOffset, c, cOffset, length);
    }

    /**
     * For {@code r < count}: {@code out[r]} = the dot product of {@code q[qOffset, qOffset + dim)}
     * and row {@code ords[r]} of the row-major {@code data} ({@code dim} floats per row). The graph
     * search kernel: it keeps several rows' memory reads in flight.
     *
     * @throws IndexOutOfBoundsException if a row, the query or the outputs do not fit
     */
    public static void dots(float[] q, int qOffset, float[] data, int[] ords, int count, int dim, float[] out) {
        checkBulk(q, qOffset, data.length, ords, count, dim, out);
        OPS.dots(q, qOffset, data, ords, count, dim, out);
    }

    /** As {@link #dots}, with {@link DistanceMetric#EUCLIDEAN_SQUARED} distances. */
    public static void squaredDistances(float[] q, int qOffset, float[] data, int[] ords, int count, int dim,
                                        float[] out) {
        checkBulk(q, qOffset, data.length, ords, count, dim, out);
        OPS.squaredDistances(q, qOffset, data, ords, count, dim, out);
    }

    /** As {@link #dots}, over signed int8 code rows ({@link #dotInt8(float[], int, byte[], int, int)}). */
    public static void dotsInt8(float[] q, int qOffset, byte[] codes, int[] ords, int count, int dim, float[] out) {
        checkBulk(q, qOffset, codes.length, ords, count, dim, out);
        OPS.dotsInt8(q, qOffset, codes, ords, count, dim, out);
    }

    /** As {@link #dots(float[], int, float[], int[], int, int, float[])}, rows in a segment (little-endian). */
    public static void dots(float[] q, int qOffset, MemorySegment data, int[] ords, int count, int dim, float[] out) {
        checkBulk(q, qOffset, data.byteSize() / 4, ords, count, dim, out);
        OPS.dots(q, qOffset, data, ords, count, dim, out);
    }

    /** As {@link #squaredDistances(float[], int, float[], int[], int, int, float[])}, rows in a segment. */
    public static void squaredDistances(float[] q, int qOffset, MemorySegment data, int[] ords, int count, int dim,
                                        float[] out) {
        checkBulk(q, qOffset, data.byteSize() / 4, ords, count, dim, out);
        OPS.squaredDistances(q, qOffset, data, ords, count, dim, out);
    }

    /**
     * Reads one byte of every 64-byte cache line of rows {@code ords[0, count)} of a row-major table
     * with {@code rowBytes} bytes per row: a software prefetch, which Java lacks. The loads are
     * independent, so the misses of all rows are outstanding together; a scorer that calls this
     * before scoring the rows finds them in cache. In graph search over int8 codes (a few lines per
     * row) it is worth about 30%; for float rows prefer {@link #dots}, which interleaves rows.
     *
     * @throws IndexOutOfBoundsException if a row does not fit in {@code data}
     */
    public static void prefetch(MemorySegment data, int[] ords, int count, long rowBytes) {
        int touched = 0;
        for (int r = 0; r < count; r++) {
            long o = ords[r] * rowBytes;
            for (long j = 0; j < rowBytes; j += CACHE_LINE) {
                touched += data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, o + j);
            }
            touched += data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, o + rowBytes - 1);
        }
        if (touched == Integer.MIN_VALUE) {
            prefetchSink = touched;   // never in practice; keeps the loads from being optimized away
        }
    }

    /** As {@link #prefetch(MemorySegment, int[], int, long)}, for rows of a byte array. */
    public static void prefetch(byte[] data, int[] ords, int count, int rowBytes) {
        int touched = 0;
        for (int r = 0; r < count; r++) {
            int o = ords[r] * rowBytes;
            for (int j = 0; j < rowBytes; j += CACHE_LINE) {
                touched += data[o + j];
            }
            touched += data[o + rowBytes - 1];
        }
        if (touched == Integer.MIN_VALUE) {
            prefetchSink = touched;
        }
    }

    /**
     * The unnormalized Walsh-Hadamard transform of {@code v[offset, offset + length)} in place (the
     * butterflies of {@link VectorOps#walshHadamard}); bit for bit the same with every kernel.
     *
     * @throws IllegalArgumentException if {@code length} is not a power of two
     * @throws IndexOutOfBoundsException if the range does not fit {@code v}
     */
    public static void walshHadamard(float[] v, int offset, int length) {
        if (Integer.bitCount(length) != 1) {
            throw new IllegalArgumentException("length must be a power of two; got " + length);
        }
        Objects.checkFromIndexSize(offset, length, v.length);
        OPS.walshHadamard(v, offset, length);
    }

    /**
     * Transposes {@code 64·words} levels into {@code planeCount} bit planes: bit {@code b} of
     * {@code planes[j·words + w]} is bit {@code j} of {@code levels[64w + b]} (RaBitQ's quantized query).
     *
     * @throws IllegalArgumentException if {@code words} is negative or {@code planeCount} not in [1, 31]
     * @throws IndexOutOfBoundsException if {@code levels} or {@code planes} is too short
     */
    public static void bitPlanes(int[] levels, int words, int planeCount, long[] planes) {
        checkPlanes(words, planeCount, planes);
        Objects.checkFromIndexSize(0, 64L * words, levels.length);
        OPS.bitPlanes(levels, words, planeCount, planes);
    }

    /**
     * Scores {@code count} 1-bit codes against bit planes made by {@link #bitPlanes}: code {@code r} is
     * {@code words} little-endian longs {@code x_w} at byte {@code offset + r·stride} of {@code codes};
     * {@code dots[r] = Σ_j 2^j Σ_w bitCount(x_w ∧ planes[j·words + w])} and
     * {@code ones[r] = Σ_w bitCount(x_w)}. Exact integers, the same with every kernel.
     *
     * @throws IllegalArgumentException if {@code words} is negative or above 2^19 (the sums must fit an
     *         {@code int}), {@code planeCount} not in [1, 8], {@code count} negative, or {@code stride}
     *         shorter than a code
     * @throws IndexOutOfBoundsException if a code, the planes or the outputs do not fit
     */
    public static void bitPlaneDots(MemorySegment codes, long offset, long stride, int count, int words,
                                    long[] planes, int planeCount, int[] dots, int[] ones) {
        if (planeCount > 8 || words > 1 << 19) {
            throw new IllegalArgumentException("at most 8 planes of 2^19 words; got " + planeCount + " of " + words);
        }
        checkPlanes(words, planeCount, planes);
        if (count < 0 || stride < 8L * words) {
            throw new IllegalArgumentException("count must be >= 0 and stride >= " + 8L * words + "; got "
                    + count + " and " + stride);
        }
        if (count > 0) {
            Objects.checkFromIndexSize(offset, (count - 1) * stride + 8L * words, codes.byteSize());
        }
        Objects.checkFromIndexSize(0, count, Math.min(dots.length, ones.length));
        OPS.bitPlaneDots(codes, offset, stride, count, words, planes, planeCount, dots, ones);
    }

    private static void checkPlanes(int words, int planeCount, long[] planes) {
        if (words < 0 || planeCount < 1 || planeCount > 31) {
            throw new IllegalArgumentException("words must be >= 0 and planeCount in [1, 31]; got " + words + " and "
                    + planeCount);
        }
        Objects.checkFromIndexSize(0, (long) words * planeCount, planes.length);
    }

    private static final int CACHE_LINE = 64;
    @SuppressWarnings("unused")
    private static volatile int prefetchSink;

    private static void checkBulk(float[] q, int qOffset, long dataLength, int[] ords, int count, int dim,
                                  float[] out) {
        Objects.checkFromIndexSize(qOffset, dim, q.length);
        Objects.checkFromIndexSize(0, count, Math.min(ords.length, out.length));
        long rows = dim == 0 ? Long.MAX_VALUE : dataLength / dim;
        for (int r = 0; r < count; r++) {
            if (ords[r] < 0 || ords[r] >= rows) {
                throw new IndexOutOfBoundsException("row " + ords[r] + " out of [0, " + rows + ")");
            }
        }
    }

    private static void checkSameLength(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "vector dimensions differ: " + a.length + " and " + b.length);
        }
    }

    private static void checkQuery(float[] query, int dim) {
        if (query.length != dim) {
            throw new IllegalArgumentException(
                    "vector dimensions differ: query has " + query.length + ", rows have " + dim);
        }
    }

    private static void checkRows(float[] data, int dataOffset, int count, int dim) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0; got " + count);
        }
        if (dim < 0) {
            throw new IllegalArgumentException("dim must be >= 0; got " + dim);
        }
        long size = (long) count * dim;
        if (dataOffset < 0 || dataOffset + size > data.length) {
            throw new IndexOutOfBoundsException("rows do not fit: offset " + dataOffset + " + " + count
                    + " rows × " + dim + " dims > data length " + data.length);
        }
    }

    private static void checkOut(float[] out, int count) {
        if (out.length < count) {
            throw new IndexOutOfBoundsException("out has length " + out.length + ", less than count " + count);
        }
    }
}
