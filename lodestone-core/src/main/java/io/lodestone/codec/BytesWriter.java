package io.lodestone.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Growable little-endian byte buffer with varints and length-prefixed strings. Not thread-safe. */
public final class BytesWriter {
    private byte[] buf;
    private int size;

    public BytesWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) size + extra);
            if (want > Integer.MAX_VALUE - 16) throw new IllegalStateException("encoded object exceeds 2 GiB");
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    public BytesWriter writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    public BytesWriter writeInt(int v) {
        ensure(4);
        ByteBuffer.wrap(buf, size, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(v);
        size += 4;
        return this;
    }

    public BytesWriter writeLong(long v) {
        ensure(8);
        ByteBuffer.wrap(buf, size, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        size += 8;
        return this;
    }

    public BytesWriter writeDouble(double v) {
        return writeLong(Double.doubleToRawLongBits(v));
    }

    /** Unsigned LEB128 varint. */
    public BytesWriter writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
        return this;
    }

    public BytesWriter writeVarInt(int v) {
        return writeVarLong(v & 0xFFFFFFFFL);
    }

    public BytesWriter writeString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarInt(b.length);
        return writeBytes(b, 0, b.length);
    }

    public BytesWriter writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    public BytesWriter writeFloats(float[] v) {
        ensure(v.length * 4);
        ByteBuffer.wrap(buf, size, v.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(v);
        size += v.length * 4;
        return this;
    }

    public int size() {
        return size;
    }

    /** The internal array; valid up to {@link #size()}. */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
