package io.lodestone.engine;

import io.lodestone.cache.ParallelReads;
import io.lodestone.cache.PinnedFile;
import io.lodestone.index.ExactScorer;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.index.MemorySegmentVectorValues;
import io.lodestone.index.RandomVectorScorer;
import io.lodestone.index.clustered.ClusteredIndex;
import io.lodestone.index.hnsw.OffHeapHnswGraph;
import io.lodestone.segment.OpenedFile;
import io.lodestone.segment.Segment;
import io.lodestone.segment.SegmentAnnFiles;
import io.lodestone.segment.SegmentFiles;
import io.lodestone.segment.SegmentKeys;
import io.lodestone.segment.SegmentVectorsFile;
import io.lodestone.store.ObjectNotFoundException;
import io.lodestone.vector.DistanceMetric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ANN index of a segment, opened on first use and kept with the segment: an HNSW graph ({@link Graph}) or a
 * clustered index ({@link Clustered}), with exact scorers over the segment's vectors for the rerank and the
 * segment's default search width.
 */
final class AnnIndexes {
    private final SegmentFiles files;
    private final String prefix;

    AnnIndexes(SegmentFiles files, String prefix) {
        this.files = files;
        this.prefix = prefix;
    }

    /** Whether segment files come from a remote store (read by ranges) rather than a local one. */
    boolean remote() {
        return !files.store().local();
    }

    /** A segment's ANN index, whichever kind it has. */
    sealed interface Ann extends AutoCloseable permits Graph, Clustered {
        /** The default search width (HNSW's ef, the clustered index's probes), tuned from measured recall. */
        AnnTuning tuning();

        @Override
        void close();
    }

    /**
     * An HNSW index.
     *
     * @param rerankVectors the vectors a walk on codes reranks from (fetched by range when remote), or null
     */
    record Graph(OffHeapHnswGraph graph, FloatVectorScorerSupplier exact, SegmentVectorsFile rerankVectors,
                 SegmentAnnFiles.Codes codes, SegmentAnnFiles.Mapped<OffHeapHnswGraph> graphFile, AnnTuning tuning, List<PinnedFile> pins)
            implements Ann {

        /** The exact scorer for a query; over a remote file it first fetches the rows it is asked to score. */
        ExactScorer exactFor(float[] query) {
            return AnnIndexes.exactFor(exact, rerankVectors, query);
        }

        /** The scorer traversal uses: on codes when there are any, else exact. */
        RandomVectorScorer traversal(float[] query) {
            return codes == null ? exact.forQuery(query) : codes.quantizer().scorer(query, codes.codes());
        }

        @Override
        public void close() {
            graphFile.close();
            if (codes != null) codes.close();
            pins.forEach(PinnedFile::close);
        }
    }

    /**
     * A clustered index: centroids in memory, postings made present by range as queries probe them, and the
     * candidates' full vectors fetched by range for the rerank.
     */
    record Clustered(SegmentAnnFiles.Mapped<ClusteredIndex> file, FloatVectorScorerSupplier exact, SegmentVectorsFile vectors,
                     AnnTuning tuning, PinnedFile pin) implements Ann {
        /** The fewest probes a clustered index starts with, before any measured recall. */
        static final int MIN_INITIAL_PROBES = 24;

        /**
         * Probes a clustered index of {@code clusters} clusters starts with, before any measured recall: 1.5 √K, at
         * least {@link #MIN_INITIAL_PROBES}. A fixed width covers a smaller share of a larger index; measured recall@10
         * (docs/benchmarks.md, "A fresh server's first answers"): debian-minilm (≈ 470 clusters) 0.95 at 32 probes; 1M × 768
         * (two segments, each probed this wide) 0.784 at 24, 0.890 at 48, 0.938 at 96, 0.958 at 192.
         */
        static int initialProbes(int clusters) {
            return Math.max(MIN_INITIAL_PROBES, (int) Math.ceil(1.5 * Math.sqrt(clusters)));
        }

        ClusteredIndex index() {
            return file.value();
        }

        /** Whether the whole file is present, so a probe fetches nothing. */
        boolean complete() {
            return file.frame().complete();
        }

        /** The exact scorer for a query; over a remote file it first fetches the rows it is asked to score. */
        ExactScorer exactFor(float[] query) {
            return AnnIndexes.exactFor(exact, vectors, query);
        }

        @Override
        public void close() {
            file.close();
            pin.close();
        }
    }

    private static ExactScorer exactFor(FloatVectorScorerSupplier exact, SegmentVectorsFile vectors, float[] query) {
        ExactScorer s = exact.forQuery(query);
        return vectors == null || vectors.complete() ? s : new FetchingScorer(s, vectors);
    }

