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

    /** The float {@code text[offset, offset + length)} denotes (a JSON number), or {@link #NOT_FAST}. */
    static float parse(char[] text, int offset, int length) {
        int i = offset;
        int end = offset + length;
        boolean negative = i < end && text[i] == '-';
        if (negative) i++;
        int mantissaStart = i;
        long significand = 0;
        int digits = 0;
        int exponent = 0;
        for (; i < end && isDigit(text[i]); i++) {
            significand = significand * 10 + (text[i] - '0');
            if (significand != 0 && ++digits > 18) return NOT_FAST;
        }
        if (i < end && text[i] == '.') {
            for (i++; i < end && isDigit(text[i]); i++) {
                significand = significand * 10 + (text[i] - '0');
                exponent--;
                if (significand != 0 && ++digits > 18) return NOT_FAST;
            }
        }
        if (i == mantissaStart || (i == mantissaStart + 1 && text[mantissaStart] == '.')) return NOT_FAST;
        if (i < end && (text[i] == 'e' || text[i] == 'E')) {
            i++;
            boolean negativeExponent = i < end && text[i] == '-';
            if (i < end && (text[i] == '-' || text[i] == '+')) i++;
            int e = 0;
            for (; i < end && isDigit(text[i]); i++) {
                e = e * 10 + (text[i] - '0');
                if (e > 1000) return NOT_FAST;
            }
            exponent += negativeExponent ? -e : e;
        }
        if (i != end) return NOT_FAST;
        if (significand == 0) return negative ? -0.0f : 0.0f;
        if (significand > MAX_EXACT || exponent < -22 || exponent > 22) return NOT_FAST;
        double q = exponent < 0 ? significand / POW10[-exponent] : significand * POW10[exponent];
        if ((Double.doubleToRawLongBits(q) & BELOW_FLOAT) == HALF_FLOAT_ULP) return NOT_FAST;
        float f = (float) q;
        return negative ? -f : f;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
