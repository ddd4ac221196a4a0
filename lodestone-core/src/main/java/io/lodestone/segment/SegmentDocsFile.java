package io.lodestone.segment;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.BytesWriter;
import io.lodestone.codec.FrameOutput;
import io.lodestone.codec.MappedFrame;
import io.lodestone.codec.ValueCodec;
import io.lodestone.doc.DocId;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Map;

/**
 * The documents file of a segment: ids and attributes, row by row. Format {@code lodestone.segment.docs} v1:
 * <pre>
 * body:  row* | int64 offset[rowCount + 1] | int32 rowCount | int64 offsetTableStart
 * row:   id (ValueCodec) | attributes (ValueCodec)
 * </pre>
 * Offsets are relative to the body start; row r spans [offset[r], offset[r+1]).
 */
public final class SegmentDocsFile {
    static final String FORMAT = "lodestone.segment.docs";
    static final int VERSION = 1;

    private final MappedFrame frame;
    private final MemorySegment body;
    private final int rowCount;
    private final long offsetTable;
    private final String source;

    private SegmentDocsFile(MappedFrame frame, String source) {
        this.frame = frame;
        this.body = frame.body();
        this.source = source;
        long size = body.byteSize();
        this.offsetTable = body.get(MappedFrame.LONG, size - 8);
        this.rowCount = body.get(MappedFrame.INT, size - 12);
    }

    public static SegmentDocsFile open(Path file, String source) throws IOException {
        return new SegmentDocsFile(MappedFrame.open(file, source, FORMAT, VERSION, VERSION), source);
    }

    public int rowCount() {
        return rowCount;
    }

    private BytesReader row(int r) {
        long start = body.get(MappedFrame.LONG, offsetTable + 8L * r);
        long end = body.get(MappedFrame.LONG, offsetTable + 8L * (r + 1));
        byte[] bytes = body.asSlice(start, end - start).toArray(ValueLayout.JAVA_BYTE);
        return new BytesReader(bytes, 0, bytes.length, source + " row " + r);
    }

    public DocId id(int r) {
        return ValueCodec.readId(row(r));
    }

    public Map<String, Object> attributes(int r) {
        BytesReader in = row(r);
        ValueCodec.readId(in);
        return ValueCodec.readAttributes(in);
    }

    public void close() {
        frame.close();
    }

    /** Writes a docs file row by row. */
    public static final class Writer implements AutoCloseable {
        private final FrameOutput out;
        private final long bodyStart;
        private long[] offsets = new long[1024];
        private int rows;

        public Writer(Path file) throws IOException {
            out = FrameOutput.create(file, FORMAT, VERSION);
            bodyStart = out.position();
        }

        public void add(DocId id, Map<String, Object> attributes) throws IOException {
            if (rows + 1 >= offsets.length) offsets = java.util.Arrays.copyOf(offsets, offsets.length * 2);
            offsets[rows++] = out.position() - bodyStart;
            BytesWriter w = new BytesWriter(64);
            ValueCodec.writeId(w, id);
            ValueCodec.writeAttributes(w, attributes);
            out.write(w.array(), 0, w.size());
        }

        public long finish() throws IOException {
            offsets[rows] = out.position() - bodyStart;
            long table = out.position() - bodyStart;
            for (int i = 0; i <= rows; i++) out.writeLong(offsets[i]);
            out.writeInt(rows);
            out.writeLong(table);
            return out.finish();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
