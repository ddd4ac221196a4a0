package io.lodestone.engine;

import io.lodestone.cache.ParallelReads;
import io.lodestone.cache.PinnedFile;
import io.lodestone.index.ExactScorer;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.index.MemorySegmentVectorValues;
import io.lodestone.index.RandomVectorScorer;
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
import java.util.List;
import java.util.Optional;

/**
 * The ANN index of a segment, opened on first use and kept with the segment: the mapped HNSW graph,
 * exact scorers over the mapped vectors, the quantizer codes when the segment has them, and the
 * segment's default search width.
 */
final class AnnIndexes {
    private final SegmentFiles files;
    private final String prefix;

    AnnIndexes(SegmentFiles files, String prefix) {
        this.files = files;
        this.prefix = prefix;
    }

    /**
     * A segment's ANN index, and its default search width tuned from measured recall.
     *
     * @param rerankVectors the vectors a walk on codes reranks from (fetched by range when remote), or null
     */
    record Ann(OffHeapHnswGraph graph, FloatVectorScorerSupplier exact, SegmentVectorsFile rerankVectors,
               SegmentAnnFiles.Codes codes, SegmentAnnFiles.Graph graphFile, AnnTuning tuning, List<PinnedFile> pins)
            implements AutoCloseable {

        /** The exact scorer for a query; over a remote file it first fetches the rows it is asked to score. */
        ExactScorer exactFor(float[] query) {
            ExactScorer s = exact.forQuery(query);
            return rerankVectors == null || rerankVectors.complete() ? s : new FetchingScorer(s, rerankVectors);
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

    /** The segment's ANN index for the metric, or empty when the segment has no graph. */
    Optional<Ann> forSegment(Segment segment, DistanceMetric metric) {
        return segment.derived(KEYS.get(metric), () -> open(segment, metric));
    }

    private static final java.util.Map<DistanceMetric, String> KEYS = new java.util.EnumMap<>(DistanceMetric.class);

    static {
        for (DistanceMetric m : DistanceMetric.values()) KEYS.put(m, "ann:" + m.wireName());
    }

    private Optional<Ann> open(Segment segment, DistanceMetric metric) {
        if (segment.vectors() == null) return Optional.empty();
        String graphKey = SegmentKeys.graph(prefix, segment.id());
        String codesKey = SegmentKeys.codes(prefix, segment.id());
        List<PinnedFile> pins = new ArrayList<>(2);
        SegmentAnnFiles.Graph g = null;
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
            g = (SegmentAnnFiles.Graph) opened.get(0).file();
            pins.add(opened.get(0).pin());
            codes = opened.get(1) == null ? null : (SegmentAnnFiles.Codes) opened.get(1).file();
            if (codes != null) pins.add(opened.get(1).pin());
            // A walk on codes reads full vectors only to rerank its candidates: those are fetched by range when
            // the file is remote. A walk on full vectors may read any of them: the file is made present whole.
            var vectors = segment.vectors();
            FloatVectorScorerSupplier exact;
            if (codes == null) {
                exact = FloatVectorScorerSupplier.create(metric, new MemorySegmentVectorValues(vectors.vectors(), vectors.dims()));
            } else {
                float[] norms = new float[vectors.rowCount()];
                vectors.copyNorms(0, norms.length, norms);
                exact = FloatVectorScorerSupplier.create(metric,
                        new MemorySegmentVectorValues(vectors.vectorsAsMapped(), vectors.dims()), norms);
            }
            return Optional.of(new Ann(g.graph(), exact, codes == null ? null : vectors, codes, g,
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
