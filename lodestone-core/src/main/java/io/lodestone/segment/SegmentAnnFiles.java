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

    public static void writeGraph(Path file, HnswGraph graph) throws IOException {
        try (FrameOutput out = FrameOutput.create(file, GRAPH_FORMAT, 1)) {
            out.align(64);
            HnswGraphWriter.write(graph, out);
            out.finish();
        }
    }

    /** The mapped graph, read in place. */
    public record Graph(MappedFrame frame, OffHeapHnswGraph graph) implements AutoCloseable {
        @Override
        public void close() {
            frame.close();
        }
    }

    /** Opens the graph, made present whole (a walk reads any node). */
    public static Graph openGraph(Path file, Residency residency, String source) throws IOException {
        MappedFrame f = MappedFrame.open(file, residency, source, GRAPH_FORMAT, 1, 1);
        try {
            f.ensureAll();
            long start = SegmentVectorsFile.align(f.bodyOffset()) - f.bodyOffset();
            return new Graph(f, OffHeapHnswGraph.open(f.body().asSlice(start)));
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
                                      int threads) throws IOException {
        try (FrameOutput out = FrameOutput.create(file, CLUSTERED_FORMAT, 1)) {
            out.align(64);
            ClusteredIndexWriter.write(vectors, metric, params, threads, out);
            out.finish();
        }
    }

    /** The mapped clustered index; its postings are read by range as queries probe them. */
    public record Clustered(MappedFrame frame, ClusteredIndex index) implements AutoCloseable {
        @Override
        public void close() {
            frame.close();
        }
    }

    /**
     * Opens the clustered index: only its metadata (at the end of the file, in the tail a remote open already
     * fetched) is made present; each query makes the postings it probes present.
     */
    public static Clustered openClustered(Path file, Residency residency, String source) throws IOException {
        MappedFrame f = MappedFrame.open(file, residency, source, CLUSTERED_FORMAT, 1, 1);
        try {
            long start = SegmentVectorsFile.align(f.bodyOffset()) - f.bodyOffset();
            RangeEnsurer ensure = (offsets, lengths, n) -> {
                long[] inBody = new long[n];
                for (int i = 0; i < n; i++) inBody[i] = start + offsets[i];
                f.ensure(inBody, lengths, n);
            };
            return new Clustered(f, ClusteredIndex.open(f.body().asSlice(start), f.complete() ? RangeEnsurer.NONE : ensure, source));
        } catch (IllegalArgumentException e) {
            f.close();
            throw new CorruptObjectException(source, e.getMessage());
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }
}
