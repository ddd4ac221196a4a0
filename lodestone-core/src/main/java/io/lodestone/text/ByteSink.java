package io.lodestone.text;

import java.util.Arrays;

/** A growable little-endian byte buffer with LEB128 varints and LSB-first bit packing. Not thread-safe. */
final class ByteSink {

    private byte[] bytes;
    private int size;

    ByteSink(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    int size() {
        return size;
    }

    byte[] array() {
        return bytes;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
    }

    ByteSink writeByte(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
        return this;
    }

    ByteSink writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
        return this;
    }

    ByteSink writeInt(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) bytes[size++] = (byte) (v >>> (8 * i));
        return this;
    }

    ByteSink writeLong(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) bytes[size++] = (byte) (v >>> (8 * i));
        return this;
    }

    ByteSink writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
        return this;
    }

    ByteSink writeVarInt(int v) {
        return writeVarLong(v & 0xFFFFFFFFL);
    }

    /** Packs {@code n} values of {@code bits} bits each (LSB first), padded to a whole byte. */
    ByteSink writePacked(int[] values, int n, int bits) {
        if (bits == 0) return this;
        int len = (int) (((long) n * bits + 7) >>> 3);
        ensure(len);
        long acc = 0;
        int filled = 0;
        int out = size;
        for (int i = 0; i < n; i++) {
            acc |= (values[i] & 0xFFFFFFFFL) << filled;
            filled += bits;
            while (filled >= 8) {
                bytes[out++] = (byte) acc;
                acc >>>= 8;
                filled -= 8;
            }
        }
        if (filled > 0) bytes[out++] = (byte) acc;
        size = out;
        return this;
    }

    /** Bits needed for the largest of {@code values[0, n)} (0 when all are 0). */
    static int bitsRequired(int[] values, int n) {
        int or = 0;
        for (int i = 0; i < n; i++) or |= values[i];
        return 32 - Integer.numberOfLeadingZeros(or);
    }
}
