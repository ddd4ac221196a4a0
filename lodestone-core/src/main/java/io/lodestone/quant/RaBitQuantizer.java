package io.lodestone.quant;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.BytesWriter;
import io.lodestone.vector.DistanceMetric;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * 1-bit RaBitQ (Gao and Long, SIGMOD 2024): one bit per dimension plus two or three floats per
 * vector, an unbiased distance estimator, and a probabilistic bound on its error.
 *
 * <p><b>Encoding.</b> Vectors are padded with zeros to {@code D}, the next multiple of 64. For a
 * vector {@code v} (normalized first for cosine) and the centroid {@code c} of the training sample,
 * let {@code r = v - c}, {@code ‖r‖} its norm and {@code o = R·r/‖r‖} the unit residual after a random
 * orthogonal rotation {@code R} (dense Haar-random up to 1,024 padded dimensions, a structured
 * Hadamard rotation above, see {@link RotationKind}). The code stores the signs of {@code o} as bits
 * ({@code x̄ = sign(o)/√D}, a point of the hypercube on the unit sphere), {@code ‖r‖}, and
 * {@code ⟨x̄, o⟩ = Σ|o_i|/√D}; for dot_product also {@code ⟨r, c⟩}.
 *
 * <p><b>Estimator.</b> With the query's unit residual {@code q' = R·(q - c)/‖q - c‖},
 * {@code ⟨o, q'⟩ ≈ ⟨x̄, q'⟩ / ⟨x̄, o⟩}, unbiased over the random rotation. Then
 * {@code ‖v - q‖² = ‖r‖² + ‖q - c‖² - 2‖r‖‖q - c‖⟨o, q'⟩} (cosine is half of it, for unit vectors)
 * and {@code v·q = c·q + ⟨r, c⟩ + ‖r‖‖q - c‖⟨o, q'⟩}. {@code q'} is quantized to
 * {@link Config#queryBits} bits per coordinate ({@code q̄ = lo + Δ·u}), so {@code ⟨x̄, q̄⟩} is
 * {@code Σ_j 2^j · popcount(code ∧ plane_j)} plus constants: a few {@link Long#bitCount} per 64
 * dimensions.
 *
 * <p><b>Error bound.</b> The paper's Theorem 3.2: {@code |⟨x̄,q'⟩/⟨x̄,o⟩ - ⟨o,q'⟩| ≤ ε0 ·
 * √(1 - ⟨x̄,o⟩²) / (⟨x̄,o⟩ √(D-1))} with high probability over the rotation; to it we add
 * {@code ε0 · ‖q̄ - q'‖ / (⟨x̄,o⟩ √D)} for the query's quantization (the same normal model for
 * {@code ⟨x̄, q̄ - q'⟩}). {@link BoundedScorer#errorBound} is that, times {@code 2‖r‖‖q - c‖} (L2),
 * {@code ‖r‖‖q - c‖} (cosine, dot). The per-pair error is close to normal with at most that standard
 * deviation over {@code ε0}, so the bound holds with probability about {@code 2Φ(ε0) - 1} or more:
 * 94% at the default 1.9, 99% at 2.6, 99.9% at 3.3.
 *
 * <p><b>Code</b>: {@code D/8} bytes of bits (little-endian longs, bit {@code i % 64} of word
 * {@code i / 64} for coordinate {@code i}), then float32 {@code ‖r‖}, float32 {@code ⟨x̄, o⟩}, and
 * for dot_product float32 {@code ⟨r, c⟩}: {@code D/8 + 8} or {@code D/8 + 12} bytes.
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
     * @param epsilon0  the confidence parameter of the error bound, {@code > 0} (1.9 in the paper)
     * @param queryBits bits per coordinate of the quantized query, in {@code [1, 8]} (4 in the paper)
     * @param rotation  which random rotation to use
     */
    public record Config(double epsilon0, int queryBits, RotationKind rotation) implements QuantizerConfig {

        /** ε0 = 1.9, 4-bit queries, automatic rotation. */
        public static final Config DEFAULT = new Config(1.9, 4, RotationKind.AUTO);

        /** Checks the values. */
        public Config {
            if (!(epsilon0 > 0 && epsilon0 < 100)) {
                throw new IllegalArgumentException("epsilon0 must be in (0, 100); got " + epsilon0);
            }
            if (queryBits < 1 || queryBits > 8) {
                throw new IllegalArgumentException("queryBits must be in [1, 8]; got " + queryBits);
            }
            java.util.Objects.requireNonNull(rotation, "rotation");
        }

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
    private final float epsilon0;
    private final int queryBits;

    RaBitQuantizer(DistanceMetric metric, int dimension, float[] centroid, Rotation rotation, float epsilon0,
                   int queryBits) {
        QuantMath.checkMetric(metric);
        this.metric = metric;
        this.dimension = dimension;
        this.padded = rotation.dimension();
        this.centroid = centroid;
        this.rotation = rotation;
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
        boolean dense = switch (config.rotation()) {
            case AUTO -> padded <= AUTO_DENSE_LIMIT;
            case DENSE -> true;
            case HADAMARD -> false;
        };
        Rotation rotation = Rotation.random(dense ? Rotation.DENSE : Rotation.BLOCK_HADAMARD, padded, random);
        return new RaBitQuantizer(metric, dim, centroid, rotation, (float) config.epsilon0(), config.queryBits());
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
        return padded / 8 + (metric == DistanceMetric.DOT_PRODUCT ? 12 : 8);
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
        float factor = 1f;
        long bitsOffset = offset;
        if (norm > 0f) {
            float inv = 1f / norm;
            float[] unit = new float[padded];
            for (int i = 0; i < padded; i++) {
                unit[i] = r[i] * inv;
            }
            float[] o = new float[padded];
            rotate(unit, o);
            double abs = 0;
            for (int w = 0; w < padded / 64; w++) {
                long bits = 0;
                for (int b = 0; b < 64; b++) {
                    float x = o[w * 64 + b];
                    abs += Math.abs(x);
                    if (x >= 0f) {
                        bits |= 1L << b;
                    }
                }
                destination.set(LONG_LE, bitsOffset + 8L * w, bits);
            }
            factor = (float) Math.min(1.0, abs / Math.sqrt(padded));
        } else {
            // v is the centroid: any bits do, the estimate is exact since ‖r‖ = 0.
            for (int w = 0; w < padded / 64; w++) {
                destination.set(LONG_LE, bitsOffset + 8L * w, -1L);
            }
        }
        long tail = offset + padded / 8;
        destination.set(FLOAT_LE, tail, norm);
        destination.set(FLOAT_LE, tail + 4, factor);
        if (metric == DistanceMetric.DOT_PRODUCT) {
            destination.set(FLOAT_LE, tail + 8, (float) QuantMath.dot(r, centroid, dimension));
        }
    }

    @Override
    public float[] decode(MemorySegment codes, long offset) {
        long tail = offset + padded / 8;
        float norm = codes.get(FLOAT_LE, tail);
        float factor = codes.get(FLOAT_LE, tail + 4);
        float[] xbar = new float[padded];
        float unit = (float) (1 / Math.sqrt(padded));
        for (int w = 0; w < padded / 64; w++) {
            long bits = codes.get(LONG_LE, offset + 8L * w);
            for (int b = 0; b < 64; b++) {
                xbar[w * 64 + b] = (bits >>> b & 1L) != 0 ? unit : -unit;
            }
        }
        float[] back = new float[padded];
        rotation.applyInverse(xbar, back);
        // ⟨x̄, o⟩ x̄ is the point of the code's direction nearest to o (least squares).
        float scale = norm * factor;
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
        float epsilon0 = QuantizerFormat.readFloat(r);
        QuantizerFormat.check(r, epsilon0 > 0 && epsilon0 < 100, "epsilon0", "in (0, 100)", epsilon0);
        int queryBits = r.readByte();
        QuantizerFormat.check(r, queryBits >= 1 && queryBits <= 8, "query bits", "in [1, 8]", queryBits);
        Rotation rotation = Rotation.read(r, padded);
        return new RaBitQuantizer(metric, dimension, centroid, rotation, epsilon0, queryBits);
    }

    @Override
    public String toString() {
        return "RaBitQuantizer[" + metric.wireName() + ", dim " + dimension + " → " + padded + " bits, "
                + (rotation instanceof DenseRotation ? "dense" : "Hadamard") + " rotation, ε0 " + epsilon0
                + ", " + queryBits + "-bit queries]";
    }
}
