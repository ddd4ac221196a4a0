package io.lodestone.wal;

/** Object keys of a namespace's log: {@code {prefix}wal/{seq:020}}. */
public final class WalKeys {
    private WalKeys() {
    }

    public static String key(String namespacePrefix, long seq) {
        return namespacePrefix + "wal/" + digits20(seq);
    }

    /**
     * {@code value} as {@code %020d} formats it, without a {@link java.util.Formatter}: a query's
     * freshness probe builds two such keys, and formatting was a visible part of its cost.
     */
    public static String digits20(long value) {
        if (value < 0) return String.format("%020d", value);
        String s = Long.toString(value);
        return "0".repeat(20 - s.length()) + s;
    }
}
