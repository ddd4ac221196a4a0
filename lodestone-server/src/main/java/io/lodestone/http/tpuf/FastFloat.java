package io.lodestone.http.tpuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decimal text to float32 for the common shape of vector components (a significand of at most 2^53, a
 * decimal exponent within ±22), correctly rounded as {@link Float#parseFloat} rounds: the significand and
 * the power of ten are exact doubles, so one division or multiplication gives the correctly rounded double,
 * and rounding that double to float is correct unless it lies exactly halfway between two floats (every such
 * midpoint is a double), which this refuses. Any other text, and such a tie, is left to an exact parser.
 */
final class FastFloat {
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
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
        // Commas found eight bytes at a time say where each number ends before it is read, so one number's
        // reading need not wait for the previous one's end (the processor overlaps them). A number that does not
        // end exactly at its comma in a fast shape (a space, another shape, an error) and the last few bytes go
        // to the reading from a position, which decides as always.
        int n = 0;
        int start = offset;
        for (int word = offset; word + Long.BYTES + SHORT_NUMBER_ROOM <= end; word += Long.BYTES) {
            for (long commas = bytesEqual((long) WORD.get(text, word), COMMAS); commas != 0; commas &= commas - 1) {
                int comma = word + (Long.numberOfTrailingZeros(commas) >>> 3);
                float f = comma - start <= maxNumberBytes ? plainDecimal(text, start, comma) : NOT_FAST;
                if (Float.isNaN(f)) { // another shape (an exponent, an integer): read from its start
                    long r = shortNumber(text, start);
                    f = value(r);
                    if (next(r) != comma || comma - start > maxNumberBytes) f = NOT_FAST;
                }
                if (!Float.isFinite(f)) return parseFrom(text, start, end, out, n, maxNumberBytes);
                out[n++] = f;
                start = comma + 1;
            }
        }
        return parseFrom(text, start, end, out, n, maxNumberBytes);
    }

    /** {@link #parseList} from {@code offset}, the start of a number (or of spaces before it), with {@code n} floats read before it. */
    private static int parseFrom(byte[] text, int offset, int end, float[] out, int n, int maxNumberBytes) {
        int i = skipSpace(text, offset, end);
        while (true) {
            long r = end - i >= SHORT_NUMBER_ROOM ? shortNumber(text, i) : NOT_SHORT;
            if (r == NOT_SHORT) r = number(text, i, end);
            float f = value(r);
            if (!Float.isFinite(f) || next(r) - i > maxNumberBytes) return -1; // NaN: not a number in the fast shape
            out[n++] = f;
            i = skipSpace(text, next(r), end);
            if (i == end) return n;
            if (text[i] != ',') return -1;
            i = skipSpace(text, i + 1, end);
        }
    }

    /** The high bit set in exactly the bytes of {@code w} equal to those of {@code pattern} (no false positives). */
    private static long bytesEqual(long w, long pattern) {
        long x = w ^ pattern;
        return ~(((x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | x) & 0x8080808080808080L;
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
        int run = digitRunEnd(text, i, end);
        long significand = accumulate(text, i, run, 0);
        int exponent = 0;
        i = run;
        if (i < end && text[i] == '.') {
            if (++i == end || !isDigit(text[i])) return result(NOT_FAST, i);
            run = digitRunEnd(text, i, end);
            if (significand >= 0) significand = accumulate(text, i, run, significand);
            exponent = i - run;
            i = run;
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
        return result(toFloat(negative, significand, exponent), i);
    }

    /**
     * The float nearest {@code ±significand × 10^exponent}, or {@link #NOT_FAST} when that takes more than one
     * exact double operation (a significand over 2^53, or negative: over it while reading; a power of ten past
     * 10^22) or the double lies exactly halfway between two floats.
     */
    private static float toFloat(boolean negative, long significand, int exponent) {
        if (significand == 0) return negative ? -0.0f : 0.0f;
        if (significand < 0 || significand > MAX_EXACT || exponent < -22 || exponent > 22) return NOT_FAST;
        double q = exponent < 0 ? significand / POW10[-exponent] : significand * POW10[exponent];
        if ((Double.doubleToRawLongBits(q) & BELOW_FLOAT) == HALF_FLOAT_ULP) return NOT_FAST;
        float f = (float) q;
        return negative ? -f : f;
    }

    /**
     * The float of {@code text[start, end)} when it is exactly a plain decimal (an optional minus, one to seven
     * integer digits, and a point with one to 16 digits after it, at most 18 digits in all), what
     * {@link Float#toString} writes for nearly every vector component; else {@link #NOT_FAST}. With both ends
     * known, the digits are at most three word reads, none waiting on a search for the end. Needs eight bytes
     * of room past {@code end}.
     */
    private static float plainDecimal(byte[] text, int start, int end) {
        boolean negative = text[start] == '-';
        int i = negative ? start + 1 : start;
        long w = (long) WORD.get(text, i);
        int integer = leadingDigits(w);
        int fraction = end - (i + integer) - 1;
        if (integer == 0 || integer == Long.BYTES || (integer > 1 && text[i] == '0') || text[i + integer] != '.'
                || fraction <= 0 || fraction > 2 * Long.BYTES || integer + fraction > MAX_LONG_DIGITS) {
            return NOT_FAST;
        }
        long significand = digitsValue(w, integer);
        i += integer + 1;
        w = (long) WORD.get(text, i);
        int head = Math.min(fraction, Long.BYTES);
        if (leadingDigits(w) < head) return NOT_FAST;
        significand = significand * POW10_LONG[head] + digitsValue(w, head);
        int rest = fraction - head;
        if (rest > 0) {
            w = (long) WORD.get(text, i + Long.BYTES);
            if (leadingDigits(w) < rest) return NOT_FAST;
            significand = significand * POW10_LONG[rest] + digitsValue(w, rest);
        }
        return toFloat(negative, significand, -fraction);
    }

    /** What {@link #shortNumber} returns for a number it leaves to {@link #number}: no position is negative. */
    private static final long NOT_SHORT = -1;
    /** Bytes {@link #shortNumber} may read from its start: a sign, an integer part, a point, two words of fraction and an exponent. */
    private static final int SHORT_NUMBER_ROOM = 40;
    private static final long ZEROS = 0x3030303030303030L;
    private static final long COMMAS = 0x2C2C2C2C2C2C2C2CL;
    private static final int MAX_LONG_DIGITS = 18;
    private static final long[] POW10_LONG = new long[19];

    static {
        POW10_LONG[0] = 1;
        for (int i = 1; i < POW10_LONG.length; i++) POW10_LONG[i] = POW10_LONG[i - 1] * 10;
    }

    /**
     * {@link #number} for the shape nearly every vector component has (an optional minus, one to seven integer
     * digits, an optional fraction of up to 16 digits and a short exponent, as {@link Float#toString} writes
     * them), reading each run of digits as one 8-byte word: how many of its bytes are digits and their value
     * come from a few word operations instead of a test and a multiplication per byte. Returns the same
     * result as {@link #number} would, or {@link #NOT_SHORT} for any other text (then {@link #number} decides).
     * Needs {@link #SHORT_NUMBER_ROOM} bytes from {@code i}.
     */
    private static long shortNumber(byte[] text, int i) {
        boolean negative = text[i] == '-';
        if (negative) i++;
        long w = (long) WORD.get(text, i);
        int digits = leadingDigits(w);
        if (digits == 0 || digits == Long.BYTES || (digits > 1 && text[i] == '0')) return NOT_SHORT;
        long significand = digitsValue(w, digits);
        i += digits;
        int exponent = 0;
        if (text[i] == '.') {
            i++;
            int fraction = 0;
            int run;
            do {
                w = (long) WORD.get(text, i);
                run = leadingDigits(w);
                if (run == 0) {
                    if (fraction == 0) return NOT_SHORT; // a point without digits
                    break; // the fraction ended on a word boundary
                }
                significand = significand * POW10_LONG[run] + digitsValue(w, run);
                fraction += run;
                i += run;
            } while (run == Long.BYTES && fraction < 2 * Long.BYTES);
            // Up to 18 digits cannot overflow a long; more (or a third word of fraction) go to number()'s checks.
            if (run == Long.BYTES || digits + fraction > MAX_LONG_DIGITS) return NOT_SHORT;
            exponent = -fraction;
        }
        byte b = text[i];
        if (b == 'e' || b == 'E') {
            byte sign = text[++i];
            boolean negativeExponent = sign == '-';
            if (sign == '-' || sign == '+') i++;
            w = (long) WORD.get(text, i);
            int run = leadingDigits(w);
            if (run == 0 || run > 3) return NOT_SHORT;
            int e = (int) digitsValue(w, run);
            exponent += negativeExponent ? -e : e;
            i += run;
        }
        return result(toFloat(negative, significand, exponent), i);
    }

    /** How many of the eight bytes of {@code w}, from the lowest (the first in the text), are ASCII digits before any other byte. */
    private static int leadingDigits(long w) {
        // Zero in each byte that is a digit: high nibble 3, and low nibble at most 9 (adding 6 keeps the high nibble
        // 3). A carry out of a byte of 0xFA or more only reaches bytes after that non-digit.
        long notDigit = ((w & 0xF0F0F0F0F0F0F0F0L) ^ ZEROS) | (((w + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) ^ ZEROS);
        return Long.numberOfTrailingZeros(notDigit) >>> 3;
    }

    /** The value of the first {@code count} (1 to 8) bytes of {@code w}, all digits: the word shifted so zeros lead. */
    private static long digitsValue(long w, int count) {
        return eightDigitsValue(((w - ZEROS) << ((Long.BYTES - count) * Byte.SIZE)) + ZEROS);
    }

    /** The end of the run of digits from {@code i}: eight at a time while eight fit. */
    private static int digitRunEnd(byte[] text, int i, int end) {
        while (i + Long.BYTES <= end && eightDigits((long) WORD.get(text, i))) i += Long.BYTES;
        while (i < end && isDigit(text[i])) i++;
        return i;
    }

    /**
     * {@code significand} followed by the digits {@code text[from, to)}, or -1 once it is over {@link #MAX_EXACT}
     * (more digits only make it larger: the number is not in the fast shape).
     */
    private static long accumulate(byte[] text, int from, int to, long significand) {
        for (; from + Long.BYTES <= to; from += Long.BYTES) {
            if (significand > MAX_EXACT / 100_000_000L) return -1; // eight more digits take it over (and never overflow)
            significand = significand * 100_000_000L + eightDigitsValue((long) WORD.get(text, from));
        }
        for (; from < to; from++) {
            if (significand > MAX_EXACT) return -1;
            significand = significand * 10 + (text[from] - '0');
        }
        return significand > MAX_EXACT ? -1 : significand;
    }

    /** Whether the eight bytes of {@code w} are all ASCII digits (D. Lemire's fast_float test). */
    private static boolean eightDigits(long w) {
        return ((w & 0xF0F0F0F0F0F0F0F0L) | (((w + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) >>> 4)) == 0x3333333333333333L;
    }

    /** The value of eight ASCII digits, the first in the lowest byte (fast_float's three multiplications). */
    private static long eightDigitsValue(long w) {
        long mask = 0x000000FF000000FFL;
        w -= 0x3030303030303030L;
        w = w * 10 + (w >>> 8);
        return ((w & mask) * (100 + (1_000_000L << 32)) + ((w >>> 16) & mask) * (1 + (10_000L << 32))) >>> 32;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
