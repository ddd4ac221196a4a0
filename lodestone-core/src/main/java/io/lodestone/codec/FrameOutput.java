package io.lodestone.codec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Streams a framed file of any size to local disk: the same header as {@link Frame}, then the body, then a
 * {@link BlockTable} (a CRC32C per block, computed on the way) so that a reader can verify any byte range
 * without the rest of the file; {@link #finish()} forces the file to the device. Also an {@link OutputStream},
 * so index writers can stream their own bytes into the body. Not thread-safe.
 */
public final class FrameOutput extends OutputStream {
    private final FileChannel channel;
    private final OutputStream out;
    private final BlockTable.Builder blocks = new BlockTable.Builder(BlockTable.DEFAULT_BLOCK_SIZE);
    private final byte[] one = new byte[1];
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private long position;
    private boolean finished;

    private FrameOutput(FileChannel channel, String format, int version) throws IOException {
        this.channel = channel;
        this.out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16);
        writeInt(Frame.HEADER_MAGIC);
        byte[] name = format.getBytes(StandardCharsets.UTF_8);
        writeVarInt(name.length);
        write(name, 0, name.length);
        writeVarInt(version);
    }

    /** Creates (or truncates) {@code file} and writes the header. */
    public static FrameOutput create(Path file, String format, int version) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        return new FrameOutput(ch, format, version);
    }

    @Override
    public void write(int b) throws IOException {
        one[0] = (byte) b;
        write(one, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        blocks.update(b, off, len);
        position += len;
    }

    public void writeInt(int v) throws IOException {
        scratch.clear();
        scratch.putInt(v);
        write(scratch.array(), 0, 4);
    }

    public void writeLong(long v) throws IOException {
        scratch.clear();
        scratch.putLong(v);
        write(scratch.array(), 0, 8);
    }

    public void writeFloat(float v) throws IOException {
        writeInt(Float.floatToRawIntBits(v));
    }

    public void writeVarInt(int v) throws IOException {
        long x = v & 0xFFFFFFFFL;
        while ((x & ~0x7FL) != 0) {
            write((int) ((x & 0x7F) | 0x80));
            x >>>= 7;
        }
        write((int) x);
    }

    /** Writes float32 values little-endian. */
    public void writeFloats(float[] v, int off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v, off, len);
        write(b.array(), 0, len * 4);
    }

    /** Pads with zeros until the position is a multiple of {@code alignment}. */
    public void align(int alignment) throws IOException {
        while (position % alignment != 0) write(0);
    }

    /** Bytes written so far, header included. */
    public long position() {
        return position;
    }

    /** Writes the block table and trailer, forces the file to the device and closes it; returns the file's size. */
    public long finish() throws IOException {
        long dataEnd = position;
        byte[] table = blocks.finish();
        CRC32C crc = new CRC32C();
        crc.update(table, 0, table.length);
        out.write(table, 0, table.length);
        ByteBuffer trailer = ByteBuffer.allocate(BlockTable.TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        trailer.putInt(BlockTable.BLOCK_FOOTER_MAGIC).putLong(dataEnd).putInt((int) crc.getValue());
        out.write(trailer.array(), 0, BlockTable.TRAILER_BYTES);
        out.flush();
        channel.force(true);
        channel.close();
        finished = true;
        return dataEnd + table.length + BlockTable.TRAILER_BYTES;
    }

    @Override
    public void close() throws IOException {
        if (!finished) channel.close();
    }
}
