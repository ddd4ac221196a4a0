package io.lodestone.cache;

import java.nio.file.Path;

/**
 * A file in the disk tier. Immutable: pinning or verifying makes a new value (so Caffeine weighs it again).
 *
 * @param file       the data file
 * @param size       its length in bytes
 * @param crc        CRC32C of its bytes, as written in the checksum file beside it
 * @param pins       open users (mappings); a pinned entry weighs nothing and so is never evicted
 * @param verified   whether this process has checked the bytes against {@code crc}
 * @param generation distinguishes this entry from a later one for the same key (pins release only their own)
 */
record DiskEntry(Path file, long size, long crc, int pins, boolean verified, long generation) {

    DiskEntry withPins(int n) {
        return new DiskEntry(file, size, crc, n, verified, generation);
    }

    DiskEntry asVerified() {
        return new DiskEntry(file, size, crc, pins, true, generation);
    }
}
