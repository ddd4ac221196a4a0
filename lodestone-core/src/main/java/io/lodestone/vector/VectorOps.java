package io.lodestone.vector;

import java.lang.foreign.MemorySegment;

/**
 * The distance kernels, one implementation per instruction set: {@link ScalarVectorOps} (plain loops,
 * the reference) and {@code PanamaVectorOps} (the incubating Vector API). {@link VectorizationProvider}
 * picks one per JVM; application code calls the static {@link VectorUtil} façade instead, which
 * checks dimensions and bounds first.
 *
 * <p>Kernels validate nothing: a vector is {@code length} floats starting at its offset, and an
 * out-of-range access throws {@link ArrayIndexOutOfBoundsException} at best. The metric definitions
 * are on {@link DistanceMetric}. Implementations are stateless and thread-safe.
 */
public interface VectorOps {

    /** {@code "scalar"} or {@code "panama"}: the value {@code -Dlodestone.vectorization} selects. */
    String name();

    /** {@code Σ a_i b_i}. */
    float dot(float[] a, int aOffset, float[] b, int bOffset, int length);

    /** {@code Σ a_i²}, the squared Euclidean norm. */
    float squareSum(float[] a, int offset, int length);

    /** {@link DistanceMetric#EUCLIDEAN_SQUARED}. */
    float squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int length);

    /** {@link DistanceMetric#COSINE_DISTANCE}, computing the dot product and both norms in one pass. */
    float cosineDistance(float[] a, int aOffset, float[] b, int bOffset, int length);

    /** {@link DistanceMetric#MANHATTAN}. */
    float manhattan(float[] a, int aOffset, float[] b, int bOffset, int length);

    /** {@link DistanceMetric#HAMMING}. */
    float hamming(float[] a, int aOffset, float[] b, int bOffset, int length);

    /** {@link DistanceMetric#JACCARD}. */
    float jaccard(float[] a, int aOffset, float[] b, int bOffset, int length);

    /** {@link DistanceMetric#CHEBYSHEV}. */
    float chebyshev(float[] a, int aOffset, float[] b, int bOffset, int length);

    /** {@link DistanceMetric#CANBERRA}. */
    float canberra(float[] a, int aOffset, float[] b, int bOffset, int length);

    /** {@link DistanceMetric#BRAY_CURTIS}. */
    float brayCurtis(float[] a, int aOffset, float[] b, int bOffset, int length);

    /**
     * {@code Σ a_i b_i} over {@code length} signed bytes read from {@code a} at {@code aOffset} and
     * {@code b} at {@code bOffset} (heap or native segments). Exact: the sum fits an {@code int} for
     * every length up to 131,071.
     */
    int int8Dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length);

    /**
     * {@code Σ (a_i - b_i)²} over {@code length} signed bytes, as {@link #int8Dot}. Exact: the sum fits
     * an {@code int} for every length up to 33,025.
     */
    int int8SquaredDistance(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length);

    /** The distance under {@code metric}; dispatches to the method of the same name. */
    default float distance(DistanceMetric metric, float[] a, int aOffset, float[] b, int bOffset, int length) {
        return switch (metric) {
            case COSINE_DISTANCE -> cosineDistance(a, aOffset, b, bOffset, length);
            case EUCLIDEAN_SQUARED -> squaredDistance(a, aOffset, b, bOffset, length);
            // 0f - dot rather than -dot: an orthogonal pair is at +0, not -0.
            case DOT_PRODUCT -> 0f - dot(a, aOffset, b, bOffset, length);
            case MANHATTAN -> manhattan(a, aOffset, b, bOffset, length);
            case HAMMING -> hamming(a, aOffset, b, bOffset, length);
            case JACCARD -> jaccard(a, aOffset, b, bOffset, length);
            case CHEBYSHEV -> chebyshev(a, aOffset, b, bOffset, length);
            case CANBERRA -> canberra(a, aOffset, b, bOffset, length);
            case BRAY_CURTIS -> brayCurtis(a, aOffset, b, bOffset, length);
        };
    }

    /**
     * For {@code r} in {@code [0, count)}: {@code out[r] = distance(metric, query, 0, data,
     * dataOffset + r * dim, dim)}, bit for bit the same as the single-pair call.
     */
    void distances(DistanceMetric metric, float[] query, float[] data, int dataOffset, int count, int dim,
                   float[] out);

    /**
     * Cosine distances from a query with known norm to rows with known norms:
     * {@code out[r] = 1 - dot(query, row_r) / (queryNorm * rowNorms[normOffset + r])}, clamped to
     * {@code [0, 2]}, and {@code 1} where either norm is 0. Only the dot products are computed.
     */
    void cosineDistances(float[] query, float queryNorm, float[] data, int dataOffset, int count, int dim,
                         float[] rowNorms, int normOffset, float[] out);

    // Kernels over vectors in a MemorySegment (a mapped segment file), for the ANN indexes. The
    // segment side is {@code length} little-endian float32 values starting at byte {@code bOffset}.

    /** {@code Σ a_i b_i} with {@code b} read from a segment. */
    float dot(float[] a, int aOffset, MemorySegment b, long bOffset, int length);

    /** {@link DistanceMetric#EUCLIDEAN_SQUARED} with {@code b} read from a segment. */
    float squaredDistance(float[] a, int aOffset, MemorySegment b, long bOffset, int length);

    // Asymmetric int8 kernels: a float query against signed int8 codes, for traversal on scalar
    // quantized vectors (the caller folds the per-dimension scales into the query).

    /** {@code Σ q_i · c_i} over {@code length} signed bytes {@code c} from {@code cOffset}. */
    float dotInt8(float[] q, int qOffset, byte[] c, int cOffset, int length);

    /** {@code Σ q_i · c_i} over {@code length} signed bytes at byte offset {@code cOffset} of {@code c}. */
    float dotInt8(float[] q, int qOffset, MemorySegment c, long cOffset, int length);

    // Bulk kernels for graph search: one query against rows picked by ordinal from a row-major
    // array ({@code row r} = {@code data[ords[r] * dim, (ords[r] + 1) * dim)}). Several rows are
    // in flight at once, so their cache misses overlap.

    /** For {@code r < count}: {@code out[r] = Σ q_i · row_r[i]}. */
    void dots(float[] q, int qOffset, float[] data, int[] ords, int count, int dim, float[] out);

    /** For {@code r < count}: {@code out[r] = Σ (q_i - row_r[i])²}. */
    void squaredDistances(float[] q, int qOffset, float[] data, int[] ords, int count, int dim, float[] out);

    /** For {@code r < count}: {@code out[r] = Σ q_i · c_r[i]} over signed int8 code rows. */
    void dotsInt8(float[] q, int qOffset, byte[] codes, int[] ords, int count, int dim, float[] out);

    /** As {@link #dots(float[], int, float[], int[], int, int, float[])}, rows read from a segment. */
    void dots(float[] q, int qOffset, MemorySegment data, int[] ords, int count, int dim, float[] out);

    /** As {@link #squaredDistances(float[], int, float[], int[], int, int, float[])}, from a segment. */
    void squaredDistances(float[] q, int qOffset, MemorySegment data, int[] ords, int count, int dim, float[] out);

    /**
     * The unnormalized Walsh-Hadamard transform of {@code v[offset, offset + length)} in place,
     * {@code length} a power of two: for {@code h = 1, 2, 4, … < length}, each pair {@code (a, b) = (v[j],
     * v[j + h])} with bit {@code h} of {@code j - offset} clear becomes {@code (a + b, a - b)}. Every
     * implementation performs the same additions in the same order per element, so results are bit for
     * bit the same.
     */
    void walshHadamard(float[] v, int offset, int length);

    // Bit-plane kernels for RaBitQ's 1-bit codes scored against a query quantized to a few bits per
    // coordinate: plane j holds bit j of every coordinate's level, {@code words} longs per plane,
    // coordinate i at bit i % 64 of word i / 64.

    /**
     * Transposes levels into bit planes: bit {@code b} of {@code planes[j·words + w]} is bit {@code j} of
     * {@code levels[64w + b]}, for {@code w < words} and {@code j < planeCount}.
     */
    void bitPlanes(int[] levels, int words, int planeCount, long[] planes);

    /**
     * For each code {@code r < count}, its {@code words} little-endian longs {@code x_w} starting at byte
     * {@code offset + r·stride} of {@code codes}: {@code dots[r] = Σ_j 2^j Σ_w bitCount(x_w ∧ planes[j·words + w])}
     * over {@code planeCount} planes, and {@code ones[r] = Σ_w bitCount(x_w)}. Integer arithmetic: every
     * implementation gives the same results.
     */
    void bitPlaneDots(MemorySegment codes, long offset, long stride, int count, int words, long[] planes,
                      int planeCount, int[] dots, int[] ones);
}
