package io.lodestone.segment;

import io.lodestone.codec.CorruptObjectException;
import io.lodestone.codec.FrameOutput;
import io.lodestone.codec.MappedFrame;
import io.lodestone.codec.Residency;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The vectors file of a segment: float32 rows, row-major and 64-byte aligned in the file, so they can
 * be scanned and graph-searched straight from the mapping. Over ranged reads the norms and the has-vector bits are
 * fetched on open, rows when they are first read ({@link #ensureRows}, or all of them for {@link #vectors()}). Format {@code lodestone.segment.vectors} v1:
 * <pre>
 * body: int32 dims | int32 rowCount | padding to a 64-byte file offset
 *       | float32 vectors[rowCount][dims] (zeros for rows without a vector)
 *       | float32 norms[rowCount] | int64 hasVector[(rowCount + 63) / 64]
 * </pre>
 */
public final class SegmentVectorsFile implements AutoCloseable {
    static final String FORMAT = "lodestone.segment.vectors";
    static final int VERSION = 1;

    private final MappedFrame frame;
    private final int dims;
    private final int rowCount;
    private final MemorySegment vectors;
    private final MemorySegment norms;
    private final MemorySegment hasVector;
    /** Body offset of row 0's vector. */
    private final long vectorsStart;

    private SegmentVectorsFile(MappedFrame frame, String source) {
        this.frame = frame;
        MemorySegment body = frame.body();
        if (body.byteSize() < 8) throw new CorruptObjectException(source, "vectors body of " + body.byteSize() + " bytes");
        frame.ensure(0, 8);
        dims = body.get(MappedFrame.INT, 0);
        rowCount = body.get(MappedFrame.INT, 4);
        long start = align(frame.bodyOffset() + 8) - frame.bodyOffset();
        long vectorBytes = 4L * dims * rowCount;
        long expected = start + vectorBytes + 4L * rowCount + 8L * ((rowCount + 63) / 64);
        if (dims < 1 || rowCount < 0 || expected != body.byteSize()) {
            throw new CorruptObjectException(source, "vectors body of " + body.byteSize() + " bytes does not fit dims "
                    + dims + " and " + rowCount + " rows (expected " + expected + ")");
        }
        vectors = body.asSlice(start, vectorBytes);
        norms = body.asSlice(start + vectorBytes, 4L * rowCount);
        hasVector = body.asSlice(start + vectorBytes + 4L * rowCount);
        vectorsStart = start;
        frame.ensure(start + vectorBytes, body.byteSize() - start - vectorBytes);
    }


    static long align(long fileOffset) {
        return (fileOffset + 63) & ~63L;
    }

    /** Opens a complete local file (one this server built). */
    public static SegmentVectorsFile open(Path file, String source) throws IOException {
        return open(file, Residency.COMPLETE, source);
    }

    public static SegmentVectorsFile open(Path file, Residency residency, String source) throws IOException {
        return new SegmentVectorsFile(MappedFrame.open(file, residency, source, FORMAT, VERSION, VERSION), source);
    }

    public int dims() {
        return dims;
    }

    public int rowCount() {
        return rowCount;
    }

    /** All vectors, row-major little-endian float32, made present first (a graph walk reads any of them). */
    public MemorySegment vectors() {
        ensureAll();
        return vectors;
    }

    /** All vectors without making them present: read a row only after {@link #ensureRows} for it. */
    public MemorySegment vectorsAsMapped() {
        return vectors;
    }

    /** Whether every row is present (a complete file), so no read needs {@link #ensureRows} first. */
    public boolean complete() {
        return frame.complete();
    }

    /** Makes every vector present (one batch of parallel ranged reads when the file is remote). */
    public void ensureAll() {
        frame.ensure(vectorsStart, 4L * dims * rowCount);
    }

    /** Makes the vectors of {@code n} rows present at once, before they are read. */
    public void ensureRows(int[] rows, int n) {
        if (frame.complete()) return;
        long[] offsets = new long[n];
        long[] lengths = new long[n];
        long rowBytes = 4L * dims;
        for (int i = 0; i < n; i++) {
            offsets[i] = vectorsStart + rowBytes * rows[i];
            lengths[i] = rowBytes;
        }
        frame.ensure(offsets, lengths, n);
    }

    public boolean hasVector(int row) {
        return (hasVector.get(MappedFrame.LONG, 8L * (row >>> 6)) & (1L << (row & 63))) != 0;
    }

    public float norm(int row) {
        return norms.get(MappedFrame.FLOAT, 4L * row);
    }

    /** Copies {@code count} rows from {@code row} into {@code out} (row-major). */
    public void copyRows(int row, int count, float[] out) {
        frame.ensure(vectorsStart + 4L * row * dims, 4L * count * dims);
        MemorySegment.copy(vectors, MappedFrame.FLOAT, 4L * row * dims, out, 0, count * dims);
    }

    /** Copies one row into {@code out} from {@code offset}. */
    public void copyRow(int row, float[] out, int offset) {
        frame.ensure(vectorsStart + 4L * row * dims, 4L * dims);
        MemorySegment.copy(vectors, MappedFrame.FLOAT, 4L * row * dims, out, offset, dims);
    }

    /** Copies norms of {@code count} rows from {@code row}. */
    public void copyNorms(int row, int count, float[] out) {
        MemorySegment.copy(norms, MappedFrame.FLOAT, 4L * row, out, 0, count);
    }

    public float[] vector(int row) {
        float[] v = new float[dims];
        copyRows(row, 1, v);
        return v;
    }

    @Override
    public void close() {
        frame.close();
    }

    /** Writes a vectors file; rows are added in order. */
    public static final class Writer implements AutoCloseable {
        private final FrameOutput out;
        private final int dims;
        private final int rowCount;
        private final float[] norms;
        private final long[] has;
        private final float[] zeros;
        private int rows;

        public Writer(Path file, int dims, int rowCount) throws IOException {
            this.dims = dims;
            this.rowCount = rowCount;
            this.norms = new float[rowCount];
            this.has = new long[(rowCount + 63) / 64];
            this.zeros = new float[dims];
            out = FrameOutput.create(file, FORMAT, VERSION);
            out.writeInt(dims);
            out.writeInt(rowCount);
            out.align(64);
        }

        /** Adds the next row; {@code vector} may be null. */
        public void add(float[] vector) throws IOException {
            if (vector != null) {
                out.writeFloats(vector, 0, dims);
                norms[rows] = io.lodestone.vector.VectorUtil.norm(vector);
                has[rows >>> 6] |= 1L << (rows & 63);
            } else {
                out.writeFloats(zeros, 0, dims);
            }
            rows++;
        }

        public long finish() throws IOException {
            if (rows != rowCount) throw new IllegalStateException("declared " + rowCount + " rows, wrote " + rows);
            out.writeFloats(norms, 0, rowCount);
            for (long h : has) out.writeLong(h);
            return out.finish();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
