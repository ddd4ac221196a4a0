package io.lodestone.segment;

import io.lodestone.codec.BlockTable;
import io.lodestone.codec.Residency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a manifest says about one file of a segment, so that a server opening it over ranged reads fetches in
 * one round trip everything its reader parses on open: the file's size and how many bytes at its start and at its
 * end the open reads. Formats keep that metadata at one end: last, before the block table and trailer, a docs
 * file's ids and offsets, a vectors file's norms, a clustered index's centroids and directory; first a text
 * index's header, norms and dictionary. Without it an open reads the first block and a fixed 512 KiB end, and
 * then, for a large file, the rest of what it needs in a second round trip.
 *
 * @param name      the file's name within its segment ({@code docs}, {@code vectors}, {@code clustered}, ...)
 * @param size      the object's size in bytes
 * @param headBytes bytes at the start of the object that an open reads, a whole number of blocks (or the size)
 * @param endBytes  bytes at the end of the object that an open reads, starting on a block boundary
 */
public record FileExtent(String name, long size, long headBytes, long endBytes) {

    public FileExtent {
        if (size < 0 || headBytes < 0 || endBytes < 0 || headBytes > size || endBytes > size) {
            throw new IllegalArgumentException("file " + name + ": " + headBytes + " + " + endBytes + " open bytes of " + size);
        }
    }

    /** Opens a file's reader (over the given residency) and closes it again: what the extent measures. */
    @FunctionalInterface
    public interface Opener {
        AutoCloseable open(Path file, Residency residency) throws IOException;
    }

    /**
     * Measures the extent of a complete local file by opening it with {@code opener} over a residency that records
     * the ranges the reader asks for: those that join up from the file's start make the head (at least the first
     * block), the rest the end (from the lowest of them, and at least the block table and trailer). The measured
     * reader is the one servers run, so the extent cannot drift from what opens read.
     */
    public static FileExtent measure(String name, Path file, Opener opener) throws IOException {
        long size = Files.size(file);
        Recording recording = new Recording();
        try (AutoCloseable ignored = opener.open(file, recording)) {
            // opening is the measurement
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("closing " + file, e);
        }
        long dataEnd = dataEnd(file, size);
        long block = BlockTable.DEFAULT_BLOCK_SIZE;
        recording.ranges.sort(java.util.Comparator.comparingLong(range -> range[0]));
        long head = Math.min(block, dataEnd);
        long endFrom = dataEnd;
        for (long[] range : recording.ranges) {
            if (range[0] <= head) head = Math.max(head, range[0] + range[1]);
            else endFrom = Math.min(endFrom, range[0]);
        }
        head = Math.min(size, (head + block - 1) / block * block);
        endFrom = endFrom / block * block;
        return new FileExtent(name, size, head, size - endFrom);
    }

    /** The whole object (a file whose reader reads all of it, such as an HNSW graph). */
    public static FileExtent whole(String name, Path file) throws IOException {
        long size = Files.size(file);
        return new FileExtent(name, size, 0, size);
    }

    /** Where a framed file's data ends (its block table starts): read from the trailer. */
    private static long dataEnd(Path file, long size) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(BlockTable.TRAILER_BYTES);
            ch.read(last, size - BlockTable.TRAILER_BYTES);
            return BlockTable.trailer(last.array(), size, file.toString()).dataEnd();
        }
    }

    /** A residency that records the ranges a reader ensures. */
    private static final class Recording implements Residency {
        private final java.util.List<long[]> ranges = new java.util.ArrayList<>();

        @Override
        public synchronized void ensure(long offset, long length) {
            if (length > 0) ranges.add(new long[] {offset, length});
        }
    }
}
