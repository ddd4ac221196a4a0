package io.lodestone.wal;

/** Object keys of a namespace's log: {@code {prefix}wal/{seq:020}}. */
public final class WalKeys {
    private WalKeys() {
    }

    public static String key(String namespacePrefix, long seq) {
        return namespacePrefix + "wal/" + String.format("%020d", seq);
    }
}
