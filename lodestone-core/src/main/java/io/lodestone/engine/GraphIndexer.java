package io.lodestone.engine;

import io.lodestone.index.ArrayVectorValues;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.index.FloatVectorValues;
import io.lodestone.index.MemorySegmentVectorValues;
import io.lodestone.index.clustered.ClusteredParams;
import io.lodestone.index.hnsw.BuildPacer;
import io.lodestone.index.hnsw.HnswGraphBuilder;
import io.lodestone.index.hnsw.HnswParams;
import io.lodestone.index.hnsw.OnHeapHnswGraph;
import io.lodestone.quant.Int8Vectors;
import io.lodestone.quant.ProductQuantizer;
import io.lodestone.quant.QuantizerConfig;
import io.lodestone.quant.RaBitQuantizer;
import io.lodestone.quant.ScalarQuantizer;
import io.lodestone.quant.VectorQuantizer;
import io.lodestone.doc.IndexConfig;
import io.lodestone.segment.SegmentAnnFiles;
import io.lodestone.segment.SegmentKeys;
import io.lodestone.segment.SegmentVectorsFile;
import io.lodestone.segment.SegmentWriter;
import io.lodestone.vector.DistanceMetric;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a segment's ANN files from its vectors file, on all cores: for an HNSW namespace the graph and, when
 * the namespace asks for quantization, the trained quantizer with every row's code; for a clustered namespace
 * the clustered index. Segments where some row has no vector, or that are too small to need one, get none.
 *
 * @param metric  the namespace's metric (must support ANN)
 * @param config  the index type, and HNSW's m, ef_construction and quantization
 * @param threads build threads
 * @param pacer   when the build threads step aside (for ingestion, {@link IngestPacer})
 */
record GraphIndexer(DistanceMetric metric, IndexConfig config, int threads, BuildPacer pacer) implements SegmentWriter.SegmentIndexer {
    /** Below this many rows an exact scan is as fast as a graph. */
    static final int MIN_ROWS = 1024;
    private static final long SEED = 42;
    private static final int TRAINING_SAMPLE = 20_000;

    @Override
    public List<IndexFile> build(Path vectorsFile, Path scratch) throws IOException {
        SegmentVectorsFile v = SegmentVectorsFile.open(vectorsFile, vectorsFile.toString());
        try {
            if (!metric.supportsAnn() || v.rowCount() < MIN_ROWS) return List.of();
            for (int r = 0; r < v.rowCount(); r++) if (!v.hasVector(r)) return List.of();
            FloatVectorValues values = buildValues(v);
            if (config.clustered()) {
                Path file = scratch.resolve(SegmentKeys.CLUSTERED);
                SegmentAnnFiles.writeClustered(file, values, metric, ClusteredParams.defaults(), threads, pacer);
                return List.of(new IndexFile(SegmentKeys.CLUSTERED, file));
            }
            List<IndexFile> files = new ArrayList<>();
            FloatVectorScorerSupplier scorers = FloatVectorScorerSupplier.create(metric, values);
            float[][] sample = Int8Vectors.sample(values, TRAINING_SAMPLE, SEED);
            QuantizerConfig q = quantizer(config.quantization(), v.dims());
            VectorQuantizer quantizer = q == null ? null : q.train(metric, sample, SEED);
            // Candidate searches while building run on int8 codes (the namespace's own with sq8); neighbours are
            // chosen on floats.
            ScalarQuantizer int8 = quantizer instanceof ScalarQuantizer s ? s
                    : ScalarQuantizer.Config.AUTO.train(metric, sample, SEED);
            OnHeapHnswGraph graph = HnswGraphBuilder.build(scorers, Int8Vectors.encode(int8, values),
                    new HnswParams(config.m(), config.efConstruction(), SEED), threads, pacer);
            Path graphFile = scratch.resolve(SegmentKeys.GRAPH);
            SegmentAnnFiles.writeGraph(graphFile, graph);
            files.add(new IndexFile(SegmentKeys.GRAPH, graphFile));
            if (quantizer != null) {
                Path codesFile = scratch.resolve(SegmentKeys.CODES);
                SegmentAnnFiles.writeCodes(codesFile, quantizer, v.rowCount(), v::vector);
                files.add(new IndexFile(SegmentKeys.CODES, codesFile));
            }
            return files;
        } finally {
            v.close();
        }
    }

    /** Largest vector data copied to the heap for building; larger segments build from the mapping. */
    static final long HEAP_BUILD_LIMIT_BYTES = 1L << 30;

    /**
     * The vectors the builder reads. Heap arrays when they fit under {@link #HEAP_BUILD_LIMIT_BYTES}: the
     * builder's kernels run about twice as fast on arrays as on a mapped segment (measured with
     * {@code bench ann --path direct --vectors mmap}).
     */
    private static FloatVectorValues buildValues(SegmentVectorsFile v) {
        long bytes = 4L * v.rowCount() * v.dims();
        if (bytes > HEAP_BUILD_LIMIT_BYTES) return new MemorySegmentVectorValues(v.vectors(), v.dims());
        float[] data = new float[v.rowCount() * v.dims()];
        v.copyRows(0, v.rowCount(), data);
        return ArrayVectorValues.wrap(data, v.dims());
    }

    /** The quantizer a namespace setting names, or null for none. */
    static QuantizerConfig quantizer(String name, int dims) {
        return switch (name) {
            case "none" -> null;
            case "sq8" -> ScalarQuantizer.Config.AUTO;
            case "pq" -> new ProductQuantizer.Config(Math.max(1, dims / 4));
            case "rabitq" -> RaBitQuantizer.Config.withBits(2);
            default -> throw new IllegalArgumentException("unknown quantization '" + name + "'; expected none, sq8, pq or rabitq");
        };
    }
}
