package io.lodestone.codec;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A framed file mapped into memory with java.lang.foreign. A complete file is verified on open (every block
 * against its {@link BlockTable} checksum, or the whole-file CRC32C of the older {@link Frame} footer), so a
 * corrupted file is never served. A file the cache fills by ranged reads is verified block by block as its
 * {@link Residency} fetches them: readers call {@link #ensure} for a range of the body before reading it.
 * {@link #body()} is the mapped region between header and block table; {@link #bodyOffset()} its offset in the
 * file (for alignment). Closing unmaps it.
 */
public final class MappedFrame implements AutoCloseable {
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Bytes read to parse a header (magic, format name, version): more than any format name needs. */
    private static final int HEADER_PROBE_BYTES = 512;

    private final Arena arena;
    private final MemorySegment body;
    private final long bodyOffset;
    private final int version;
    private final Residency residency;
    private final String source;

    private MappedFrame(Arena arena, MemorySegment body, long bodyOffset, int version, Residency residency, String source) {
        this.arena = arena;
        this.body = body;
        this.bodyOffset = bodyOffset;
        this.version = version;
        this.residency = residency;
        this.source = source;
    }

    /** Maps and verifies a complete {@code file}; {@code source} names it in error messages. */
    public static MappedFrame open(Path file, String source, String format, int minVersion, int maxVersion) throws IOException {
        return open(file, Residency.COMPLETE, source, format, minVersion, maxVersion);
    }

    /**
     * Maps {@code file}, whose trailer and block table are present; the data is verified now when the file is
     * complete, else as {@code residency} fetches it.
     */
    public static MappedFrame open(Path file, Residency residency, String source, String format, int minVersion,
                                   int maxVersion) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < Frame.FOOTER_BYTES + 4) throw new CorruptObjectException(source, "only " + size + " bytes; file truncated?");
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            byte[] last = all.asSlice(size - BlockTable.TRAILER_BYTES).toArray(ValueLayout.JAVA_BYTE);
            BlockTable.Trailer trailer = BlockTable.trailer(last, size, source);
            long dataEnd = trailer.dataEnd();
            if (!trailer.blocks()) {
                if (!residency.complete()) throw new IllegalArgumentException(source + ": a whole-file frame cannot be read by ranges");
                int actual = crc(all.asSlice(0, dataEnd));
                if (actual != trailer.checksum()) {
                    throw new CorruptObjectException(source, "checksum mismatch: expected " + Integer.toHexString(trailer.checksum())
                            + ", actual " + Integer.toHexString(actual));
                }
            } else if (residency.complete()) {
                byte[] table = all.asSlice(dataEnd, trailer.tableBytes(size)).toArray(ValueLayout.JAVA_BYTE);
                BlockTable.parse(table, trailer, source).verifyAll(all, source);
            } else {
                residency.ensure(0, Math.min(dataEnd, HEADER_PROBE_BYTES));
            }
            if (dataEnd < 4 || all.get(INT, 0) != Frame.HEADER_MAGIC) throw new CorruptObjectException(source, "bad header magic");
            long[] pos = {4};
            int nameLen = (int) varint(all, pos);
            if (nameLen < 0 || pos[0] + nameLen > Math.min(dataEnd, HEADER_PROBE_BYTES)) {
                throw new CorruptObjectException(source, "bad format name length " + nameLen);
            }
            String name = new String(all.asSlice(pos[0], nameLen).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            pos[0] += nameLen;
            if (!name.equals(format)) throw new CorruptObjectException(source, "expected format " + format + ", found " + name);
            int version = (int) varint(all, pos);
            if (version < minVersion || version > maxVersion) {
                throw new CorruptObjectException(source, "format " + format + " version " + version
                        + " not in supported range [" + minVersion + ", " + maxVersion + "]");
            }
            return new MappedFrame(arena, all.asSlice(pos[0], dataEnd - pos[0]), pos[0], version, residency, source);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Makes {@code length} bytes of the body from {@code offset} present before they are read from {@link #body()}
     * (nothing to do for a complete file). A storage failure is unchecked here: readers run inside queries.
     */
    public void ensure(long offset, long length) {
        if (residency.complete() || length <= 0) return;
        try {
            residency.ensure(bodyOffset + offset, length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(source + ": " + e.getMessage(), e);
        }
    }

    /** Makes {@code n} ranges of the body present at once (offsets relative to the body). */
    public void ensure(long[] offsets, long[] lengths, int n) {
        if (residency.complete() || n == 0) return;
        long[] inFile = new long[n];
        for (int i = 0; i < n; i++) inFile[i] = bodyOffset + offsets[i];
        try {
            residency.ensure(inFile, lengths, n);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(source + ": " + e.getMessage(), e);
        }
    }

    /** Makes the whole body present (for structures read in place everywhere: a graph, codes). */
    public void ensureAll() {
        ensure(0, body.byteSize());
    }

    /** Whether the whole file is present (a complete file, or every block fetched). */
    public boolean complete() {
        return residency.complete();
    }
    private static int crc(MemorySegment s) {
        CRC32C crc = new CRC32C();
        long chunk = 1 << 26;
        for (long off = 0; off < s.byteSize(); off += chunk) {
            crc.update(s.asSlice(off, Math.min(chunk, s.byteSize() - off)).asByteBuffer());
        }
        return (int) crc.getValue();
    }

    private static long varint(MemorySegment s, long[] pos) {
        long v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = s.get(ValueLayout.JAVA_BYTE, pos[0]++);
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new IllegalStateException("varint too long");
    }

    public MemorySegment body() {
        return body;
    }

    public long bodyOffset() {
        return bodyOffset;
    }

    public int version() {
        return version;
    }

    @Override
    public void close() {
        arena.close();
    }
}
