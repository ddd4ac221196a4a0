package io.lodestone.segment;

/** Object keys of a namespace's index, under its data prefix. */
public final class SegmentKeys {
    private SegmentKeys() {
    }

    public static String manifest(String prefix, long version) {
        return prefix + "manifest/" + io.lodestone.wal.WalKeys.digits20(version);
    }

    /** The version a manifest key names, or -1 when the key is not a manifest's (see {@link io.lodestone.wal.WalKeys#digits20Of}). */
    public static long manifestVersion(String manifestKey) {
        return io.lodestone.wal.WalKeys.digits20Of(manifestKey);
    }

    /** The manifest keys of a listing, in its order, without keys that are not manifests'. */
    public static java.util.List<String> onlyManifests(java.util.List<String> keys) {
        return keys.stream().filter(k -> manifestVersion(k) >= 0).toList();
    }

    public static String manifests(String prefix) {
        return prefix + "manifest/";
    }

    public static String segmentPrefix(String prefix, String segmentId) {
        return prefix + "segments/" + segmentId + "/";
    }

    public static String segments(String prefix) {
        return prefix + "segments/";
    }

    public static String docs(String prefix, String segmentId) {
        return segmentPrefix(prefix, segmentId) + "docs";
    }

    public static String vectors(String prefix, String segmentId) {
        return segmentPrefix(prefix, segmentId) + "vectors";
    }

    /** File names within a segment. */
    public static final String GRAPH = "hnsw";
    public static final String CODES = "codes";
    public static final String CLUSTERED = "clustered";

    public static String graph(String prefix, String segmentId) {
        return segmentPrefix(prefix, segmentId) + GRAPH;
    }

    public static String codes(String prefix, String segmentId) {
        return segmentPrefix(prefix, segmentId) + CODES;
    }

    public static String clustered(String prefix, String segmentId) {
        return segmentPrefix(prefix, segmentId) + CLUSTERED;
    }

    public static String deletes(String prefix, String segmentId, long manifestVersion) {
        return segmentPrefix(prefix, segmentId) + "deletes-" + io.lodestone.wal.WalKeys.digits20(manifestVersion);
    }

    /** A new segment id; it starts with the creation time so orphans can be aged. */
    public static String newSegmentId() {
        return String.format("%013d-%08x", System.currentTimeMillis(), java.util.concurrent.ThreadLocalRandom.current().nextInt());
    }

    /** Creation time encoded in a segment id, or 0 when it has none. */
    public static long createdAt(String segmentId) {
        int dash = segmentId.indexOf('-');
        try {
            return dash > 0 ? Long.parseLong(segmentId.substring(0, dash)) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
