package io.lodestone.quant;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.BytesWriter;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * RaBitQ (Gao and Long, SIGMOD 2024), 1-bit or extended to {@code B} bits per dimension (Gao et al.,
 * SIGMOD 2025), plus two to four floats per vector: an unbiased distance estimator and a
 * probabilistic bound on its error.
 *
 * <p><b>Encoding.</b> Vectors are padded with zeros to {@code D}, the next multiple of 64. For a
 * vector {@code v} (normalized first for cosine) and the centroid {@code c} of the training sample,
 * let {@code r = v - c}, {@code ‖r‖} its norm and {@code o = R·r/‖r‖} the unit residual after a random
 * orthogonal rotation {@code R} (dense Haar-random up to 1,024 padded dimensions, a structured
 * Hadamard rotation above, see {@link RotationKind}). The code is the grid point {@code y} of
 * {@link RaBitQCodebook} closest to {@code o} in angle: for 1 bit the signs of {@code o}, for more
 * bits a finer grid. Let {@code ȳ = y/‖y‖}. Stored: {@code y}, {@code ‖r‖}, {@code ⟨ȳ, o⟩}, for
 * {@code B > 1} also {@code ‖y‖}, and for dot_product {@code ⟨r, c⟩}.
 *
 * <p><b>Estimator.</b> With the query's unit residual {@code q' = R·(q - c)/‖q - c‖},
 * {@code ⟨o, q'⟩ ≈ ⟨ȳ, q'⟩ / ⟨ȳ, o⟩}, unbiased over the random rotation. Then
 * {@code ‖v - q‖² = ‖r‖² + ‖q - c‖² - 2‖r‖‖q - c‖⟨o, q'⟩} (cosine is half of it, for unit vectors)
 * and {@code v·q = c·q + ⟨r, c⟩ + ‖r‖‖q - c‖⟨o, q'⟩}. {@code q'} is quantized to
 * {@link Config#queryBits} bits per coordinate ({@code q̄ = lo + Δ·u}), so {@code ⟨y, q̄⟩} is a sum of
 * {@code 2^(a+j) · popcount(plane_a(y) ∧ plane_j(q̄))} plus constants: {@code B × queryBits}
 * {@link Long#bitCount}s per 64 dimensions.
 *
 * <p><b>Error bound.</b> The paper's Theorem 3.2: {@code |⟨ȳ,q'⟩/⟨ȳ,o⟩ - ⟨o,q'⟩| ≤ ε0 ·
 * √(1 - ⟨ȳ,o⟩²) / (⟨ȳ,o⟩ √(D-1))} with high probability over the rotation; to it we add
 * {@code ε0 · ‖q̄ - q'‖ / (⟨ȳ,o⟩ √D)} for the query's quantization (the same normal model for
 * {@code ⟨ȳ, q̄ - q'⟩}). {@link BoundedScorer#errorBound} is that, times {@code 2‖r‖‖q - c‖} (L2),
 * {@code ‖r‖‖q - c‖} (cosine, dot). The per-pair error is close to normal with at most that standard
 * deviation over {@code ε0}, so the bound holds with probability about {@code 2Φ(ε0) - 1} or more:
 * 94% at the default 1.9, 99% at 2.6, 99.9% at 3.3. More bits raise {@code ⟨ȳ, o⟩} (about 0.80 at 1
 * bit, 0.98 at 4), which shrinks both estimate and bound.
 *
 * <p><b>Code</b>: {@code B} bit planes of {@code D/8} bytes, the top bit of each coordinate's level
 * first (so the first plane is the 1-bit code), each as little-endian longs with coordinate {@code i}
 * at bit {@code i % 64} of word {@code i / 64}; then float32 {@code ‖r‖}, float32 {@code ⟨ȳ, o⟩}, for
 * {@code B > 1} float32 {@code ‖y‖}, for dot_product float32 {@code ⟨r, c⟩}:
 * {@code B·D/8 + 8}, {@code + 4} if {@code B > 1}, {@code + 4} for dot_product.
 */
public final class RaBitQuantizer implements VectorQuantizer {

    static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Padded dimensions up to which {@link RotationKind#AUTO} picks the dense rotation. */
    static final int AUTO_DENSE_LIMIT = 1024;
    private static final int MAX_TRAINING_VECTORS = 100_000;

    /** Which random rotation to use. */
    public enum RotationKind {
        /** {@link #DENSE} up to 1,024 padded dimensions, {@link #HADAMARD} above. */
        AUTO,
        /** A dense Haar-random orthogonal matrix: exact theory, {@code D²} floats and FMAs per vector. */
        DENSE,
        /** Sign flips, permutations and blockwise Walsh-Hadamard transforms: {@code O(D log D)}. */
        HADAMARD
    }

    /**
     * RaBitQ settings.
     *
     * @param bits      bits per dimension of the code, in {@code [1, 8]}: 1 is the paper's 1-bit code,
     *                  more is the extended code ({@link RaBitQCodebook})
     * @param epsilon0  the confidence parameter of the error bound, {@code > 0} (1.9 in the paper)
     * @param queryBits bits per coordinate of the quantized query, in {@code [1, 8]} (4 in the paper)
     * @param rotation  which random rotation to use
     */
    public record Config(int bits, double epsilon0, int queryBits, RotationKind rotation) implements QuantizerConfig {

        /** 1 bit per dimension, ε0 = 1.9, 4-bit queries, automatic rotation. */
        public static final Config DEFAULT = new Config(1, 1.9, 4, RotationKind.AUTO);

        /** Checks the values. */
        public Config {
            if (bits < 1 || bits > 8) {
                throw new IllegalArgumentException("bits must be in [1, 8]; got " + bits);
            }
            if (!(epsilon0 > 0 && epsilon0 < 100)) {
                throw new IllegalArgumentException("epsilon0 must be in (0, 100); got " + epsilon0);
            }
            if (queryBits < 1 || queryBits > 8) {
                throw new IllegalArgumentException("queryBits must be in [1, 8]; got " + queryBits);
            }
            java.util.Objects.requireNonNull(rotation, "rotation");
        }

        /**
         * {@code bits} per dimension with the defaults otherwise; queries get {@value #EXTRA_QUERY_BITS}
         * more bits than the code (at most 8), so that their rounding stays below the code's.
         */
        public static Config withBits(int bits) {
            return new Config(bits, 1.9, Math.min(8, bits + EXTRA_QUERY_BITS), RotationKind.AUTO);
        }

        /** Query bits beyond the code's bits that {@link #withBits} chooses. */
        static final int EXTRA_QUERY_BITS = 3;

        @Override
        public RaBitQuantizer train(DistanceMetric metric, float[][] sample, long seed) {
            return RaBitQuantizer.train(metric, sample, this, seed);
        }
    }

    private final DistanceMetric metric;
    private final int dimension;
    private final int padded;
    private final float[] centroid;
    private final Rotation rotation;
    private final int bits;
    private final float epsilon0;
    private final int queryBits;

    RaBitQuantizer(DistanceMetric metric, int dimension, float[] centroid, Rotation rotation, int bits,
                   float epsilon0, int queryBits) {
        QuantMath.checkMetric(metric);
        this.metric = metric;
        this.dimension = dimension;
        this.padded = rotation.dimension();
        this.centroid = centroid;
        this.rotation = rotation;
        this.bits = bits;
        this.epsilon0 = epsilon0;
        this.queryBits = queryBits;
    }

    private static RaBitQuantizer train(DistanceMetric metric, float[][] sample, Config config, long seed) {
        QuantMath.checkMetric(metric);
        int dim = QuantMath.checkSample(sample);
        Random random = new Random(seed);
        float[][] vectors = QuantMath.trainingSet(metric, sample, MAX_TRAINING_VECTORS, random);
        double[] sum = new double[dim];
        for (float[] v : vectors) {
            for (int i = 0; i < dim; i++) {
                sum[i] += v[i];
            }
        }
        float[] centroid = new float[dim];
        for (int i = 0; i < dim; i++) {
            centroid[i] = (float) (sum[i] / vectors.length);
        }
        int padded = paddedDimension(dim);
        Rotation rotation = Rotation.random(denseRotation(config.rotation(), padded) ? Rotation.DENSE
                : Rotation.BLOCK_HADAMARD, padded, random);
        return new RaBitQuantizer(metric, dim, centroid, rotation, config.bits(), (float) config.epsilon0(),
                config.queryBits());
    }

    /**
     * A quantizer for codes relative to many centroids (one per cluster of an IVF index) that share
     * one rotation: nothing is trained, the rotation is drawn from {@code seed}, and its own centroid
     * is zero. Encode with {@link #rotate} and {@link #encodeResidual}, score with
     * {@link #residualScorer}: {@code R·(v - c) = R·v - R·c}, so every vector and query is rotated
     * once whatever the number of centroids.
     *
     * @throws IllegalArgumentException if the metric is not one RaBitQ supports or {@code dimension < 1}
     */
    public static RaBitQuantizer forResiduals(DistanceMetric metric, int dimension, Config config, long seed) {
        QuantMath.checkMetric(metric);
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1; got " + dimension);
        }
        Random random = new Random(seed);
        int padded = paddedDimension(dimension);
        Rotation rotation = Rotation.random(denseRotation(config.rotation(), padded) ? Rotation.DENSE
                : Rotation.BLOCK_HADAMARD, padded, random);
        return new RaBitQuantizer(metric, dimension, new float[dimension], rotation, config.bits(),
                (float) config.epsilon0(), config.queryBits());
    }

    private static boolean denseRotation(RotationKind kind, int padded) {
        return switch (kind) {
            case AUTO -> padded <= AUTO_DENSE_LIMIT;
            case DENSE -> true;
            case HADAMARD -> false;
        };
    }

    /**
     * {@code R·v}: {@code vector} prepared for the metric (normalized for cosine), zero-padded to
     * {@link #paddedDimension()} and rotated. Rotation preserves inner products and distances, so
     * distances between rotated vectors equal those between the prepared originals.
     */
    public float[] rotate(float[] vector) {
        QuantMath.checkDimension(vector, dimension);
        float[] prepared = QuantMath.prepare(metric, vector);
        float[] x = new float[padded];
        System.arraycopy(prepared, 0, x, 0, dimension);
        float[] out = new float[padded];
        rotation.apply(x, out);
        return out;
    }

    /**
     * Encodes the residual {@code rotated - R·c} into {@code codeSize()} bytes at {@code offset}, where
     * {@code rotated = R·v} comes from {@link #rotate} and {@code R·c} is row {@code centroid} of
     * {@code rotatedCentroids} (row-major, {@link #paddedDimension()} floats a row): the same code
     * {@link #encode} makes for a quantizer centred on {@code c}.
     */
    public void encodeResidual(float[] rotated, float[] rotatedCentroids, int centroid, MemorySegment destination,
                               long offset) {
        QuantMath.checkDimension(rotated, padded);
        int base = rowStart(rotatedCentroids, centroid);
        float[] o = new float[padded];
        double centroidDot = 0;
        for (int i = 0; i < padded; i++) {
            o[i] = rotated[i] - rotatedCentroids[base + i];
            centroidDot += (double) o[i] * rotatedCentroids[base + i];
        }
        float norm = (float) QuantMath.norm(o);
        if (norm > 0f) {
            float inv = 1f / norm;
            for (int i = 0; i < padded; i++) {
                o[i] *= inv;
            }
        }
        writeCode(o, norm, (float) centroidDot, destination, offset);
    }

    /**
     * A scorer for a query rotated by {@link #rotate} over codes that {@link #encodeResidual} made
     * relative to row {@code centroid} of {@code rotatedCentroids}; {@code codes} holds a whole
     * number of codes. Preparing it costs {@code O(D)}: the rotation was paid once per query.
     */
    public BoundedScorer residualScorer(float[] rotatedQuery, float[] rotatedCentroids, int centroid,
                                        MemorySegment codes) {
        float[] q = new float[padded];
        float norm = unitResidual(rotatedQuery, rotatedCentroids, centroid, q);
        return new RaBitQScorer(this, q, norm, metric == DistanceMetric.DOT_PRODUCT
                ? rotatedDot(rotatedQuery, rotatedCentroids, centroid) : 0f, codes);
    }

    /**
     * A reusable scan of many postings for one query rotated by {@link #rotate}, each posting's codes
     * relative to its own centroid: {@link #residualScorer}'s estimates without its allocations.
     */
    public ResidualQuery residualQuery(float[] rotatedQuery) {
        QuantMath.checkDimension(rotatedQuery, padded);
        return new ResidualQuery(this, rotatedQuery);
    }

    /**
     * Writes {@code (R·q - R·c)/‖R·q - R·c‖} (zeros when the two are equal) into {@code unit}, with
     * {@code R·c} row {@code centroid} of {@code rotatedCentroids}, and returns {@code ‖R·q - R·c‖}.
     */
    float unitResidual(float[] rotatedQuery, float[] rotatedCentroids, int centroid, float[] unit) {
        QuantMath.checkDimension(rotatedQuery, padded);
        int base = rowStart(rotatedCentroids, centroid);
        float norm = (float) Math.sqrt(VectorUtil.squaredDistance(rotatedQuery, 0, rotatedCentroids, base, padded));
        float inv = norm > 0f ? 1f / norm : 0f;
        for (int i = 0; i < padded; i++) {
            unit[i] = (rotatedQuery[i] - rotatedCentroids[base + i]) * inv;
        }
        return norm;
    }

    /** {@code ⟨R·q, R·c⟩ = ⟨q, c⟩} for row {@code centroid} of {@code rotatedCentroids}. */
    float rotatedDot(float[] rotatedQuery, float[] rotatedCentroids, int centroid) {
        return VectorUtil.dot(rotatedQuery, 0, rotatedCentroids, rowStart(rotatedCentroids, centroid), padded);
    }

    /** Where row {@code row} of a row-major array of padded vectors starts, checking that it is there. */
    private int rowStart(float[] rows, int row) {
        int base = Math.multiplyExact(row, padded);
        java.util.Objects.checkFromIndexSize(base, padded, rows.length);
        return base;
    }

    /** Bytes this quantizer holds on the heap: its centroid and its rotation. */
    public long heapBytes() {
        long rotationBytes = rotation instanceof DenseRotation
                ? 8L * padded * padded   // R and Rᵀ
                : BlockHadamardRotation.ROUNDS * (4L * padded + padded / 8);
        return 4L * dimension + rotationBytes;
    }

    /** {@code dimension} rounded up to a multiple of 64: the number of bits per code. */
    static int paddedDimension(int dimension) {
        return (dimension + 63) & ~63;
    }

    @Override
    public DistanceMetric metric() {
        return metric;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** {@code D}, the number of bits per code: the dimension rounded up to a multiple of 64. */
    public int paddedDimension() {
        return padded;
    }

    /** Bits per dimension of the code. */
    public int bits() {
        return bits;
    }

    /** The confidence parameter ε0 of {@link BoundedScorer#errorBound}. */
    public float epsilon0() {
        return epsilon0;
    }

    /** Bits per coordinate of the quantized query. */
    public int queryBits() {
        return queryBits;
    }

    @Override
    public int codeSize() {
        return factorsOffset() + 8 + (bits > 1 ? 4 : 0) + (metric == DistanceMetric.DOT_PRODUCT ? 4 : 0);
    }

    /** Where the float factors start in a code: after {@code bits} planes of {@code D} bits. */
    int factorsOffset() {
        return bits * padded / 8;
    }

    /** The residual {@code v - c} of a prepared vector, zero-padded to {@link #paddedDimension()}. */
    float[] residual(float[] prepared) {
        float[] r = new float[padded];
        for (int i = 0; i < dimension; i++) {
            r[i] = prepared[i] - centroid[i];
        }
        return r;
    }

    /** {@code ⟨c, v⟩}. */
    float dotCentroid(float[] v) {
        return (float) QuantMath.dot(centroid, v, dimension);
    }

    /** {@code out = R · x}. */
    void rotate(float[] x, float[] out) {
        rotation.apply(x, out);
    }

    @Override
    public void encode(float[] vector, MemorySegment destination, long offset) {
        QuantMath.checkDimension(vector, dimension);
        float[] r = residual(QuantMath.prepare(metric, vector));
        float norm = (float) QuantMath.norm(r);
        float centroidDot = (float) QuantMath.dot(r, centroid, dimension);
        float[] o = new float[padded];
        if (norm > 0f) {
            float inv = 1f / norm;
            for (int i = 0; i < padded; i++) {
                r[i] *= inv;
            }
            rotate(r, o);
        }
        writeCode(o, norm, centroidDot, destination, offset);
    }

    /** Writes the code of the rotated unit residual {@code o} and the factors. */
    private void writeCode(float[] o, float norm, float centroidDot, MemorySegment destination, long offset) {
        // A zero residual (v is the centroid) gets any code: with ‖r‖ = 0 the estimate is exact anyway.
        RaBitQCodebook.Codeword code = RaBitQCodebook.nearest(o, bits);
        int[] u = code.u();
        int planeBytes = padded / 8;
        for (int p = 0; p < bits; p++) {
            int bit = bits - 1 - p;   // the sign bit (top bit of u) first: the 1-bit code is plane 0
            for (int w = 0; w < padded / 64; w++) {
                long word = 0;
                for (int b = 0; b < 64; b++) {
                    word |= (long) (u[w * 64 + b] >>> bit & 1) << b;
                }
                destination.set(LONG_LE, offset + (long) p * planeBytes + 8L * w, word);
            }
        }
        long tail = offset + factorsOffset();
        destination.set(FLOAT_LE, tail, norm);
        destination.set(FLOAT_LE, tail + 4, norm > 0f ? (float) Math.min(1.0, code.cosine()) : 1f);
        tail += 8;
        if (bits > 1) {
            destination.set(FLOAT_LE, tail, (float) code.norm());
            tail += 4;
        }
        if (metric == DistanceMetric.DOT_PRODUCT) {
            destination.set(FLOAT_LE, tail, centroidDot);
        }
    }

    /** {@code ‖y‖} of a code: stored for extended codes, {@code √D / 2} for 1-bit ones. */
    float codewordNorm(MemorySegment codes, long offset) {
        return bits > 1 ? codes.get(FLOAT_LE, offset + factorsOffset() + 8) : (float) (Math.sqrt(padded) / 2);
    }

    @Override
    public float[] decode(MemorySegment codes, long offset) {
        long tail = offset + factorsOffset();
        float norm = codes.get(FLOAT_LE, tail);
        float cosine = codes.get(FLOAT_LE, tail + 4);
        double center = ((1 << bits) - 1) / 2.0;
        double inv = 1 / (double) codewordNorm(codes, offset);
        float[] ybar = new float[padded];
        for (int w = 0; w < padded / 64; w++) {
            for (int b = 0; b < 64; b++) {
                int u = 0;
                for (int p = 0; p < bits; p++) {
                    long word = codes.get(LONG_LE, offset + (long) p * (padded / 8) + 8L * w);
                    u = (u << 1) | (int) (word >>> b & 1L);
                }
                ybar[w * 64 + b] = (float) ((u - center) * inv);
            }
        }
        float[] back = new float[padded];
        rotation.applyInverse(ybar, back);
        // ⟨ȳ, o⟩ ȳ is the point of the code's direction nearest to o (least squares).
        float scale = norm * cosine;
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = centroid[i] + scale * back[i];
        }
        return v;
    }

    @Override
    public BoundedScorer scorer(float[] query, MemorySegment codes) {
        QuantMath.checkDimension(query, dimension);
        return new RaBitQScorer(this, QuantMath.prepare(metric, query), codes);
    }

    @Override
    public BoundedScorer scorer(float[] query, byte[] codes) {
        return scorer(query, MemorySegment.ofArray(codes));
    }

    @Override
    public void write(OutputStream out) throws IOException {
        int rotationSize = rotation instanceof DenseRotation ? padded * padded * 4 : padded * 20;
        BytesWriter w = QuantizerFormat.begin(QuantizerFormat.KIND_RABITQ, metric, dimension,
                16 + dimension * 4 + rotationSize);
        w.writeInt(padded);
        w.writeFloats(centroid);
        w.writeByte(bits);
        QuantizerFormat.writeFloat(w, epsilon0);
        w.writeByte(queryBits);
        Rotation.write(rotation, w);
        QuantizerFormat.finish(w, out);
    }

    static RaBitQuantizer readBody(BytesReader r, DistanceMetric metric, int dimension) {
        int padded = r.readInt();
        QuantizerFormat.check(r, padded == paddedDimension(dimension), "padded dimension",
                String.valueOf(paddedDimension(dimension)), padded);
        float[] centroid = r.readFloats(dimension);
        int bits = r.readByte();
        QuantizerFormat.check(r, bits >= 1 && bits <= 8, "bits", "in [1, 8]", bits);
        float epsilon0 = QuantizerFormat.readFloat(r);
        QuantizerFormat.check(r, epsilon0 > 0 && epsilon0 < 100, "epsilon0", "in (0, 100)", epsilon0);
        int queryBits = r.readByte();
        QuantizerFormat.check(r, queryBits >= 1 && queryBits <= 8, "query bits", "in [1, 8]", queryBits);
        Rotation rotation = Rotation.read(r, padded);
        return new RaBitQuantizer(metric, dimension, centroid, rotation, bits, epsilon0, queryBits);
    }

    @Override
    public String toString() {
        return "RaBitQuantizer[" + metric.wireName() + ", dim " + dimension + " → " + padded + " × " + bits + " bits, "
                + (rotation instanceof DenseRotation ? "dense" : "Hadamard") + " rotation, ε0 " + epsilon0
                + ", " + queryBits + "-bit queries]";
    }
}
