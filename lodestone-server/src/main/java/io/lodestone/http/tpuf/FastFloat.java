package io.lodestone.http.tpuf;

/**
 * Decimal text to float32 for the common shape of vector components (at most 18 significant digits, a
 * decimal exponent within ±22), correctly rounded as {@link Float#parseFloat} rounds: the significand and
 * the power of ten are exact doubles, so one division or multiplication gives the correctly rounded double,
 * and rounding that double to float is correct unless it lies exactly halfway between two floats (every such
 * midpoint is a double), which this refuses. Any other text, and such a tie, is left to an exact parser.
 */
final class FastFloat {
    /** What {@link #parse} returns when the text is not in its fast shape; no decimal text parses to NaN. */
    static final float NOT_FAST = Float.NaN;

    private static final double[] POW10 = new double[23];
    private static final long MAX_EXACT = 1L << 53;
    /** The 29 bits of a double's significand below a float's 24, and their value at a float midpoint. */
    private static final long BELOW_FLOAT = (1L << 29) - 1;
    private static final long HALF_FLOAT_ULP = 1L << 28;

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;
    }

    private FastFloat() {
    }

    /**
     * The float {@code text[offset, offset + length)} denotes, or {@link #NOT_FAST}; text that is not a JSON
     * number (a leading zero, a point or an exponent without digits, a plus sign in front) is not fast either.
     */
    static float parse(byte[] text, int offset, int length) {
        long r = number(text, offset, offset + length);
        return next(r) == offset + length ? value(r) : NOT_FAST;
    }

    /**
     * Parses a list of JSON numbers separated by commas, with spaces, tabs and line feeds around them, from
     * {@code text[offset, end)} into {@code out}; returns how many, or -1 unless every one is a number of at most
     * {@code maxNumberBytes} bytes in the fast shape with a finite float value. {@code out} must have room for
     * {@code (end - offset + 1) / 2} floats.
     */
    static int parseList(byte[] text, int offset, int end, float[] out, int maxNumberBytes) {
        int n = 0;
        int i = skipSpace(text, offset, end);
        while (true) {
            long r = number(text, i, end);
            float f = value(r);
            if (!Float.isFinite(f) || next(r) - i > maxNumberBytes) return -1; // NaN: not a number in the fast shape
            out[n++] = f;
            i = skipSpace(text, next(r), end);
            if (i == end) return n;
            if (text[i] != ',') return -1;
            i = skipSpace(text, i + 1, end);
        }
    }

    private static int skipSpace(byte[] text, int i, int end) {
        while (i < end && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t')) i++;
        return i;
    }

    /** The float of {@link #number}'s result, {@link #NOT_FAST} when the number was not in the fast shape. */
    private static float value(long result) {
        return Float.intBitsToFloat((int) result);
    }

    /** Where the text after {@link #number}'s number starts. */
    private static int next(long result) {
        return (int) (result >>> 32);
    }

    private static long result(float value, int next) {
        return ((long) next << 32) | (Float.floatToRawIntBits(value) & 0xffffffffL);
    }

    /**
     * Reads the JSON number that starts at {@code i} and ends at the first byte that cannot continue it (or at
     * {@code end}); returns its float and that position ({@link #value}, {@link #next}), the float
     * {@link #NOT_FAST} when there is no JSON number there or it is not in the fast shape.
     */
    private static long number(byte[] text, int i, int end) {
        boolean negative = i < end && text[i] == '-';
        if (negative) i++;
        if (i == end || !isDigit(text[i]) || (text[i] == '0' && i + 1 < end && isDigit(text[i + 1]))) return result(NOT_FAST, i);
        long significand = 0;
        int digits = 0;
        int exponent = 0;
        for (; i < end && isDigit(text[i]); i++) {
            significand = significand * 10 + (text[i] - '0');
            if (significand != 0 && ++digits > 18) return result(NOT_FAST, i);
        }
        if (i < end && text[i] == '.') {
            if (++i == end || !isDigit(text[i])) return result(NOT_FAST, i);
            for (; i < end && isDigit(text[i]); i++) {
                significand = significand * 10 + (text[i] - '0');
                exponent--;
                if (significand != 0 && ++digits > 18) return result(NOT_FAST, i);
            }
        }
        if (i < end && (text[i] == 'e' || text[i] == 'E')) {
            i++;
            boolean negativeExponent = i < end && text[i] == '-';
            if (i < end && (text[i] == '-' || text[i] == '+')) i++;
            if (i == end || !isDigit(text[i])) return result(NOT_FAST, i);
            int e = 0;
            for (; i < end && isDigit(text[i]); i++) {
                e = e * 10 + (text[i] - '0');
                if (e > 1000) return result(NOT_FAST, i);
            }
            exponent += negativeExponent ? -e : e;
        }
        if (significand == 0) return result(negative ? -0.0f : 0.0f, i);
        if (significand > MAX_EXACT || exponent < -22 || exponent > 22) return result(NOT_FAST, i);
        double q = exponent < 0 ? significand / POW10[-exponent] : significand * POW10[exponent];
        if ((Double.doubleToRawLongBits(q) & BELOW_FLOAT) == HALF_FLOAT_ULP) return result(NOT_FAST, i);
        float f = (float) q;
        return result(negative ? -f : f, i);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
