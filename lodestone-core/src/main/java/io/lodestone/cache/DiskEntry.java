package io.lodestone.cache;

import java.nio.file.Path;

/**
 * A file in the disk tier: a whole object, or a {@link SparseFile} filled block by block. Immutable: pinning or
 * verifying makes a new value (so Caffeine weighs it again).
 *
 * @param file       the data file
 * @param size       its length in bytes (for a sparse file, the object's length)
 * @param crc        CRC32C of a whole file's bytes, as written in the checksum file beside it (0 for a sparse file)
 * @param pins       open users (mappings); a pinned entry weighs nothing and so is never evicted
 * @param verified   whether this process has checked the bytes against {@code crc} (a sparse file verifies each
 *                   block as it arrives)
 * @param generation distinguishes this entry from a later one for the same key (pins release only their own)
 * @param sparse     the block state of a sparse file, or null for a whole file
 */
record DiskEntry(Path file, long size, long crc, int pins, boolean verified, long generation, SparseFile sparse) {

    DiskEntry withPins(int n) {
        return new DiskEntry(file, size, crc, n, verified, generation, sparse);
    }

    DiskEntry asVerified() {
        return new DiskEntry(file, size, crc, pins, true, generation, sparse);
    }

    /** Bytes this entry holds on disk: what it counts against the budget once unpinned. */
    long heldBytes() {
        return sparse == null ? size : sparse.residentBytes();
    }
}
