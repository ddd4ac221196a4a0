package io.lodestone.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses sizes written for people: {@code "1048576"}, {@code "512KB"}, {@code "64MiB"}, {@code "1.5 GiB"}.
 *
 * <p>Units are case-insensitive. {@code B} is one byte; {@code KB}, {@code MB}, {@code GB}, {@code TB} are
 * powers of 1000; {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB} are powers of 1024. No unit means bytes.
 * A fractional amount is rounded down to whole bytes.
 */
public final class ByteSize {

    public static final long KiB = 1L << 10;
    public static final long MiB = 1L << 20;
    public static final long GiB = 1L << 30;

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)");
    private static final Map<String, Long> UNITS = Map.of(
            "", 1L, "b", 1L,
            "kb", 1_000L, "mb", 1_000_000L, "gb", 1_000_000_000L, "tb", 1_000_000_000_000L,
            "kib", KiB, "mib", MiB, "gib", GiB, "tib", 1L << 40);

    private ByteSize() {
    }

    /**
     * Returns the number of bytes {@code text} stands for.
     *
     * @throws IllegalArgumentException if it is not a size or does not fit in a {@code long}
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        Long unit = m.matches() ? UNITS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("not a size: \"" + text + "\"");
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        try {
            return bytes.toBigInteger().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size too large: \"" + text + "\"", e);
        }
    }
}
