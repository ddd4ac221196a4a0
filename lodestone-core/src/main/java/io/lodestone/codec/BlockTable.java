package io.lodestone.codec;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The block checksums at the end of a block-framed file, so any byte range can be verified without reading the
 * whole file: the data (header and body) is cut into blocks of {@link #blockSize()} bytes (the last may be
 * shorter), each with its own CRC32C. Layout after the data, written by {@link FrameOutput}:
 * <pre>
 * table:   int32 blockSize | int32 crc32c[blockCount]
 * trailer: int32 BLOCK_FOOTER_MAGIC | int64 dataEnd | int32 CRC32C(table)
 * </pre>
 * The trailer has the length and position of the older whole-file footer ({@link Frame}), so the magic at
 * {@code size - 16} tells the two apart. Immutable.
 */
public final class BlockTable {
    /** Magic of a block-framed file's trailer ("BLK!"). */
    static final int BLOCK_FOOTER_MAGIC = 0x424C4B21;
    /** Bytes of the trailer. */
    public static final int TRAILER_BYTES = 16;
    /**
     * Block size new files are written with: one page, so a ranged read of one row (a vector to rerank, a document
     * to return) fetches little more than the row; contiguous blocks are still fetched by one request. The table
     * costs 4 bytes per block (0.1%).
     */
    public static final int DEFAULT_BLOCK_SIZE = 4 * 1024;

    private final int blockSize;
    private final long dataEnd;
    private final int[] crcs;

    private BlockTable(int blockSize, long dataEnd, int[] crcs) {
        this.blockSize = blockSize;
        this.dataEnd = dataEnd;
        this.crcs = crcs;
    }

    /** What the last {@link #TRAILER_BYTES} of a file say: which framing, and where its data ends. */
    public record Trailer(boolean blocks, long dataEnd, int checksum) {
        /** Bytes of the block table of a block-framed file of {@code fileSize} bytes. */
        public long tableBytes(long fileSize) {
            return fileSize - TRAILER_BYTES - dataEnd;
        }
    }

    /**
     * Reads a trailer (the file's last 16 bytes). A whole-file footer is returned with {@code blocks} false.
     *
     * @throws CorruptObjectException when it is neither framing, or its lengths do not fit {@code fileSize}
     */
    public static Trailer trailer(byte[] last16, long fileSize, String source) {
        ByteBuffer b = ByteBuffer.wrap(last16).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt();
        long dataEnd = b.getLong();
        int checksum = b.getInt();
        if (magic == Frame.FOOTER_MAGIC && dataEnd == fileSize - Frame.FOOTER_BYTES) return new Trailer(false, dataEnd, checksum);
        if (magic == BLOCK_FOOTER_MAGIC && dataEnd >= 0 && dataEnd <= fileSize - TRAILER_BYTES - 4) {
            return new Trailer(true, dataEnd, checksum);
        }
        throw new CorruptObjectException(source, "bad footer (magic " + Integer.toHexString(magic) + ", length " + dataEnd
                + " for " + fileSize + " bytes); file truncated?");
    }

    /**
     * Parses and verifies a block table.
     *
     * @param table the bytes between the data and the trailer
     */
    public static BlockTable parse(byte[] table, Trailer trailer, String source) {
        CRC32C crc = new CRC32C();
        crc.update(table, 0, table.length);
        if ((int) crc.getValue() != trailer.checksum()) {
            throw new CorruptObjectException(source, "block table checksum mismatch: expected "
                    + Integer.toHexString(trailer.checksum()) + ", actual " + Integer.toHexString((int) crc.getValue()));
        }
        ByteBuffer b = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        int blockSize = b.getInt();
        if (blockSize <= 0) throw new CorruptObjectException(source, "block size " + blockSize);
        long count = (trailer.dataEnd() + blockSize - 1) / blockSize;
        if (table.length != 4 + 4 * count) {
            throw new CorruptObjectException(source, "block table of " + table.length + " bytes for " + count + " blocks");
        }
        int[] crcs = new int[(int) count];
        for (int i = 0; i < crcs.length; i++) crcs[i] = b.getInt();
        return new BlockTable(blockSize, trailer.dataEnd(), crcs);
    }

    public int blockSize() {
        return blockSize;
    }

    /** Bytes of data (header and body) the blocks cover; the table starts here. */
    public long dataEnd() {
        return dataEnd;
    }

    public int blockCount() {
        return crcs.length;
    }

    /** Offset of the block's first byte. */
    public long blockStart(int block) {
        return (long) block * blockSize;
    }

    /** Length of the block (the last one may be short). */
    public int blockLength(int block) {
        return (int) Math.min(blockSize, dataEnd - blockStart(block));
    }

    /** The block holding byte {@code offset} (offset below {@link #dataEnd()}). */
    public int blockOf(long offset) {
        return (int) (offset / blockSize);
    }

    /** Whether {@code length} bytes of {@code bytes} from {@code from} are block {@code block} as written. */
    public boolean matches(int block, byte[] bytes, int from) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, from, blockLength(block));
        return (int) crc.getValue() == crcs[block];
    }

    /** Whether the block's bytes in {@code data} (a mapping of the file) are as written. */
    public boolean matches(int block, MemorySegment data) {
        CRC32C crc = new CRC32C();
        crc.update(data.asSlice(blockStart(block), blockLength(block)).asByteBuffer());
        return (int) crc.getValue() == crcs[block];
    }

    /** Verifies every block of a complete file's mapping; throws naming the first block that differs. */
    public void verifyAll(MemorySegment file, String source) {
        for (int b = 0; b < crcs.length; b++) {
            if (!matches(b, file)) {
                throw new CorruptObjectException(source, "checksum mismatch in block " + b + " (bytes " + blockStart(b)
                        + ".." + (blockStart(b) + blockLength(b)) + ")");
            }
        }
    }

    /** Accumulates block checksums while a file is written. Not thread-safe. */
    static final class Builder {
        private final int blockSize;
        private final CRC32C current = new CRC32C();
        private int filled;
        private int[] crcs = new int[16];
        private int count;

        Builder(int blockSize) {
            this.blockSize = blockSize;
        }

        void update(byte[] b, int off, int len) {
            while (len > 0) {
                int n = Math.min(len, blockSize - filled);
                current.update(b, off, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == blockSize) closeBlock();
            }
        }

        private void closeBlock() {
            if (count == crcs.length) crcs = java.util.Arrays.copyOf(crcs, count * 2);
            crcs[count++] = (int) current.getValue();
            current.reset();
            filled = 0;
        }

        /** The table bytes (block size and checksums); closes the last partial block. */
        byte[] finish() {
            if (filled > 0) closeBlock();
            ByteBuffer out = ByteBuffer.allocate(4 + 4 * count).order(ByteOrder.LITTLE_ENDIAN);
            out.putInt(blockSize);
            for (int i = 0; i < count; i++) out.putInt(crcs[i]);
            return out.array();
        }
    }
}
