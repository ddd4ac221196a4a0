package io.lodestone.text;

/**
 * The one-byte encoding of a field length (number of tokens after analysis) that BM25 scores with.
 *
 * <p>Lengths 0..39 are exact; larger lengths keep 4 significant bits and are rounded down (59 → 56), so 256
 * codes cover every int. This is bit-for-bit the encoding Lucene's {@code BM25Similarity} uses for its norms
 * ({@code SmallFloat.intToByte4}/{@code byte4ToInt}), which is what makes our top-10s identical to Lucene's: a
 * document's score depends on its encoded length, never on the exact one. Stateless and thread-safe.
 */
public final class LengthNorm {

    /** Codes below this value stand for themselves; the rest are 4-significant-bit floats. */
    static final int NUM_FREE_VALUES = 255 - longToInt4(Integer.MAX_VALUE);

    private static final int[] DECODED = new int[256];
    /** Codes below this one stand for exactly one length (0..39). */
    private static final int FIRST_ROUNDED_CODE;

    static {
        for (int i = 0; i < 256; i++) DECODED[i] = decodeSlow(i);
        int c = 0;
        while (DECODED[c + 1] == DECODED[c] + 1) c++;
        FIRST_ROUNDED_CODE = c;
    }

    private LengthNorm() {
    }

    /** The code (0..255) of a field length; lengths are rounded down to what the code can represent. */
    public static int encode(int length) {
        if (length < 0) throw new IllegalArgumentException("length must be >= 0; got " + length);
        if (length < NUM_FREE_VALUES) return length;
        return NUM_FREE_VALUES + longToInt4(length - NUM_FREE_VALUES);
    }

    /** The field length a code (0..255) stands for: the largest length in its bucket's lower bound. */
    public static int decode(int code) {
        return DECODED[code & 0xFF];
    }

    /** Whether the code stands for one exact length (codes below 40) rather than a rounded one. */
    public static boolean isExact(int code) {
        return (code & 0xFF) < FIRST_ROUNDED_CODE;
    }

    private static int decodeSlow(int code) {
        if (code < NUM_FREE_VALUES) return code;
        return Math.toIntExact(NUM_FREE_VALUES + int4ToLong(code - NUM_FREE_VALUES));
    }

    /** A value as a float with a 3-bit mantissa (plus the implicit bit) and a 5-bit exponent, rounded down. */
    private static int longToInt4(long value) {
        int numBits = 64 - Long.numberOfLeadingZeros(value);
        if (numBits < 4) return (int) value; // subnormal: the value itself
        int shift = numBits - 4;
        int encoded = (int) (value >>> shift) & 0x07; // drop the implicit bit
        return encoded | ((shift + 1) << 3);
    }

    private static long int4ToLong(int encoded) {
        long bits = encoded & 0x07;
        int shift = (encoded >>> 3) - 1;
        return shift == -1 ? bits : (bits | 0x08) << shift;
    }
}
