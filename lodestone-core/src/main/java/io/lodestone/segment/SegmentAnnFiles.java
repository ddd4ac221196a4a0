package io.lodestone.segment;

import io.lodestone.codec.CorruptObjectException;
import io.lodestone.codec.FrameOutput;
import io.lodestone.codec.MappedFrame;
import io.lodestone.codec.Residency;
import io.lodestone.index.FloatVectorValues;
import io.lodestone.index.clustered.ClusteredIndex;
import io.lodestone.index.clustered.ClusteredIndexWriter;
import io.lodestone.index.clustered.ClusteredParams;
import io.lodestone.index.clustered.RangeEnsurer;
import io.lodestone.index.hnsw.BuildPacer;
import io.lodestone.index.hnsw.HnswGraph;
import io.lodestone.index.hnsw.HnswGraphWriter;
import io.lodestone.index.hnsw.OffHeapHnswGraph;
import io.lodestone.quant.VectorQuantizer;
import io.lodestone.vector.DistanceMetric;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The ANN files of a segment. Each puts its payload at a 64-byte aligned file offset, so it can be read
 * in place from the mapping:
 * <pre>
 * lodestone.segment.hnsw v1:      padding to 64 | graph (io.lodestone.index.hnsw layout)
 * lodestone.segment.codes v1:     int32 paramsLength | quantizer parameters (io.lodestone.quant layout)
 *                                 | padding to 64 | codes[rowCount][codeSize]
 * lodestone.segment.clustered v1: padding to 64 | clustered index (io.lodestone.index.clustered layout)
 * </pre>
 * A segment has either the HNSW files (graph, and codes when quantized) or the clustered file.
 */
public final class SegmentAnnFiles {
    static final String GRAPH_FORMAT = "lodestone.segment.hnsw";
    static final String CODES_FORMAT = "lodestone.segment.codes";
    static final String CLUSTERED_FORMAT = "lodestone.segment.clustered";

    private SegmentAnnFiles() {
    }

    /** Writes a file whose body starts at a 64-byte aligned offset, so it can be read in place from the mapping. */
    private static void writeAligned(Path file, String format, BodyWriter body) throws IOException {
        try (FrameOutput out = FrameOutput.create(file, format, 1)) {
            out.align(64);
            body.write(out);
            out.finish();
        }
    }

    private interface BodyWriter {
        void write(FrameOutput out) throws IOException;
    }

    public static void writeGraph(Path file, HnswGraph graph) throws IOException {
        writeAligned(file, GRAPH_FORMAT, out -> HnswGraphWriter.write(graph, out));
    }

    /**
     * A file's mapping and the structure read in place from it (the HNSW graph, the clustered index).
     *
     * @param frame the mapping, closed with this
     * @param value what was read from it
     */
    public record Mapped<T>(MappedFrame frame, T value) implements AutoCloseable {
        @Override
        public void close() {
            frame.close();
        }
    }

    /** Opens the graph, made present whole (a walk reads any node). */
    public static Mapped<OffHeapHnswGraph> openGraph(Path file, Residency residency, String source) throws IOException {
        return openAligned(file, residency, source, GRAPH_FORMAT, (f, start) -> {
            f.ensureAll();
            return OffHeapHnswGraph.open(f.body().asSlice(start));
        });
    }

    /** Reads the structure of a file from its mapping, whose aligned body starts at {@code start}. */
    private interface BodyReader<T> {
        T read(MappedFrame frame, long start);
    }

