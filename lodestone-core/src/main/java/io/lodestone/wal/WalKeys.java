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

    /**
     * The number a key ending in {@code /} and 20 digits names, or -1 for any other key: listings of a prefix may
     * hold objects that are not ours (an S3-compatible server's in-progress uploads, an operator's file), and those
     * are skipped, never parsed into a failure.
     */
    public static long digits20Of(String key) {
        int start = key.lastIndexOf('/') + 1;
        if (key.length() - start != 20) return -1;
        long v = 0;
        for (int i = start; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v < 0 ? -1 : v; // 20 digits above Long.MAX_VALUE are no key of ours either
    }
}
