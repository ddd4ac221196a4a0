package io.lodestone.segment;

import io.lodestone.codec.CorruptObjectException;
import io.lodestone.codec.FrameOutput;
import io.lodestone.codec.MappedFrame;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The vectors file of a segment: float32 rows, row-major and 64-byte aligned in the file, so they can
 * be scanned and graph-searched straight from the mapping. Format {@code lodestone.segment.vectors} v1:
 * <pre>
 * body: int32 dims | int32 rowCount | padding to a 64-byte file offset
 *       | float32 vectors[rowCount][dims] (zeros for rows without a vector)
 *       | float32 norms[rowCount] | int64 hasVector[(rowCount + 63) / 64]
 * </pre>
 */
public final class SegmentVectorsFile {
    static final String FORMAT = "lodestone.segment.vectors";
    static final int VERSION = 1;

    private final MappedFrame frame;
    private final int dims;
    private final int rowCount;
    private final MemorySegment vectors;
    private final MemorySegment norms;
    private final MemorySegment hasVector;

    private SegmentVectorsFile(MappedFrame frame, String source) {
        this.frame = frame;
        MemorySegment body = frame.body();
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
    }

    static long align(long fileOffset) {
        return (fileOffset + 63) & ~63L;
    }

    public static SegmentVectorsFile open(Path file, String source) throws IOException {
        return new SegmentVectorsFile(MappedFrame.open(file, source, FORMAT, VERSION, VERSION), source);
    }

    public int dims() {
        return dims;
    }

    public int rowCount() {
        return rowCount;
    }

    /** All vectors, row-major little-endian float32. */
    public MemorySegment vectors() {
        return vectors;
    }

    public boolean hasVector(int row) {
        return (hasVector.get(MappedFrame.LONG, 8L * (row >>> 6)) & (1L << (row & 63))) != 0;
    }

    public float norm(int row) {
        return norms.get(MappedFrame.FLOAT, 4L * row);
    }

    /** Copies {@code count} rows from {@code row} into {@code out} (row-major). */
    public void copyRows(int row, int count, float[] out) {
        MemorySegment.copy(vectors, MappedFrame.FLOAT, 4L * row * dims, out, 0, count * dims);
    }

    /** Copies one row into {@code out} from {@code offset}. */
    public void copyRow(int row, float[] out, int offset) {
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