    /**
     * Maps a file written by {@link #writeAligned} and reads it; the mapping is closed if that fails, and a body
     * the reader finds inconsistent ({@link IllegalArgumentException}) is reported as corrupt.
     */
    private static <T> Mapped<T> openAligned(Path file, Residency residency, String source, String format, BodyReader<T> reader)
            throws IOException {
        MappedFrame f = MappedFrame.open(file, residency, source, format, 1, 1);
        try {
            return new Mapped<>(f, reader.read(f, SegmentVectorsFile.align(f.bodyOffset()) - f.bodyOffset()));
        } catch (IllegalArgumentException e) {
            f.close();
            throw new CorruptObjectException(source, e.getMessage());
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** Writes the trained quantizer and the codes of every row (row order). */
    public static void writeCodes(Path file, VectorQuantizer quantizer, int rows, java.util.function.IntFunction<float[]> row)
            throws IOException {
        try (FrameOutput out = FrameOutput.create(file, CODES_FORMAT, 1)) {
            ByteArrayOutputStream params = new ByteArrayOutputStream();
            quantizer.write(params);
            out.writeInt(params.size());
            out.write(params.toByteArray(), 0, params.size());
            out.align(64);
            byte[] code = new byte[quantizer.codeSize()];
            for (int r = 0; r < rows; r++) {
                quantizer.encode(row.apply(r), code, 0);
                out.write(code, 0, code.length);
            }
            out.finish();
        }
    }

    /** The mapped quantizer codes. */
    public record Codes(MappedFrame frame, VectorQuantizer quantizer, MemorySegment codes) implements AutoCloseable {
        @Override
        public void close() {
            frame.close();
        }
    }

    /** Opens the codes, made present whole (a walk scores any row). */
    public static Codes openCodes(Path file, Residency residency, String source, int rows) throws IOException {
        MappedFrame f = MappedFrame.open(file, residency, source, CODES_FORMAT, 1, 1);
        try {
            f.ensureAll();
            MemorySegment body = f.body();
            int n = body.get(MappedFrame.INT, 0);
            VectorQuantizer q = VectorQuantizer.read(body.asSlice(4, n));
            long start = SegmentVectorsFile.align(f.bodyOffset() + 4 + n) - f.bodyOffset();
            long expected = (long) rows * q.codeSize();
            if (body.byteSize() - start != expected) {
                throw new CorruptObjectException(source, "codes take " + (body.byteSize() - start) + " bytes; expected "
                        + expected + " for " + rows + " rows of " + q.codeSize());
            }
            return new Codes(f, q, body.asSlice(start, expected));
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** Builds the clustered index of {@code vectors} and writes it. */
    public static void writeClustered(Path file, FloatVectorValues vectors, DistanceMetric metric, ClusteredParams params,
                                      int threads, BuildPacer pacer) throws IOException {
        writeAligned(file, CLUSTERED_FORMAT, out -> ClusteredIndexWriter.write(vectors, metric, params, threads, pacer, out));
    }

    /**
     * Opens the clustered index: only its metadata (at the end of the file, in the tail a remote open already
     * fetched) is made present; each query makes the postings it probes present.
     */
    public static Mapped<ClusteredIndex> openClustered(Path file, Residency residency, String source) throws IOException {
        return openAligned(file, residency, source, CLUSTERED_FORMAT,
                (f, start) -> ClusteredIndex.open(f.body().asSlice(start), ensurer(f, start), source));
    }

    /**
     * Makes the clustered index's metadata present (its end, and more when the centroids outgrow the end a remote
     * open reads) without reading it: fetched ahead, beside the segment's other files, for the first query's open.
     */
    public static void prefetchClusteredMetadata(Path file, Residency residency, String source) throws IOException {
        openAligned(file, residency, source, CLUSTERED_FORMAT, (f, start) -> {
            ClusteredIndex.ensureMetadata(f.body().asSlice(start), ensurer(f, start), source);
            return Boolean.TRUE;
        }).close();
    }

    /** Ensures body ranges of the index that starts at {@code start} of the frame's body; nothing when complete. */
    private static RangeEnsurer ensurer(MappedFrame f, long start) {
        if (f.complete()) return RangeEnsurer.NONE;
        return (offsets, lengths, n) -> {
            long[] inBody = new long[n];
            for (int i = 0; i < n; i++) inBody[i] = start + offsets[i];
            f.ensure(inBody, lengths, n);
        };
    }
}
