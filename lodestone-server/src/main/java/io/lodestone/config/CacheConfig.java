package io.lodestone.config;

import java.nio.file.Path;

/**
 * {@code [cache]}: memory and local disk in front of object storage.
 *
 * @param memoryBytes {@code memory_bytes}: heap for the memory tier (small immutable objects: deletion vectors),
 *                    a size; default 1 GiB
 * @param diskBytes   {@code disk_bytes}: local disk for copies of segment files fetched from a remote store, a size;
 *                    files of open segments are pinned and come on top; 0 keeps only those; default 10 GiB
 * @param diskPath    {@code disk_path}: directory of the disk cache; default {@code ./cache}
 */
public record CacheConfig(long memoryBytes, long diskBytes, Path diskPath) {

    public static CacheConfig defaults() {
        return new CacheConfig(ByteSize.GiB, 10 * ByteSize.GiB, Path.of("./cache"));
    }

    static CacheConfig bind(Section s) {
        CacheConfig d = defaults();
        return new CacheConfig(
                s.size("memory_bytes", d.memoryBytes(), 0),
                s.size("disk_bytes", d.diskBytes(), 0),
                s.path("disk_path", d.diskPath()));
    }
}
