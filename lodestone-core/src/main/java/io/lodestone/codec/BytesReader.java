package io.lodestone.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Reader for what {@link BytesWriter} wrote; bounds-checked, reports corruption with the offset. */
public final class BytesReader {
    private final byte[] buf;
    private final int end;
    private final String source;
    private int pos;

    public BytesReader(byte[] buf, int offset, int end, String source) {
        this.buf = buf;
        this.pos = offset;
        this.end = end;
        this.source = source;
    }

    private void need(int n) {
        if (n < 0 || pos + n > end) {
            throw new CorruptObjectException(source, "needs " + n + " bytes at offset " + pos + " but only "
                    + (end - pos) + " remain");
        }
    }

    public int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public int readInt() {
        need(4);
        int v = ByteBuffer.wrap(buf, pos, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        pos += 4;
        return v;
    }

    public long readLong() {
        need(8);
        long v = ByteBuffer.wrap(buf, pos, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        pos += 8;
        return v;
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    public long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new CorruptObjectException(source, "varint longer than 10 bytes at offset " + pos);
    }

    public int readVarInt() {
        long v = readVarLong();
        if (v > Integer.MAX_VALUE) throw new CorruptObjectException(source, "length " + v + " out of range at offset " + pos);
        return (int) v;
    }

    public String readString() {
        int n = readVarInt();
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** {@code n} bytes, copied. */
    public byte[] readBytes(int n) {
        need(n);
        byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    public float[] readFloats(int count) {
        need(count * 4);
        float[] v = new float[count];
        ByteBuffer.wrap(buf, pos, count * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        pos += count * 4;
        return v;
    }

    public int position() {
        return pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    public String source() {
        return source;
    }
}
