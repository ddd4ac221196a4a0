package io.lodestone.index.hnsw;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes an {@link HnswGraph} in the byte layout that {@link OffHeapHnswGraph} reads: format
 * version {@value #VERSION_CURRENT}, all values little-endian int32, laid out as the package
 * comment ({@code package-info.java}) describes. Unused neighbour slots are written as -1, so a
 * graph always serializes to the same bytes. The caller frames the bytes (header, footer, CRC).
 */
public final class HnswGraphWriter {

    /** The layout version written, the first int of the layout. */
    public static final int VERSION_CURRENT = 1;

    /** The header: version, size, m, maxConn0, numLevels, entryNode. */
    static final int HEADER_BYTES = 6 * Integer.BYTES;

    private static final int CHUNK = 1 << 16;

    private HnswGraphWriter() {
    }

    /** The number of bytes {@link #write} produces for {@code graph}. */
    public static long byteSize(HnswGraph graph) {
        long bytes = HEADER_BYTES + 4L * graph.size() * (1 + graph.maxConn(0));
        for (int level = 1; level < graph.numLevels(); level++) {
            long nodes = graph.nodesOnLevel(level).length;
            bytes += 4L + 4L * nodes * (2 + graph.maxConn(level));
        }
        return bytes;
    }

    /**
     * Writes {@code graph} to {@code out} (not closed, not flushed); returns the number of bytes
     * written. The graph must not change meanwhile.
     */
    public static long write(HnswGraph graph, OutputStream out) throws IOException {
        IntSink sink = new IntSink(out);
        int size = graph.size();
        int maxConn0 = graph.maxConn(0);
        int m = graph.maxConn(1);
        sink.put(VERSION_CURRENT);
        sink.put(size);
        sink.put(m);
        sink.put(maxConn0);
        sink.put(graph.numLevels());
        sink.put(graph.entryNode());
        int[] buf = new int[Math.max(maxConn0, m)];
        for (int node = 0; node < size; node++) {
            writeList(sink, graph, 0, node, buf, maxConn0);
        }
        for (int level = 1; level < graph.numLevels(); level++) {
            int[] nodes = graph.nodesOnLevel(level);
            sink.put(nodes.length);
            for (int node : nodes) {
                sink.put(node);
            }
            for (int node : nodes) {
                writeList(sink, graph, level, node, buf, m);
            }
        }
        sink.flush();
        return sink.written;
    }

    private static void writeList(IntSink sink, HnswGraph graph, int level, int node, int[] buf, int slots)
            throws IOException {
        int count = graph.neighbors(level, node, buf);
        sink.put(count);
        for (int i = 0; i < slots; i++) {
            sink.put(i < count ? buf[i] : -1);
        }
    }

    /** Buffers little-endian ints into chunks. */
    private static final class IntSink {
        private final OutputStream out;
        private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        private long written;

        IntSink(OutputStream out) {
            this.out = out;
        }

        void put(int value) throws IOException {
            if (buffer.remaining() < Integer.BYTES) {
                flush();
            }
            buffer.putInt(value);
            written += Integer.BYTES;
        }

        void flush() throws IOException {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }
}
