package io.lodestone.index.clustered;

import io.lodestone.codec.CorruptObjectException;
import io.lodestone.index.AcceptOrds;
import io.lodestone.index.ExactScorer;
import io.lodestone.index.TopOrds;
import io.lodestone.index.hnsw.HnswGraph;
import io.lodestone.index.hnsw.OffHeapHnswGraph;
import io.lodestone.quant.Neighbor;
import io.lodestone.quant.RaBitQuantizer;
import io.lodestone.quant.ResidualQuery;
import io.lodestone.quant.Reranker;
import io.lodestone.quant.VectorQuantizer;
import io.lodestone.vector.DistanceMetric;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * The read side of a clustered index over a mapped body whose bytes may be absent until ensured.
 * {@link #open} reads the trailer and the metadata (rotated centroids, centroid graph, directory,
 * RaBitQ parameters) onto the heap; postings are read in place from the body, after
 * {@link #ensurePostings} made them present. A query:
 * <ol>
 *   <li>{@link #prepare}: normalize (cosine) and rotate the query once;</li>
 *   <li>{@link #probe}: its nearest clusters, at most {@code nprobe}, dropping every cluster
 *       {@code c_i} with {@code d(q, c_i) > (1 + pruneEpsilon)·d(q, c_1)} (SPANN's query-aware
 *       pruning; squared Euclidean distances to the centroids, whatever the metric);</li>
 *   <li>{@link #ensurePostings}: one batch of ranged reads for all their postings;</li>
 *   <li>{@link #search}: the postings nearest first, every code of a posting scored in one batch
 *       ({@link ResidualQuery#scan}, the query's residual to the posting's centroid quantized once),
 *       replicas merged, rejected rows dropped; the rows
 *       whose lower bound is at most the k-th smallest upper bound get exact distances in one
 *       {@link ExactScorer#distances(int[], int, float[])} call, and the top k by exact distance
 *       (ties by ordinal) are returned.</li>
 * </ol>
 * Immutable and thread-safe.
 */
public final class ClusteredIndex {

    /**
     * Pruning factor of {@link #probe(float[], int)}: clusters farther than {@code 1 + ε} times the
     * nearest one's squared distance are skipped. Tuned on debian-minilm (package comment).
     */
    public static final float DEFAULT_PRUNE_EPSILON = 0.5f;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment body;
    private final RangeEnsurer ensure;
    private final String source;
    private final ClusteredTrailer trailer;
    private final float[] centroids;
    private final long[] offsets;
    private final int[] counts;
    private final int largestPosting;
    private final RaBitQuantizer quantizer;
    private final CentroidSearcher centroidSearcher;
    private final long graphBytes;

    private ClusteredIndex(MemorySegment body, RangeEnsurer ensure, String source, ClusteredTrailer trailer,
                           float[] centroids, HnswGraph graph, long graphBytes, long[] offsets, int[] counts,
                           RaBitQuantizer quantizer) {
        this.body = body;
        this.ensure = ensure;
        this.source = source;
        this.trailer = trailer;
        this.centroids = centroids;
        this.offsets = offsets;
        this.counts = counts;
        int largest = 0;
        for (int c : counts) {
            largest = Math.max(largest, c);
        }
        this.largestPosting = largest;
        this.quantizer = quantizer;
        this.graphBytes = graphBytes;
        this.centroidSearcher = new CentroidSearcher(centroids, trailer.clusters(), trailer.padded(), graph, false);
    }

    /**
     * Reads the trailer and metadata (ensuring them through {@code ensure}: the trailer, then the
     * metadata sections in one call) and validates them.
     *
     * @param source names the body in error messages
     * @throws CorruptObjectException naming the field, on anything inconsistent
     */
    public static ClusteredIndex open(MemorySegment body, RangeEnsurer ensure, String source) {
        ClusteredTrailer t = metadata(body, ensure, source);
        int clusters = t.clusters();
        int padded = t.padded();
        float[] centroids = readCentroids(body, t);
        HnswGraph graph = readGraph(body, t, source);
        long[] offsets = new long[clusters];
        int[] counts = new int[clusters];
        RaBitQuantizer quantizer = readQuantizer(body, t, source);
        readDirectory(body, t, quantizer.codeSize(), offsets, counts, source);
        return new ClusteredIndex(body, ensure, source, t, centroids, graph, t.graphLength(), offsets, counts, quantizer);
    }

    /**
     * Makes the trailer and the metadata sections present (the trailer, then the metadata in one call) without
     * reading them further: what {@link #open} reads first, for a caller that only wants the bytes fetched ahead.
     *
     * @throws CorruptObjectException naming the field, on an inconsistent trailer
     */
    public static void ensureMetadata(MemorySegment body, RangeEnsurer ensure, String source) {
        metadata(body, ensure, source);
    }

    /** The trailer, validated, with the metadata sections made present. */
    private static ClusteredTrailer metadata(MemorySegment body, RangeEnsurer ensure, String source) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(ensure, "ensure");
        long length = body.byteSize();
        if (length >= ClusteredTrailer.BYTES) {
            ensure.ensure(new long[] {length - ClusteredTrailer.BYTES}, new long[] {ClusteredTrailer.BYTES}, 1);
        }
        ClusteredTrailer t = ClusteredTrailer.read(body, source);
        long metadataEnd = length - ClusteredTrailer.BYTES;
        ensure.ensure(new long[] {t.centroidsOffset()}, new long[] {metadataEnd - t.centroidsOffset()}, 1);
        return t;
    }

    /** The rotated centroids: stored as floats (version 1), or computed from their int8 codes as the writer did. */
    private static float[] readCentroids(MemorySegment body, ClusteredTrailer t) {
        int clusters = t.clusters();
        int padded = t.padded();
        if (t.version() == 1) {
            float[] centroids = new float[Math.multiplyExact(clusters, padded)];
            MemorySegment.copy(body, FLOAT, t.centroidsOffset(), centroids, 0, centroids.length);
            return centroids;
        }
        float[] scales = new float[clusters];
        MemorySegment.copy(body, FLOAT, t.centroidsOffset(), scales, 0, clusters);
        byte[] codes = new byte[Math.multiplyExact(clusters, padded)];
        MemorySegment.copy(body, ValueLayout.JAVA_BYTE, t.centroidsOffset() + 4L * clusters, codes, 0, codes.length);
        return Int8Centroids.dequantize(codes, scales, clusters, padded);
    }

    private static HnswGraph readGraph(MemorySegment body, ClusteredTrailer t, String source) {
        boolean expected = CentroidSearcher.needsGraph(t.clusters());
        ClusteredTrailer.check(source, (t.graphLength() > 0) == expected, "graph length",
                expected ? "> 0 for " + t.clusters() + " clusters" : "0 for " + t.clusters() + " clusters",
                t.graphLength());
        if (!expected) {
            return null;
        }
        byte[] bytes = body.asSlice(t.graphOffset(), t.graphLength()).toArray(ValueLayout.JAVA_BYTE);
        try {
            OffHeapHnswGraph graph = OffHeapHnswGraph.open(MemorySegment.ofArray(bytes));
            ClusteredTrailer.check(source, graph.size() == t.clusters(), "graph size", String.valueOf(t.clusters()),
                    graph.size());
            return graph;
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException(source, "clustered index centroid graph: " + e.getMessage());
        }
    }

    private static RaBitQuantizer readQuantizer(MemorySegment body, ClusteredTrailer t, String source) {
        VectorQuantizer q;
        try {
            q = VectorQuantizer.read(body.asSlice(t.quantizerOffset(), t.quantizerLength()));
        } catch (CorruptObjectException e) {
            throw new CorruptObjectException(source, "clustered index quantizer: " + e.getMessage());
        }
        ClusteredTrailer.check(source, q instanceof RaBitQuantizer, "quantizer kind", "RaBitQ", q);
        ClusteredTrailer.check(source, q.metric() == t.metric() && q.dimension() == t.dims(), "quantizer metric and dims",
                t.metric().wireName() + "/" + t.dims(), q.metric().wireName() + "/" + q.dimension());
        ClusteredTrailer.check(source, q.codeSize() == t.codeSize(), "code size", String.valueOf(q.codeSize()),
                t.codeSize());
        return (RaBitQuantizer) q;
    }

    /** Postings in cluster order, each after the previous and before the centroids; counts add up. */
    private static void readDirectory(MemorySegment body, ClusteredTrailer t, int codeSize, long[] offsets,
                                      int[] counts, String source) {
        long end = 0;
        long total = 0;
        for (int c = 0; c < offsets.length; c++) {
            long at = t.directoryOffset() + (long) ClusteredTrailer.DIRECTORY_ENTRY_BYTES * c;
            long offset = body.get(LONG, at);
            int count = body.get(INT, at + 8);
            ClusteredTrailer.check(source, count >= 0 && count <= t.size(), "posting " + c + " count",
                    "in [0, " + t.size() + "]", count);
            long postingEnd = offset + (long) count * (4 + codeSize);
            ClusteredTrailer.check(source, offset >= end && postingEnd <= t.centroidsOffset(), "posting " + c + " offset",
                    "in [" + end + ", " + (t.centroidsOffset() - (long) count * (4 + codeSize)) + "]", offset);
            offsets[c] = offset;
            counts[c] = count;
            end = postingEnd;
            total += count;
        }
        long max = (long) t.size() * t.params().maxReplicas();
        ClusteredTrailer.check(source, total >= t.size() && total <= max, "posting entries",
                "in [" + t.size() + ", " + max + "]", total);
    }

    /** Rows. */
    public int size() {
        return trailer.size();
    }

    /** Vector dimension. */
    public int dims() {
        return trailer.dims();
    }

    /** The metric of the codes and of the exact distances returned. */
    public DistanceMetric metric() {
        return trailer.metric();
    }

    /** Number of clusters K. */
    public int clusters() {
        return trailer.clusters();
    }

    /** The parameters the index was built with. */
    public ClusteredParams params() {
        return trailer.params();
    }

    /**
     * Bytes held in memory to serve queries (centroids, their int8 copies for a flat probe, directory,
     * centroid graph, rotation).
     */
    public long residentBytes() {
        return centroidSearcher.heapBytes() + graphBytes + 12L * offsets.length + quantizer.heapBytes();
    }

    /** Rows in each posting (for stats/tests). */
    public int postingSize(int cluster) {
        return counts[Objects.checkIndex(cluster, counts.length)];
    }

    private void checkOrdinals(int cluster, long offset, int[] ords, int count) {
        for (int i = 0; i < count; i++) {
            int ord = ords[i];
            if (ord < 0 || ord >= size()) {
                throw new CorruptObjectException(source, "posting " + cluster + " entry " + i + " at body offset "
                        + (offset + 4L * i) + ": ordinal " + ord + " not in [0, " + size() + ")");
            }
        }
    }

    /** The ordinals of posting {@code cluster}, ascending (ensurePostings first; for tests). */
    int[] postingOrdinals(int cluster) {
        int[] ords = new int[postingSize(cluster)];
        MemorySegment.copy(body, INT, offsets[cluster], ords, 0, ords.length);
        return ords;
    }

    /** A query ready to probe and search: normalized for cosine, rotated once. */
    public record PreparedQuery(float[] rotated) {
    }

    /**
     * Prepares {@code q} for {@link #probe(PreparedQuery, int, float)} and
     * {@link #search(PreparedQuery, int[], int, AcceptOrds, ExactScorer)}, which then share the rotation.
     *
     * @throws IllegalArgumentException if {@code q} has the wrong dimension
     */
    public PreparedQuery prepare(float[] q) {
        return new PreparedQuery(quantizer.rotate(q));
    }

    /** Nearest clusters to q, at most nprobe, after query-aware pruning with {@link #DEFAULT_PRUNE_EPSILON}; nearest first. */
    public int[] probe(float[] q, int nprobe) {
        return probe(prepare(q), nprobe, DEFAULT_PRUNE_EPSILON);
    }

    /**
     * Nearest clusters to the query, at most {@code nprobe}, without those whose squared distance
     * exceeds {@code (1 + pruneEpsilon)} times the nearest one's (no pruning when the nearest is at
     * distance 0); nearest first.
     *
     * @throws IllegalArgumentException if {@code nprobe < 1} or {@code pruneEpsilon} is negative or NaN
     */
    public int[] probe(PreparedQuery q, int nprobe, float pruneEpsilon) {
        if (nprobe < 1) {
            throw new IllegalArgumentException("nprobe must be >= 1; got " + nprobe);
        }
        if (!(pruneEpsilon >= 0)) {
            throw new IllegalArgumentException("pruneEpsilon must be >= 0; got " + pruneEpsilon);
        }
        int count = Math.min(nprobe, clusters());
        int[] ids = new int[count];
        float[] distances = new float[count];
        int n = centroidSearcher.probe(q.rotated(), count, ids, distances);
        int kept = n;
        if (n > 0 && distances[0] > 0) {
            float limit = (1 + pruneEpsilon) * distances[0];
            kept = 1;
            while (kept < n && distances[kept] <= limit) {
                kept++;
            }
        }
        return kept == ids.length ? ids : java.util.Arrays.copyOf(ids, kept);
    }

    /**
     * Makes the postings of {@code clusters} present, all in ONE ensure call (one batch of parallel
     * ranged reads), even when there is nothing to fetch.
     *
     * @throws IndexOutOfBoundsException if a cluster is not in {@code [0, clusters())}
     */
    public void ensurePostings(int[] clusters) {
        long[] at = new long[clusters.length];
        long[] lengths = new long[clusters.length];
        int n = 0;
        for (int c : clusters) {
            Objects.checkIndex(c, counts.length);
            if (counts[c] > 0) {
                at[n] = offsets[c];
                lengths[n] = postingBytes(c);
                n++;
            }
        }
        ensure.ensure(at, lengths, n);
    }

    /** Bytes of posting {@code c}: ordinals then codes. */
    private long postingBytes(int c) {
        return (long) counts[c] * (4 + quantizer.codeSize());
    }

    /** Searches the postings of {@code clusters} (ensurePostings must have been called); exact distances. */
    public TopOrds search(float[] q, int[] clusters, int k, AcceptOrds accept, ExactScorer exact) {
        return search(prepare(q), clusters, k, accept, exact);
    }

    /**
     * The {@code k} nearest accepted rows of the postings of {@code clusters} by exact distance, nearest
     * first, ties by ordinal; fewer only when those postings hold fewer accepted rows.
     *
     * @param accept which rows may be returned; null for all
     * @param exact  the exact scorer of the same query over the rows' full vectors: called once
     * @throws IllegalArgumentException if {@code k < 1}
     * @throws IndexOutOfBoundsException if a cluster is not in {@code [0, clusters())}
     * @throws CorruptObjectException if a posting holds an ordinal outside {@code [0, size)}
     */
    public TopOrds search(PreparedQuery q, int[] clusters, int k, AcceptOrds accept, ExactScorer exact) {
        return rerank(select(q, clusters, k, accept), exact, k);
    }

    /**
     * The rows a search must rerank: every accepted row of the postings whose RaBitQ lower bound is at most the
     * k-th smallest upper bound ({@code ords[0, count)}, distinct). Split from {@link #rerank} so that a caller
     * over ranged reads can fetch the full vectors of several indexes' selections in one batch.
     *
     * @param ords  the rows, distinct, in no particular order
     * @param count how many of {@code ords} to rerank
     * @param lower the lower bounds of their distances, in the same order
     * @param upper their upper bounds
     */
    public record Selection(int[] ords, int count, float[] lower, float[] upper) {
    }

    /**
     * The selections of several indexes over distinct rows (the segments of one namespace) narrowed to what a search
     * for the {@code k} nearest of all of them must rerank: the rows whose lower bound is at most the k-th smallest
     * upper bound across every selection. Each segment chose its rows for its own k nearest; most of those cannot be
     * among the k nearest of all, and over ranged reads every row reranked is a request.
     */
    public static List<Selection> narrowed(List<Selection> selections, int k) {
        int total = 0;
        for (Selection s : selections) total += s.count();
        if (selections.size() < 2 || total <= k) return selections;
        float[] uppers = new float[total];
        int at = 0;
        for (Selection s : selections) {
            System.arraycopy(s.upper(), 0, uppers, at, s.count());
            at += s.count();
        }
        float threshold = Candidates.kthSmallest(uppers, total, k);
        List<Selection> out = new java.util.ArrayList<>(selections.size());
        for (Selection s : selections) {
            int[] ords = new int[s.count()];
            float[] lower = new float[s.count()];
            float[] upper = new float[s.count()];
            int kept = 0;
            for (int i = 0; i < s.count(); i++) {
                if (s.lower()[i] <= threshold) {
                    ords[kept] = s.ords()[i];
                    lower[kept] = s.lower()[i];
                    upper[kept++] = s.upper()[i];
                }
            }
            out.add(new Selection(ords, kept, lower, upper));
        }
        return out;
    }

    /**
     * Scores the codes of the postings of {@code clusters} (ensurePostings must have been called) and returns the
     * rows to rerank for the {@code k} nearest accepted rows; see {@link #search}.
     */
    public Selection select(PreparedQuery q, int[] clusters, int k, AcceptOrds accept) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1; got " + k);
        }
        Candidates candidates = new Candidates(k);
        ResidualQuery residuals = quantizer.residualQuery(q.rotated());
        int[] ords = new int[largestPosting];
        float[] estimates = new float[largestPosting];
        float[] bounds = new float[largestPosting];
        java.util.BitSet scanned = new java.util.BitSet(counts.length);
        // In the order given (nearest first from probe): the candidates' running threshold falls
        // fastest when the nearest rows come first, and then keeps most later rows out.
        for (int c : clusters) {
            if (scanned.get(Objects.checkIndex(c, counts.length))) {
                continue;   // each posting once
            }
            scanned.set(c);
            int count = counts[c];
            if (count == 0) {
                continue;
            }
            long offset = offsets[c];
            MemorySegment.copy(body, INT, offset, ords, 0, count);
            checkOrdinals(c, offset, ords, count);
            residuals.scan(centroids, c, body, offset + 4L * count, count, estimates, bounds);
            // The threshold only falls, so a row above it now cannot be reranked: most rows stop here.
            float threshold = candidates.threshold();
            for (int i = 0; i < count; i++) {
                float low = estimates[i] - bounds[i];
                if (low <= threshold && (accept == null || accept.accept(ords[i]))) {
                    candidates.add(ords[i], low, estimates[i] + bounds[i]);
                }
            }
        }
        int count = candidates.rerankSet(k);
        return new Selection(candidates.ords(), count, candidates.lower(), candidates.upper());
    }

    /** The {@code k} nearest of a selection by exact distance, nearest first, ties by ordinal. */
    public TopOrds rerank(Selection selected, ExactScorer exact, int k) {
        if (selected.count() == 0) {
            return new TopOrds(new int[0], new float[0]);
        }
        List<Neighbor> top = Reranker.rerankDistinct(selected.ords(), selected.count(), exact, k);
        int[] resultOrds = new int[top.size()];
        float[] distances = new float[top.size()];
        for (int i = 0; i < resultOrds.length; i++) {
            resultOrds[i] = top.get(i).ordinal();
            distances[i] = top.get(i).distance();
        }
        return new TopOrds(resultOrds, distances);
    }
}