    /**
     * The segment's ANN index for the metric, or empty when the segment has none. {@code clustered}: the kind
     * the namespace builds now, looked for first (a segment built before the namespace changed kind has the other).
     */
    Optional<Ann> forSegment(Segment segment, DistanceMetric metric, boolean clustered) {
        return segment.derived(KEYS.get(metric), () -> {
            Optional<Ann> first = clustered ? openClustered(segment, metric) : openGraph(segment, metric);
            return first.isPresent() ? first : clustered ? openGraph(segment, metric) : openClustered(segment, metric);
        });
    }

    private static final Map<DistanceMetric, String> KEYS = new EnumMap<>(DistanceMetric.class);

    static {
        for (DistanceMetric m : DistanceMetric.values()) KEYS.put(m, "ann:" + m.wireName());
    }

    /** Exact scorers over the mapped vectors, whose rows are read only once made present. */
    private static FloatVectorScorerSupplier rerankScorers(SegmentVectorsFile vectors, DistanceMetric metric) {
        // the same scorer as from the norms, without reading them (a file read by ranges has not fetched them)
        if (vectors.unitNorms()) {
            return FloatVectorScorerSupplier.createForUnitVectors(metric, new MemorySegmentVectorValues(vectors.vectorsAsMapped(), vectors.dims()));
        }
        float[] norms = new float[vectors.rowCount()];
        vectors.copyNorms(0, norms.length, norms);
        return FloatVectorScorerSupplier.create(metric, new MemorySegmentVectorValues(vectors.vectorsAsMapped(), vectors.dims()), norms);
    }

    private Optional<Ann> openClustered(Segment segment, DistanceMetric metric) {
        if (segment.vectors() == null) return Optional.empty();
        String key = SegmentKeys.clustered(prefix, segment.id());
        OpenedFile<SegmentAnnFiles.Mapped<ClusteredIndex>> opened;
        try {
            opened = OpenedFile.open(files, key, true, pin -> SegmentAnnFiles.openClustered(pin.path(), pin.residency(), key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (opened == null) return Optional.empty();
        try {
            SegmentVectorsFile vectors = segment.vectors();
            return Optional.of(new Clustered(opened.file(), rerankScorers(vectors, metric), vectors,
                    new AnnTuning(Clustered.initialProbes(opened.file().value().clusters())), opened.pin()));
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private Optional<Ann> openGraph(Segment segment, DistanceMetric metric) {
        if (segment.vectors() == null) return Optional.empty();
        String graphKey = SegmentKeys.graph(prefix, segment.id());
        String codesKey = SegmentKeys.codes(prefix, segment.id());
        List<PinnedFile> pins = new ArrayList<>(2);
        SegmentAnnFiles.Mapped<OffHeapHnswGraph> g = null;
        SegmentAnnFiles.Codes codes = null;
        try {
            // graph and codes are independent: on a remote store they are fetched at once
            List<OpenedFile<?>> opened = ParallelReads.map(List.of(graphKey, codesKey), !files.store().local(), key -> {
                if (key.equals(graphKey)) {
                    return OpenedFile.open(files, key, false, pin -> SegmentAnnFiles.openGraph(pin.path(), pin.residency(), key));
                }
                OpenedFile<?> c = OpenedFile.open(files, key, true,
                        pin -> SegmentAnnFiles.openCodes(pin.path(), pin.residency(), key, segment.rowCount()));
                if (c == null) segment.vectors().ensureAll(); // a walk on full vectors reads any: fetched beside the graph
                return c;
            }, OpenedFile::close);
            @SuppressWarnings("unchecked")
            var graph = (SegmentAnnFiles.Mapped<OffHeapHnswGraph>) opened.get(0).file();
            g = graph;
            pins.add(opened.get(0).pin());
            codes = opened.get(1) == null ? null : (SegmentAnnFiles.Codes) opened.get(1).file();
            if (codes != null) pins.add(opened.get(1).pin());
            // A walk on codes reads full vectors only to rerank its candidates: those are fetched by range when
            // the file is remote. A walk on full vectors may read any of them: the file is made present whole.
            var vectors = segment.vectors();
            FloatVectorScorerSupplier exact = codes == null
                    ? FloatVectorScorerSupplier.create(metric, new MemorySegmentVectorValues(vectors.vectors(), vectors.dims()))
                    : rerankScorers(vectors, metric);
            return Optional.of(new Graph(g.value(), exact, codes == null ? null : vectors, codes, g,
                    new AnnTuning(AnnTuning.INITIAL_EF), pins));
        } catch (ObjectNotFoundException none) {
            pins.forEach(PinnedFile::close);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            if (g != null) g.close();
            if (codes != null) codes.close();
            pins.forEach(PinnedFile::close);
            if (e instanceof IOException io) throw new UncheckedIOException(io);
            throw (RuntimeException) e;
        }
    }
}
