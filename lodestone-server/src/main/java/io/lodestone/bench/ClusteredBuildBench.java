package io.lodestone.bench;

import io.lodestone.codec.FrameOutput;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.index.hnsw.BuildPacer;
import io.lodestone.index.hnsw.HnswGraph;
import io.lodestone.index.hnsw.HnswGraphBuilder;
import io.lodestone.index.hnsw.HnswParams;
import io.lodestone.quant.Int8Vectors;
import io.lodestone.quant.ScalarQuantizer;
import io.lodestone.segment.SegmentAnnFiles;
import picocli.CommandLine;
import io.lodestone.index.MemorySegmentVectorValues;
import io.lodestone.index.clustered.ClusteredIndexWriter;
import io.lodestone.index.clustered.ClusteredParams;
import io.lodestone.vector.DistanceMetric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code lodestone bench clustered-build}: the clustered index's build at scale, on synthetic data.
 * Writes {@code --n} seeded Gaussian-mixture vectors of {@code --dim} floats to a file (streamed, never
 * held on the heap), maps it, builds the clustered index into a framed file and prints one JSON line:
 * build seconds, process CPU seconds, the heap's peak use (all heap pools, so run it with the
 * {@code -Xmx} to check) and the index file's size. Run the JVM with {@code LODESTONE_JAVA_OPTS=-Xmx2g}
 * to check the heap bound. {@code --index hnsw} builds the HNSW graph the indexer would instead (M 16,
 * ef_construction 200, candidate searches on int8 codes, as {@code engine.GraphIndexer} does for a segment whose
 * vectors do not fit its heap copy), for the comparison.
 */
@Command(name = "clustered-build", description = "Clustered (or, for comparison, HNSW) index build time and peak heap on"
        + " synthetic vectors (one JSON line).")
final class ClusteredBuildBench implements Callable<Integer> {

    @Option(names = "--n", defaultValue = "1000000", description = "vectors")
    int n;
    @Option(names = "--dim", defaultValue = "768")
    int dim;
    @Option(names = "--components", defaultValue = "1000", description = "Gaussian blobs the vectors are drawn around")
    int components;
    @Option(names = "--metric", defaultValue = "euclidean_squared")
    String metric;
    @Option(names = "--threads", defaultValue = "2")
    int threads;
    @Option(names = "--seed", defaultValue = "42")
    long seed;
    @Option(names = "--index", defaultValue = "clustered", description = "clustered | hnsw")
    String index;
    @Option(names = "--dir", description = "where the vector and index files go (default: the temporary directory)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (!index.equals("hnsw") && !index.equals("clustered")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--index must be clustered or hnsw; got " + index);
        }
        Path base = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
        Path vectorsFile = Files.createTempFile(base, "clustered-build", ".vec");
        Path indexFile = Files.createTempFile(base, "clustered-build", ".idx");
        vectorsFile.toFile().deleteOnExit();
        indexFile.toFile().deleteOnExit();
        try (Arena arena = Arena.ofShared()) {
            long t0 = System.nanoTime();
            MemorySegment data = writeVectors(vectorsFile, arena);
            System.err.printf(Locale.ROOT, "# %d × %d vectors written in %.1f s to %s%n", n, dim,
                    (System.nanoTime() - t0) / 1e9, vectorsFile);
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            long cpu0 = AnnBench.processCpuNanos();
            long t1 = System.nanoTime();
            MemorySegmentVectorValues values = new MemorySegmentVectorValues(data, dim);
            DistanceMetric m = DistanceMetric.parse(metric);
            if (index.equals("hnsw")) {
                ScalarQuantizer int8 = ScalarQuantizer.Config.AUTO.train(m, Int8Vectors.sample(values, 20_000, seed), seed);
                HnswGraph graph = HnswGraphBuilder.build(FloatVectorScorerSupplier.create(m, values),
                        Int8Vectors.encode(int8, values), new HnswParams(16, 200, seed), threads, BuildPacer.NONE);
                SegmentAnnFiles.writeGraph(indexFile, graph);
            } else if (index.equals("clustered")) {
                try (FrameOutput out = FrameOutput.create(indexFile, "bench-clustered", 1)) {
                    ClusteredIndexWriter.write(values, m, ClusteredParams.defaults(), threads, out);
                    out.finish();
                }
            }
            double buildS = (System.nanoTime() - t1) / 1e9;
            long peakHeap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peakHeap += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf(Locale.ROOT, "{\"index\": \"%s\", \"n\": %d, \"dim\": %d, \"metric\": \"%s\", \"threads\": %d, \"build_s\": %.1f, "
                            + "\"process_cpu_s\": %.1f, \"peak_heap_mb\": %.0f, \"max_heap_mb\": %.0f, \"file_mb\": %.1f}%n",
                    index, n, dim, metric, threads, buildS, (AnnBench.processCpuNanos() - cpu0) / 1e9, peakHeap / 1048576.0,
                    Runtime.getRuntime().maxMemory() / 1048576.0, Files.size(indexFile) / 1048576.0);
        } finally {
            Files.deleteIfExists(vectorsFile);
            Files.deleteIfExists(indexFile);
        }
        return 0;
    }

    /** Seeded blobs: each vector is a random centre plus unit Gaussian noise times 0.4, streamed to a mapped file. */
    private MemorySegment writeVectors(Path file, Arena arena) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        float[] centers = new float[components * dim];
        for (int i = 0; i < centers.length; i++) {
            centers[i] = (float) random.nextGaussian();
        }
        ValueLayout.OfFloat le = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment s = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4L * n * dim, arena);
            float[] row = new float[dim];
            for (int i = 0; i < n; i++) {
                int c = random.nextInt(components) * dim;
                for (int j = 0; j < dim; j++) {
                    row[j] = centers[c + j] + 0.4f * (float) random.nextGaussian();
                }
                MemorySegment.copy(row, 0, s, le, 4L * i * dim, dim);
            }
            return s.asReadOnly();
        }
    }
}
