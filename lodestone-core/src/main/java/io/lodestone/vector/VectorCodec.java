package io.lodestone.vector;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Vectors as base64 text: the float32 values in little-endian byte order, base64-encoded with the
 * standard alphabet (RFC 4648 §4), as the HTTP APIs accept them instead of a JSON array. Decoding
 * accepts missing {@code =} padding; encoding always pads. Stateless and thread-safe.
 */
public final class VectorCodec {

    private VectorCodec() {
    }

    /**
     * Decodes base64 of little-endian float32 values; an empty string is an empty vector.
     *
     * @throws IllegalArgumentException if {@code base64} is not valid base64, or decodes to a number
     *         of bytes that is not a multiple of 4 (the message names it)
     */
    public static float[] decodeBase64(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vector is not valid base64: " + e.getMessage(), e);
        }
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("base64 vector decodes to " + bytes.length
                    + " bytes, which is not a multiple of 4 (the size of a float32)");
        }
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }

    /** Encodes {@code vector} as base64 of its little-endian float32 values, padded. */
    public static String encodeBase64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
