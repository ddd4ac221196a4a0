package io.lodestone.quant;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.BytesWriter;

import java.util.Random;

/**
 * A random orthogonal transform of {@code dimension()} coordinates, as RaBitQ needs: either a dense
 * Haar-random matrix ({@link DenseRotation}) or a fast structured one ({@link BlockHadamardRotation}).
 * Both are stored explicitly (matrix entries, or signs and permutations), so reading one back never
 * depends on a random number generator. Immutable and thread-safe.
 */
sealed interface Rotation permits DenseRotation, BlockHadamardRotation {

    /** Stored code of {@link DenseRotation}. */
    int DENSE = 1;
    /** Stored code of {@link BlockHadamardRotation}. */
    int BLOCK_HADAMARD = 2;

    /** The number of coordinates in and out. */
    int dimension();

    /** {@code out = R x}; both arrays have {@code dimension()} elements and must differ. */
    void apply(float[] x, float[] out);

    /** {@code out = Rᵀ y}, the inverse of {@link #apply}. */
    void applyInverse(float[] y, float[] out);

    /** The stored code, {@link #DENSE} or {@link #BLOCK_HADAMARD}. */
    int code();

    /** Writes the body (everything after the code byte). */
    void writeBody(BytesWriter w);

    /** A new rotation of {@code dimension} (a multiple of 64) coordinates. */
    static Rotation random(int code, int dimension, Random random) {
        return code == DENSE ? DenseRotation.random(dimension, random) : BlockHadamardRotation.random(dimension, random);
    }

    static void write(Rotation rotation, BytesWriter w) {
        w.writeByte(rotation.code());
        rotation.writeBody(w);
    }

    static Rotation read(BytesReader r, int dimension) {
        int code = r.readByte();
        return switch (code) {
            case DENSE -> DenseRotation.readBody(r, dimension);
            case BLOCK_HADAMARD -> BlockHadamardRotation.readBody(r, dimension);
            default -> {
                QuantizerFormat.check(r, false, "rotation kind", "1 (dense) or 2 (block Hadamard)", code);
                yield null;
            }
        };
    }
}
