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
 * be scanned and graph-searched straight from the mapping. Over ranged reads the has-vector bits and flags are fetched
 * on open, and the norms too unless every row's is 1 (then a cosine rerank needs none: 4 MB at a million rows that an
 * open of normalized embeddings does not read); rows, and their norms, when they are first read ({@link #ensureRows},
 * or all of them for {@link #vectors()}). Format {@code lodestone.segment.vectors} v2:
 * <pre>
 * body: int32 dims | int32 rowCount | padding to a 64-byte file offset
 *       | float32 vectors[rowCount][dims] (zeros for rows without a vector)
 *       | float32 norms[rowCount] | int64 hasVector[(rowCount + 63) / 64] | int32 flags
 * flags: 1 every row has a vector of unit norm (FloatVectorScorerSupplier#unitNorm)
 * </pre>
 * Version 1 (still read) has no flags; its norms are fetched on open.
 */
public final class SegmentVectorsFile implements AutoCloseable {
    static final String FORMAT = "lodestone.segment.vectors";
    static final int VERSION = 2;
    /** Flag: every row has a vector of unit norm. */
    static final int UNIT_NORMS = 1;

    private final MappedFrame frame;
    private final int dims;
    private final int rowCount;
    private final MemorySegment vectors;
    private final MemorySegment norms;
    private final MemorySegment hasVector;
    /** Body offset of row 0's vector. */
    private final long vectorsStart;
    /** Body offset of row 0's norm. */
    private final long normsStart;
    /** Every row's norm is 1 (the file says so): the norms are not read on open, each comes with its row. */
    private final boolean unitNorms;

    private SegmentVectorsFile(MappedFrame frame, String source) {
        this.frame = frame;
        MemorySegment body = frame.body();
        if (body.byteSize() < 8) throw new CorruptObjectException(source, "vectors body of " + body.byteSize() + " bytes");
        frame.ensure(0, 8);
        dims = body.get(MappedFrame.INT, 0);
        rowCount = body.get(MappedFrame.INT, 4);
        long start = align(frame.bodyOffset() + 8) - frame.bodyOffset();
        long vectorBytes = 4L * dims * rowCount;
        int flagBytes = frame.version() >= 2 ? 4 : 0;
        long expected = start + vectorBytes + 4L * rowCount + 8L * ((rowCount + 63) / 64) + flagBytes;
        if (dims < 1 || rowCount < 0 || expected != body.byteSize()) {
            throw new CorruptObjectException(source, "vectors body of " + body.byteSize() + " bytes does not fit dims "
                    + dims + " and " + rowCount + " rows (expected " + expected + ")");
        }
        vectors = body.asSlice(start, vectorBytes);
        normsStart = start + vectorBytes;
        norms = body.asSlice(normsStart, 4L * rowCount);
        long hasStart = normsStart + 4L * rowCount;
        hasVector = body.asSlice(hasStart, body.byteSize() - flagBytes - hasStart);
        vectorsStart = start;
        frame.ensure(hasStart, body.byteSize() - hasStart);
        int flags = flagBytes == 0 ? 0 : body.get(MappedFrame.INT, body.byteSize() - 4);
        if ((flags & ~UNIT_NORMS) != 0) throw new CorruptObjectException(source, "vectors flags " + flags);
        unitNorms = (flags & UNIT_NORMS) != 0;
        if (!unitNorms) frame.ensure(normsStart, 4L * rowCount);
    }

    /** Whether every row has a vector of unit norm (the file says so; version 1 files never do). */
    public boolean unitNorms() {
        return unitNorms;
    }


    static long align(long fileOffset) {
        return (fileOffset + 63) & ~63L;
    }

    /** Opens a complete local file (one this server built). */
    public static SegmentVectorsFile open(Path file, String source) throws IOException {
        return open(file, Residency.COMPLETE, source);
    }

    public static SegmentVectorsFile open(Path file, Residency residency, String source) throws IOException {
        return new SegmentVectorsFile(MappedFrame.open(file, residency, source, FORMAT, 1, VERSION), source);
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

    /** Makes every vector and norm present (one batch of parallel ranged reads when the file is remote). */
    public void ensureAll() {
        frame.ensure(vectorsStart, 4L * (dims + 1) * rowCount);
    }

    /** Makes the vectors (and norms, unless present since the open) of {@code n} rows present at once, before they are read. */
    public void ensureRows(int[] rows, int n) {
        if (frame.complete()) return;
        int ranges = unitNorms ? 2 * n : n;
        long[] offsets = new long[ranges];
        long[] lengths = new long[ranges];
        long rowBytes = 4L * dims;
        for (int i = 0; i < n; i++) {
            offsets[i] = vectorsStart + rowBytes * rows[i];
            lengths[i] = rowBytes;
            if (unitNorms) {
                offsets[n + i] = normsStart + 4L * rows[i];
                lengths[n + i] = 4;
            }
        }
        frame.ensure(offsets, lengths, ranges);
    }

    public boolean hasVector(int row) {
        return (hasVector.get(MappedFrame.LONG, 8L * (row >>> 6)) & (1L << (row & 63))) != 0;
    }

    /** Row {@code row}'s norm (fetched first when absent: a caller reading many calls {@link #ensureRows}). */
    public float norm(int row) {
        if (unitNorms) frame.ensure(normsStart + 4L * row, 4);
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
        if (unitNorms) frame.ensure(normsStart + 4L * row, 4L * count);
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
        private final int version;

        public Writer(Path file, int dims, int rowCount) throws IOException {
            this(file, dims, rowCount, VERSION);
        }

        /** A writer of layout {@code version} (1 or 2): the older one for the tests that read it. */
        Writer(Path file, int dims, int rowCount, int version) throws IOException {
            if (version < 1 || version > VERSION) throw new IllegalArgumentException("vectors layout 1 or 2; got " + version);
            this.version = version;
            this.dims = dims;
            this.rowCount = rowCount;
            this.norms = new float[rowCount];
            this.has = new long[(rowCount + 63) / 64];
            this.zeros = new float[dims];
            out = FrameOutput.create(file, FORMAT, version);
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
            if (version >= 2) {
                boolean unit = true;
                for (float n : norms) unit &= io.lodestone.index.FloatVectorScorerSupplier.unitNorm(n); // rows without a vector: 0
                out.writeInt(unit ? UNIT_NORMS : 0);
            }
            return out.finish();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
