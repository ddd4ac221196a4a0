package io.lodestone.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a storage target keeps its objects, reduced to what tells whether two targets share objects: the same
 * backend and location (an S3 endpoint and bucket) and key paths of which one contains the other.
 *
 * @param location where the key paths are: empty for local directories, endpoint and bucket for S3
 * @param keyPath  the target's root: an absolute directory, or the bucket prefix, ending in '/' (S3: "" for none)
 * @param key      the setting that places the root ({@code path} or {@code prefix}), for messages
 */
record StorageRoot(StorageConfig.Backend backend, String location, String keyPath, String key) {

    /** The root of {@code storage}; empty for the memory backend, whose every store is separate. */
    static Optional<StorageRoot> of(StorageConfig storage) {
        return switch (storage.backend()) {
            case MEMORY -> Optional.empty();
            case LOCAL -> Optional.of(new StorageRoot(storage.backend(), "", directory(storage.path()), "path"));
            case S3 -> Optional.of(new StorageRoot(storage.backend(),
                    endpoint(storage.endpoint()) + " bucket " + storage.bucket().orElse(""),
                    prefix(storage.prefix()), "prefix"));
        };
    }

    /** Whether one root contains the other (or they are the same). */
    boolean overlaps(StorageRoot other) {
        return backend == other.backend && location.equals(other.location)
                && (keyPath.startsWith(other.keyPath) || other.keyPath.startsWith(keyPath));
    }

    /** The root for messages. */
    String describe() {
        return backend == StorageConfig.Backend.LOCAL ? "directory " + keyPath
                : location + (keyPath.isEmpty() ? " (no prefix)" : " prefix " + keyPath);
    }

    /** Absolute, normalized and, where it exists, with links resolved; ends in '/'. */
    private static String directory(Path path) {
        Path p = path.toAbsolutePath().normalize();
        try {
            p = p.toRealPath();
        } catch (IOException e) {
            // not created yet: the normalized path is all there is to compare
        }
        String s = p.toString();
        return s.endsWith("/") ? s : s + "/";
    }

    private static String endpoint(Optional<String> endpoint) {
        return endpoint.map(e -> e.strip().replaceAll("/+$", "").toLowerCase(Locale.ROOT)).orElse("AWS");
    }

    /** As the S3 store reads it: no '/' around it, then one trailing '/'; "" for none. */
    private static String prefix(String prefix) {
        String p = prefix.strip().replaceAll("^/+|/+$", "");
        return p.isEmpty() ? "" : p + "/";
    }
}
