package io.lodestone.segment;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.CorruptObjectException;
import io.lodestone.codec.Residency;
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
 * The documents file of a segment: ids and attributes, row by row. Format {@code lodestone.segment.docs} v4:
 * <pre>
 * body:  attributes* | row table | id* | int32 flags | int64 firstId | int64 lastId
 *        | int32 rowCount | int64 idsStart | int64 rowTableStart
 * attributes: ValueCodec attributes of one row;  id: ValueCodec id of one row, in row order
 * flags: 1 every id is a u64, 2 the ids ascend with the rows
 * row table, flag 1 set:   (int64 offset, int64 id)[rowCount] | int64 offset (the end); no id* (idsStart = its end),
 *                          firstId and lastId the first and last row's
 * row table, flag 1 clear: int64 offset[rowCount + 1]; firstId and lastId 0
 * </pre>
 * Offsets are relative to the body start; row r's attributes span [offset[r], offset[r+1]). When the ids are all
 * u64s, each sits beside its row's offset, so a reader over ranged reads fetches on open only the trailer, and a row's
 * id and offsets (one 24-byte range) when it reads the row ({@link SegmentIds.Mapped}: at a million rows the ids are
 * 9 MB, a third of what a cold ANN query's open read). Other ids come last, before the trailer, and are fetched on
 * open. Still read: version 3 (offsets, then the ids, always fetched on open), version 2 (ids
 * before the offset table, {@code attributes* | id* | offset[] | trailer}, so an open also fetched the table, 8 MB at
 * a million rows) and version 1, which kept each row's id before its attributes:
 * {@code row* | int64 offset[rowCount + 1] | int32 rowCount | int64 offsetTableStart}.
 */
public final class SegmentDocsFile implements AutoCloseable {
    static final String FORMAT = "lodestone.segment.docs";
    static final int VERSION = 4;
    /** Flag: every id is a u64. */
    static final int IDS_U64 = 1;
    /** Flag: each row's id is greater than the one before. */
    static final int IDS_ASCENDING = 2;
    private static final int V4_TRAILER = 40;
    private static final int V2_TRAILER = 20;
    private static final int V1_TRAILER = 12;

    private final MappedFrame frame;
    private final MemorySegment body;
    private final int rowCount;
    private final long offsetTable;
    /** Bytes from one row's offset to the next's: 16 when each carries its u64 id, else 8. */
    private final int stride;
    private final long idsStart;
    /** End of the ids (exclusive). */
    private final long idsEnd;
    /** {@link #IDS_U64} and {@link #IDS_ASCENDING}, from the trailer (0 before version 4). */
    private final int flags;
    private final String source;

    private SegmentDocsFile(MappedFrame frame, String source) {
        this.frame = frame;
        this.body = frame.body();
        this.source = source;
        long size = body.byteSize();
        boolean v2 = frame.version() >= 2;
        boolean v4 = frame.version() >= 4;
        int trailer = v4 ? V4_TRAILER : v2 ? V2_TRAILER : V1_TRAILER;
        if (size < trailer) throw new CorruptObjectException(source, "docs body of " + size + " bytes");
        if (v2) {
            frame.ensure(size - trailer, trailer);
        } else {
            frame.ensureAll();
        }
        this.offsetTable = body.get(MappedFrame.LONG, size - 8);
        this.idsStart = v2 ? body.get(MappedFrame.LONG, size - 16) : -1;
        this.rowCount = body.get(MappedFrame.INT, size - (v2 ? V2_TRAILER : V1_TRAILER));
        this.flags = v4 ? body.get(MappedFrame.INT, size - V4_TRAILER) : 0;
        boolean idsLast = frame.version() >= 3;
        this.idsEnd = idsLast ? size - trailer : offsetTable;
        this.stride = (flags & IDS_U64) != 0 ? 16 : 8;
        long tableEnd = offsetTable + (long) stride * rowCount + 8;
        boolean consistent = rowCount >= 0 && offsetTable >= 0 && (idsLast
                ? tableEnd == idsStart && idsStart <= size - trailer
                : tableEnd == size - trailer && (!v2 || (idsStart >= 0 && idsStart <= offsetTable)));
        if ((flags & IDS_U64) != 0) consistent &= idsEnd == idsStart;
        if (!consistent || (flags & ~(IDS_U64 | IDS_ASCENDING)) != 0) {
            throw new CorruptObjectException(source, "docs trailer: " + rowCount + " rows, offset table at " + offsetTable
                    + ", ids at " + idsStart + ", flags " + flags + " in " + size + " bytes");
        }
        // Neither the row table (8 or 16 bytes a row, 8 or 16 MB at a million rows) nor the ids in it are read here:
        // they are read for the rows a query reads, so that an open, which every cold query pays for, does not carry them.
        if (v2 && idsEnd > idsStart) frame.ensure(idsStart, idsEnd - idsStart);
    }

    public static SegmentDocsFile open(Path file, Residency residency, String source) throws IOException {
        return new SegmentDocsFile(MappedFrame.open(file, residency, source, FORMAT, 1, VERSION), source);
    }

    public int rowCount() {
        return rowCount;
    }

    /** Row {@code r}'s attributes start here (its offset entry must be present: {@link #ensureOffsets}). */
    private long start(int r) {
        return body.get(MappedFrame.LONG, entry(r));
    }

    /** Where row {@code r}'s entry of the row table starts; the next row's starts {@link #stride} bytes later. */
    private long entry(int r) {
        return offsetTable + (long) stride * r;
    }

    /**
     * Makes the offset entries of {@code n} rows present at once (each row's start and end), before their attributes'
     * ranges can be known, and their ids when those are read by row: a reader that will read the rows' attributes may
     * fetch these beside other reads.
     */
    public void ensureOffsets(int[] rows, int n) {
        ensureRowHeads(rows, n, true);
    }

    /** Makes the ids of {@code n} rows present at once (nothing when the ids were read on open). */
    public void ensureIds(int[] rows, int n) {
        ensureRowHeads(rows, n, false);
    }

    /** With {@code offsets} or ids in the row table, the rows' entries (their start, id and end): one batch. */
    private void ensureRowHeads(int[] rows, int n, boolean offsets) {
        if (frame.complete() || !(offsets || (flags & IDS_U64) != 0)) return;
        long[] starts = new long[n];
        long[] lengths = new long[n];
        for (int i = 0; i < n; i++) {
            starts[i] = entry(rows[i]);
            lengths[i] = stride + 8;
        }
        frame.ensure(starts, lengths, n);
    }

    private BytesReader row(int r) {
        frame.ensure(entry(r), stride + 8);
        long start = start(r);
        long end = start(r + 1);
        frame.ensure(start, end - start);
        byte[] bytes = body.asSlice(start, end - start).toArray(ValueLayout.JAVA_BYTE);
        return new BytesReader(bytes, 0, bytes.length, source + " row " + r);
    }

    /**
     * Every row's id by row number. When every id is a u64 (the region is {@code 9 × rows} bytes, each starting with
     * the u64 tag) they are read in place, one at a time as asked for: at a million rows, decoding them all into
     * objects took a cold open 90 ms and the heap tens of megabytes. Other ids are decoded once, here.
     */
    SegmentIds ids() {
        if ((flags & IDS_U64) != 0) {
            long tail = body.byteSize() - V4_TRAILER;
            SegmentIds.Range range = (flags & IDS_ASCENDING) == 0 ? null
                    : new SegmentIds.Range(new DocId.U64(body.get(MappedFrame.LONG, tail + 4)), new DocId.U64(body.get(MappedFrame.LONG, tail + 12)));
            return new SegmentIds.Mapped(frame, body, offsetTable, rowCount, range);
        }
        if (idsStart >= 0 && idsEnd - idsStart == (long) ValueCodec.U64_ID_BYTES * rowCount) {
            // one copy, then a check of plain array elements: reading the mapping element by element took as long
            // as the decoding it saves, in a loop that runs too rarely to be compiled
            byte[] region = body.asSlice(idsStart, idsEnd - idsStart).toArray(ValueLayout.JAVA_BYTE);
            if (ValueCodec.allU64Ids(region)) return new SegmentIds.FixedU64(region);
        }
        return new SegmentIds.Decoded(decodedIds());
    }

    private DocId[] decodedIds() {
        DocId[] ids = new DocId[rowCount];
        if (idsStart < 0) {
            for (int r = 0; r < rowCount; r++) ids[r] = ValueCodec.readId(row(r));
            return ids;
        }
        byte[] bytes = body.asSlice(idsStart, idsEnd - idsStart).toArray(ValueLayout.JAVA_BYTE);
        BytesReader in = new BytesReader(bytes, 0, bytes.length, source + " ids");
        for (int r = 0; r < rowCount; r++) ids[r] = ValueCodec.readId(in);
        return ids;
    }

    public Map<String, Object> attributes(int r) {
        BytesReader in = row(r);
        if (idsStart < 0) ValueCodec.readId(in);
        return ValueCodec.readAttributes(in);
    }

    /** Makes the attributes of the rows present at once (ranged reads in parallel), before they are read one by one. */
    public void ensureRows(int[] rows, int n) {
        if (frame.complete()) return;
        ensureOffsets(rows, n);
        long[] offsets = new long[n];
        long[] lengths = new long[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = start(rows[i]);
            lengths[i] = start(rows[i] + 1) - offsets[i];
        }
        frame.ensure(offsets, lengths, n);
    }

    /** Whether the file is wholly local. */
    public boolean complete() {
        return frame.complete();
    }

    /** Makes every row's attributes present (a filter or sort that reads all rows). */
    public void ensureAll() {
        frame.ensureAll();
    }

    @Override
    public void close() {
        frame.close();
    }

    /** Writes a docs file row by row. */
    public static final class Writer implements AutoCloseable {
        private final FrameOutput out;
        private final long bodyStart;
        private final BytesWriter ids = new BytesWriter(1024);
        private long[] offsets = new long[1024];
        private int rows;
        private final int version;
        /** Whether every id added so far is a u64, and whether each was greater than the one before. */
        private boolean allU64 = true, ascending = true;
        private DocId last;
        /** The u64 ids' values while every id is one. */
        private long[] u64 = new long[1024];

        public Writer(Path file) throws IOException {
            this(file, VERSION);
        }

        /** A writer of the layout {@code version} (2 to 4): older layouts for the tests that read them. */
        Writer(Path file, int version) throws IOException {
            if (version < 2 || version > VERSION) throw new IllegalArgumentException("docs layout version 2 to 4; got " + version);
            this.version = version;
            out = FrameOutput.create(file, FORMAT, version);
            bodyStart = out.position();
        }

        public void add(DocId id, Map<String, Object> attributes) throws IOException {
            if (rows + 1 >= offsets.length) offsets = java.util.Arrays.copyOf(offsets, offsets.length * 2);
            offsets[rows++] = out.position() - bodyStart;
            BytesWriter w = new BytesWriter(64);
            ValueCodec.writeAttributes(w, attributes);
            out.write(w.array(), 0, w.size());
            ValueCodec.writeId(ids, id);
            ascending &= last == null || last.compareTo(id) < 0;
            last = id;
            if (allU64 && id instanceof DocId.U64 v) {
                if (rows > u64.length) u64 = java.util.Arrays.copyOf(u64, u64.length * 2);
                u64[rows - 1] = v.value();
            } else {
                allU64 = false;
            }
        }

        public long finish() throws IOException {
            offsets[rows] = out.position() - bodyStart;
            long idsStart;
            long table;
            boolean idsInTable = version >= 4 && allU64 && rows > 0;
            if (idsInTable) {
                table = out.position() - bodyStart;
                for (int i = 0; i < rows; i++) {
                    out.writeLong(offsets[i]);
                    out.writeLong(u64[i]);
                }
                out.writeLong(offsets[rows]);
                idsStart = out.position() - bodyStart;
            } else if (version >= 3) {
                table = out.position() - bodyStart;
                for (int i = 0; i <= rows; i++) out.writeLong(offsets[i]);
                idsStart = out.position() - bodyStart;
                out.write(ids.array(), 0, ids.size());
            } else {
                idsStart = out.position() - bodyStart;
                out.write(ids.array(), 0, ids.size());
                table = out.position() - bodyStart;
                for (int i = 0; i <= rows; i++) out.writeLong(offsets[i]);
            }
            if (version >= 4) {
                out.writeInt((idsInTable ? IDS_U64 : 0) | (ascending ? IDS_ASCENDING : 0));
                out.writeLong(idsInTable ? u64[0] : 0);
                out.writeLong(idsInTable ? u64[rows - 1] : 0);
            }
            out.writeInt(rows);
            out.writeLong(idsStart);
            out.writeLong(table);
            return out.finish();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
