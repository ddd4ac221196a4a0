package io.lodestone.quant;

import io.lodestone.index.ApproximateScorer;
import io.lodestone.vector.DistanceMetric;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A trained vector quantizer: it turns a float vector into a fixed-size code and scores a query
 * against a block of codes. Three kinds share this interface: {@link ScalarQuantizer} (int8),
 * {@link ProductQuantizer} (PQ with asymmetric distance tables) and {@link RaBitQuantizer} (1-bit
 * RaBitQ with an error bound).
 *
 * <p>The life cycle: {@link QuantizerConfig#train} on a sample (seeded, so the same sample and seed
 * give the same quantizer); {@link #encode} every vector into one contiguous block, code {@code i}
 * at byte {@code i * codeSize()}; {@link #write} the trained parameters next to the block; later
 * {@link #read} them back and {@link #scorer} queries against the block, heap or mmapped. Codes hold
 * everything a scorer needs per vector (corrections included): {@link #codeSize()} is the whole cost
 * per vector.
 *
 * <p>Metrics: {@link DistanceMetric#COSINE_DISTANCE} (vectors are normalized before encoding, queries
 * before scoring), {@link DistanceMetric#EUCLIDEAN_SQUARED} and {@link DistanceMetric#DOT_PRODUCT}.
 * Scores are approximate ({@link ApproximateScorer}); exact distances come from {@link Reranker}.
 *
 * <p>Instances are immutable and thread-safe; scorers are per thread.
 */
public sealed interface VectorQuantizer permits ScalarQuantizer, ProductQuantizer, RaBitQuantizer {

    /** The metric the codes are scored under. */
    DistanceMetric metric();

    /** The dimension of the vectors it encodes. */
    int dimension();

    /** Bytes per encoded vector, per-vector correction factors included. */
    int codeSize();

    /**
     * Encodes {@code vector} into {@code codeSize()} bytes of {@code destination} at {@code offset}.
     *
     * @throws IllegalArgumentException if {@code vector.length != dimension()}
     * @throws IndexOutOfBoundsException if the code does not fit
     */
    void encode(float[] vector, MemorySegment destination, long offset);

    /** Encodes {@code vector} into {@code codeSize()} bytes of {@code destination} at {@code offset}. */
    default void encode(float[] vector, byte[] destination, int offset) {
        encode(vector, MemorySegment.ofArray(destination), offset);
    }

    /** The code of {@code vector}, {@code codeSize()} bytes. */
    default byte[] encode(float[] vector) {
        byte[] code = new byte[codeSize()];
        encode(vector, code, 0);
        return code;
    }

    /**
     * The codes of all {@code vectors} in one contiguous block, code {@code i} at byte
     * {@code i * codeSize()}: what {@link #scorer} reads.
     *
     * @throws IllegalArgumentException if the block would exceed 2 GiB (encode into a segment
     *         instead), or a vector has the wrong dimension
     */
    default byte[] encodeAll(float[][] vectors) {
        long size = (long) vectors.length * codeSize();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("codes of " + vectors.length + " vectors need " + size
                    + " bytes, more than a byte[] holds; encode into a MemorySegment");
        }
        byte[] codes = new byte[(int) size];
        MemorySegment segment = MemorySegment.ofArray(codes);
        for (int i = 0; i < vectors.length; i++) {
            encode(vectors[i], segment, (long) i * codeSize());
        }
        return codes;
    }

    /**
     * Encodes all {@code vectors} into one contiguous block of {@code destination} starting at
     * {@code offset}, code {@code i} at {@code offset + i * codeSize()}: for blocks beyond 2 GiB or
     * straight into a mapped file.
     *
     * @throws IndexOutOfBoundsException if the block does not fit
     */
    default void encodeAll(float[][] vectors, MemorySegment destination, long offset) {
        Objects.checkFromIndexSize(offset, (long) vectors.length * codeSize(), destination.byteSize());
        for (int i = 0; i < vectors.length; i++) {
            encode(vectors[i], destination, offset + (long) i * codeSize());
        }
    }

    /**
     * The vector a code stands for, as closely as the code allows (for cosine, an approximation of the
     * normalized vector). For RaBitQ this is the least-squares reconstruction from the sign bits and
     * the stored factors (see {@link RaBitQuantizer}).
     */
    float[] decode(MemorySegment codes, long offset);

    /** {@link #decode(MemorySegment, long)} over a heap block. */
    default float[] decode(byte[] codes, int offset) {
        return decode(MemorySegment.ofArray(codes), offset);
    }

    /**
     * The mean squared reconstruction error, {@code mean_i |v_i - decode(encode(v_i))|²}, over
     * {@code vectors} (normalized first for cosine): the usual yardstick for comparing quantizers
     * and settings on a validation sample.
     */
    default double reconstructionError(float[][] vectors) {
        if (vectors.length == 0) {
            return 0;
        }
        byte[] code = new byte[codeSize()];
        double sum = 0;
        for (float[] v : vectors) {
            encode(v, code, 0);
            float[] target = metric() == DistanceMetric.COSINE_DISTANCE ? QuantMath.normalized(v) : v;
            float[] decoded = decode(code, 0);
            for (int i = 0; i < target.length; i++) {
                double d = target[i] - decoded[i];
                sum += d * d;
            }
        }
        return sum / vectors.length;
    }

    /**
     * A scorer for {@code query} over the codes in {@code codes} (its whole size, a multiple of
     * {@code codeSize()}): heap or native, for example an mmapped slice of a segment file.
     *
     * @throws IllegalArgumentException if the query has the wrong dimension or the block size is not a
     *         multiple of the code size
     */
    ApproximateScorer scorer(float[] query, MemorySegment codes);

    /** {@link #scorer(float[], MemorySegment)} over a heap block. */
    default ApproximateScorer scorer(float[] query, byte[] codes) {
        return scorer(query, MemorySegment.ofArray(codes));
    }

    /**
     * Writes the trained parameters (not the codes), little-endian, in the layout documented in
     * {@code package-info.java}. The segment layer adds the header, footer and checksum.
     */
    void write(OutputStream out) throws IOException;

    /**
     * Reads parameters written by {@link #write}.
     *
     * @throws io.lodestone.codec.CorruptObjectException if the bytes are not a valid quantizer of a
     *         supported version (the message names the offset, the expected and the actual value)
     */
    static VectorQuantizer read(byte[] bytes) {
        return QuantizerFormat.read(bytes, "quantizer");
    }

    /** {@link #read(byte[])} from a segment, for example a slice of an mmapped file. */
    static VectorQuantizer read(MemorySegment segment) {
        Objects.requireNonNull(segment, "segment");
        return QuantizerFormat.read(segment.toArray(ValueLayout.JAVA_BYTE), "quantizer");
    }
}
