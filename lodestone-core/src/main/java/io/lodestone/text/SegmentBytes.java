package io.lodestone.text;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian reads from a {@link MemorySegment}: fixed-width values, LEB128 varints, packed bits. */
final class SegmentBytes {

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private SegmentBytes() {
    }

    static int readInt(MemorySegment s, long offset) {
        return s.get(INT, offset);
    }

    static long readLong(MemorySegment s, long offset) {
        return s.get(LONG, offset);
    }

    static int readByte(MemorySegment s, long offset) {
        return s.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    /** A cursor that reads varints sequentially. */
    static final class Cursor {
        final MemorySegment s;
        long pos;

        Cursor(MemorySegment s, long pos) {
            this.s = s;
            this.pos = pos;
        }

        int readByte() {
            return s.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
        }

        long readVarLong() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = s.get(ValueLayout.JAVA_BYTE, pos++);
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) return v;
                if (shift >= 63) throw new IllegalStateException("varint longer than 10 bytes at offset " + (pos - 1));
            }
        }

        int readVarInt() {
            long v = readVarLong();
            if (v > 0xFFFFFFFFL) throw new IllegalStateException("varint " + v + " does not fit an int at offset " + pos);
            return (int) v;
        }
    }

    /**
     * Unpacks {@code n} values of {@code bits} bits (LSB first) at {@code offset} into {@code out}: one unaligned
     * 8-byte load per value, so the data must be followed by at least 7 readable bytes (the trailing padding).
     */
    static void unpack(MemorySegment s, long offset, int bits, int n, int[] out) {
        if (bits == 0) {
            java.util.Arrays.fill(out, 0, n, 0);
            return;
        }
        long mask = (1L << bits) - 1;
        long bitPos = 0;
        for (int i = 0; i < n; i++, bitPos += bits) {
            long word = s.get(LONG, offset + (bitPos >>> 3));
            out[i] = (int) ((word >>> (bitPos & 7)) & mask);
        }
    }

    /** Bytes taken by {@code n} packed values of {@code bits} bits. */
    static long packedBytes(int n, int bits) {
        return ((long) n * bits + 7) >>> 3;
    }
}
