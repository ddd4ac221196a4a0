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
 * A framed file mapped into memory with java.lang.foreign and fully verified on open (footer, CRC32C
 * over every byte, format name and version), so a corrupted file is never served. {@link #body()} is
 * the mapped region between header and footer; {@link #bodyOffset()} its offset in the file (for
 * alignment). Closing unmaps it.
 */
public final class MappedFrame implements AutoCloseable {
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Arena arena;
    private final MemorySegment body;
    private final long bodyOffset;
    private final int version;

    private MappedFrame(Arena arena, MemorySegment body, long bodyOffset, int version) {
        this.arena = arena;
        this.body = body;
        this.bodyOffset = bodyOffset;
        this.version = version;
    }

    /** Maps and verifies {@code file}; {@code source} names it in error messages. */
    public static MappedFrame open(Path file, String source, String format, int minVersion, int maxVersion) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < Frame.FOOTER_BYTES + 4) throw new CorruptObjectException(source, "only " + size + " bytes; file truncated?");
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long footer = size - Frame.FOOTER_BYTES;
            int magic = all.get(INT, footer);
            long bodyEnd = all.get(LONG, footer + 4);
            int stored = all.get(INT, footer + 12);
            if (magic != Frame.FOOTER_MAGIC || bodyEnd != footer) {
                throw new CorruptObjectException(source, "bad footer (magic " + Integer.toHexString(magic) + ", length "
                        + bodyEnd + " for " + size + " bytes); file truncated?");
            }
            int actual = crc(all.asSlice(0, footer));
            if (actual != stored) {
                throw new CorruptObjectException(source, "checksum mismatch: expected " + Integer.toHexString(stored)
                        + ", actual " + Integer.toHexString(actual));
            }
            if (all.get(INT, 0) != Frame.HEADER_MAGIC) throw new CorruptObjectException(source, "bad header magic");
            long[] pos = {4};
            int nameLen = (int) varint(all, pos);
            String name = new String(all.asSlice(pos[0], nameLen).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            pos[0] += nameLen;
            if (!name.equals(format)) throw new CorruptObjectException(source, "expected format " + format + ", found " + name);
            int version = (int) varint(all, pos);
            if (version < minVersion || version > maxVersion) {
                throw new CorruptObjectException(source, "format " + format + " version " + version
                        + " not in supported range [" + minVersion + ", " + maxVersion + "]");
            }
            return new MappedFrame(arena, all.asSlice(pos[0], footer - pos[0]), pos[0], version);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
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
