package io.lodestone.index.clustered;

import io.lodestone.codec.FrameOutput;
import io.lodestone.index.FloatVectorValues;
import io.lodestone.index.hnsw.BuildPacer;
import io.lodestone.index.hnsw.HnswGraph;
import io.lodestone.index.hnsw.HnswGraphWriter;
import io.lodestone.quant.RaBitQuantizer;
import io.lodestone.vector.DistanceMetric;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds a clustered index and writes its body (layout in the package comment):
 * <ol>
 *   <li>a seeded sample of rows, at most {@value #SAMPLE_MAX}, is rotated ({@link RaBitQuantizer#rotate}:
 *       distances are unchanged, and centroids trained on rotated rows are rotated centroids, which is
 *       what encoding and scoring need);</li>
 *   <li>{@link BalancedClustering} trains about {@code n / targetPostingSize} centroids on it;</li>
 *   <li>every row is read once, rotated, assigned by {@link ClosureAssigner} to up to
 *       {@code maxReplicas} clusters and encoded relative to each ({@link RaBitQuantizer#encodeResidual}),
 *       on {@code threads} threads, into an off-heap block of {@code n × maxReplicas} code slots (the
 *       vectors themselves are never copied to the heap);</li>
 *   <li>the postings are written cluster by cluster (ordinals ascending), then the metadata.</li>
 * </ol>
 * The bytes depend only on the vectors, metric and parameters, not on the thread count.
 */
public final class ClusteredIndexWriter {

    /** Sample points per cluster the clustering trains on, within [{@value #SAMPLE_MIN}, {@value #SAMPLE_MAX}]. */
    static final int SAMPLE_PER_CLUSTER = 64;
    static final int SAMPLE_MIN = 25_000;
    static final int SAMPLE_MAX = 100_000;
    /** Postings start on 64-byte boundaries of the file (cache lines, and whole sectors for ranged reads). */
    static final int POSTING_ALIGNMENT = 64;
    private static final int CHUNK = 512;
    /**
     * The structured rotation at every dimension: {@code O(D log D)} per row and query instead of
     * {@code D²} (at 384 dimensions the dense one took 12% of a query, and it would dominate a 768-d
     * build); recall on debian-minilm was the same (0.9587 at nprobe 32 with either).
     */
    static final RaBitQuantizer.RotationKind ROTATION = RaBitQuantizer.RotationKind.HADAMARD;

    private ClusteredIndexWriter() {
    }

    /**
     * Builds the index of {@code vectors} (ordinals {@code 0 .. size-1}) and writes its body to
     * {@code out} at its current position (the caller created the {@link FrameOutput} and calls
     * {@code finish()}). Uses {@code threads} threads for CPU work.
     *
     * @throws IllegalArgumentException if the metric is not cosine_distance, euclidean_squared or
     *         dot_product, or {@code threads < 1}
     */
    public static void write(FloatVectorValues vectors, DistanceMetric metric, ClusteredParams params, int threads,
                             FrameOutput out) throws IOException {
        write(vectors, metric, params, threads, BuildPacer.NONE, out);
    }

    /**
     * As {@link #write(FloatVectorValues, DistanceMetric, ClusteredParams, int, FrameOutput)}, with the threads
     * calling {@code pacer} between chunks of rows they assign and encode (the bulk of a build), so that the build
     * can step aside for more urgent work (ingestion).
     */
    public static void write(FloatVectorValues vectors, DistanceMetric metric, ClusteredParams params, int threads,
                             BuildPacer pacer, FrameOutput out) throws IOException {
        Objects.requireNonNull(vectors, "vectors");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(out, "out");
        ClusteredTrailer.metricCode(Objects.requireNonNull(metric, "metric"));
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1; got " + threads);
        }
        int n = vectors.size();
        RaBitQuantizer.Config bits = RaBitQuantizer.Config.withBits(params.codeBits());
        RaBitQuantizer quantizer = RaBitQuantizer.forResiduals(metric, vectors.dimension(), new RaBitQuantizer.Config(
                bits.bits(), bits.epsilon0(), bits.queryBits(), ROTATION), params.seed());
        int padded = quantizer.paddedDimension();
        long start = out.position();
        if (n == 0) {
            writeMetadata(out, start, new float[0], new byte[0], null, new long[0], new int[0], quantizer, 0, params);
            return;
        }
        float[] trained = trainCentroids(vectors, quantizer, params, threads);
        int clusters = trained.length / padded;
        // The file keeps int8 centroids, a quarter of the bytes a cold open reads; rows are assigned and encoded
        // against what those codes stand for, so the reader's centroids are the writer's to the bit.
        byte[] centroidCodes = new byte[trained.length];
        float[] centroidScales = Int8Centroids.quantize(trained, clusters, padded, centroidCodes);
        float[] centroids = Int8Centroids.dequantize(centroidCodes, centroidScales, clusters, padded);
        HnswGraph graph = CentroidSearcher.buildGraph(centroids, clusters, padded);
        CentroidSearcher searcher = new CentroidSearcher(centroids, clusters, padded, graph, true);
        try (Arena arena = Arena.ofShared()) {
            int replicas = params.maxReplicas();
            int[] assigned = new int[Math.multiplyExact(n, replicas)];
            MemorySegment codes = arena.allocate((long) n * replicas * quantizer.codeSize(), 8);
            inParallel(n, threads, pacer, () -> new ClosureAssigner(searcher, replicas, params.closureEpsilon()),
                    (assigner, from, to) -> assignAndEncode(vectors, quantizer, centroids, assigner, replicas, from,
                            to, assigned, codes));
            long[] offsets = new long[clusters];
            int[] counts = new int[clusters];
            writePostings(out, start, assigned, replicas, codes, quantizer.codeSize(), offsets, counts);
            writeMetadata(out, start, centroidScales, centroidCodes, graph, offsets, counts, quantizer, n, params);
        }
    }

    /** Steps 1 and 2: the sample, rotated, and its balanced clustering. */
    private static float[] trainCentroids(FloatVectorValues vectors, RaBitQuantizer quantizer, ClusteredParams params,
                                          int threads) {
        int n = vectors.size();
        int padded = quantizer.paddedDimension();
        long targetClusters = Math.max(1, Math.round((double) n / params.targetPostingSize()));
        int sampleSize = (int) Math.min(n, Math.max(SAMPLE_MIN, Math.min(SAMPLE_MAX, SAMPLE_PER_CLUSTER * targetClusters)));
        int[] sample = sample(n, sampleSize, new Random(BalancedClustering.mix(params.seed(), -1)));
        float[] points = new float[Math.multiplyExact(sampleSize, padded)];
        inParallel(sampleSize, threads, BuildPacer.NONE, () -> null, (unused, from, to) -> {
            for (int i = from; i < to; i++) {
                System.arraycopy(quantizer.rotate(vectors.vector(sample[i])), 0, points, i * padded, padded);
            }
        });
        double leafTarget = (double) params.targetPostingSize() * sampleSize / n;
        return BalancedClustering.train(points, sampleSize, padded, leafTarget, BalancedClustering.mix(params.seed(), -2),
                threads);
    }

    /** {@code size} distinct ordinals of {@code [0, n)}, ascending (so a mapped file is read in order). */
    private static int[] sample(int n, int size, Random random) {
        if (size == n) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] index = new int[n];
        Arrays.setAll(index, i -> i);
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(n - i);
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
        }
        int[] chosen = Arrays.copyOf(index, size);
        Arrays.sort(chosen);
        return chosen;
    }

    /** Step 3 for rows {@code [from, to)}: slot {@code ord·R + j} gets the row's j-th cluster (or -1) and code. */
    private static void assignAndEncode(FloatVectorValues vectors, RaBitQuantizer quantizer, float[] centroids,
                                        ClosureAssigner assigner, int replicas, int from, int to, int[] assigned,
                                        MemorySegment codes) {
        int[] chosen = new int[replicas];
        long codeSize = quantizer.codeSize();
        for (int ord = from; ord < to; ord++) {
            float[] x = quantizer.rotate(vectors.vector(ord));
            int count = assigner.assign(x, chosen);
            for (int j = 0; j < replicas; j++) {
                int slot = ord * replicas + j;
                assigned[slot] = j < count ? chosen[j] : -1;
                if (j < count) {
                    quantizer.encodeResidual(x, centroids, chosen[j], codes, slot * codeSize);
                }
            }
        }
    }

    /** Step 4: each cluster's ordinals then codes, 64-byte aligned; fills the directory. */
    private static void writePostings(FrameOutput out, long start, int[] assigned, int replicas, MemorySegment codes,
                                      int codeSize, long[] offsets, int[] counts) throws IOException {
        int clusters = counts.length;
        for (int c : assigned) {
            if (c >= 0) {
                counts[c]++;
            }
        }
        int[] first = new int[clusters + 1];
        for (int c = 0; c < clusters; c++) {
            first[c + 1] = first[c] + counts[c];
        }
        int[] slots = new int[first[clusters]];
        int[] fill = first.clone();
        for (int slot = 0; slot < assigned.length; slot++) {   // ascending slots: ascending ordinals per cluster
            if (assigned[slot] >= 0) {
                slots[fill[assigned[slot]]++] = slot;
            }
        }
        for (int c = 0; c < clusters; c++) {
            out.align(POSTING_ALIGNMENT);
            offsets[c] = out.position() - start;
            int count = counts[c];
            ByteBuffer posting = ByteBuffer.allocate(count * (4 + codeSize)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = first[c]; i < first[c + 1]; i++) {
                posting.putInt(slots[i] / replicas);
            }
            byte[] bytes = posting.array();
            for (int i = 0; i < count; i++) {
                MemorySegment.copy(codes, ValueLayout.JAVA_BYTE, (long) slots[first[c] + i] * codeSize, bytes,
                        4 * count + i * codeSize, codeSize);
            }
            out.write(bytes, 0, bytes.length);
        }
    }

    /** The centroids (scales, then int8 codes), graph, directory, quantizer and trailer. */
    private static void writeMetadata(FrameOutput out, long start, float[] centroidScales, byte[] centroidCodes,
                                      HnswGraph graph, long[] offsets, int[] counts, RaBitQuantizer quantizer, int size,
                                      ClusteredParams params) throws IOException {
        out.align(POSTING_ALIGNMENT);
        long centroidsOffset = out.position() - start;
        out.writeFloats(centroidScales, 0, centroidScales.length);
        out.write(centroidCodes, 0, centroidCodes.length);
        long graphOffset = out.position() - start;
        if (graph != null) {
            HnswGraphWriter.write(graph, out);
        }
        long directoryOffset = out.position() - start;
        ByteBuffer directory = ByteBuffer.allocate(ClusteredTrailer.DIRECTORY_ENTRY_BYTES * counts.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < counts.length; c++) {
            directory.putLong(offsets[c]).putInt(counts[c]);
        }
        out.write(directory.array(), 0, directory.capacity());
        long quantizerOffset = out.position() - start;
        quantizer.write(out);
        long quantizerLength = out.position() - start - quantizerOffset;
        ClusteredTrailer trailer = new ClusteredTrailer(ClusteredTrailer.VERSION_CURRENT, size, quantizer.dimension(),
                quantizer.metric(), counts.length, quantizer.codeSize(), centroidsOffset, graphOffset,
                directoryOffset - graphOffset, directoryOffset, quantizerOffset, quantizerLength, params);
        byte[] bytes = trailer.toBytes();
        out.write(bytes, 0, bytes.length);
    }

    /** Work on rows {@code [from, to)} with per-thread state. */
    @FunctionalInterface
    interface RangeTask<S> {
        void run(S state, int from, int to);
    }

    /**
     * Runs {@code task} over {@code [0, n)} in chunks of {@value #CHUNK} on {@code threads} threads (the
     * caller's when 1), each thread with its own state, calling {@code pacer} before each chunk.
     */
    static <S> void inParallel(int n, int threads, BuildPacer pacer, java.util.function.Supplier<S> state, RangeTask<S> task) {
        if (threads == 1 || n <= CHUNK) {
            S s = state.get();
            for (int from = 0; from < n; from += CHUNK) {
                pacer.pause();
                task.run(s, from, Math.min(n, from + CHUNK));
            }
            return;
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    S s = state.get();
                    for (int from; (from = next.getAndAdd(CHUNK)) < n; ) {
                        pacer.pause();
                        task.run(s, from, Math.min(n, from + CHUNK));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("build failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
