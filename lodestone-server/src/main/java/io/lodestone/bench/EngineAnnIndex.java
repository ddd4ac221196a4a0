package io.lodestone.bench;

import io.lodestone.doc.DocId;
import io.lodestone.doc.IndexConfig;
import io.lodestone.engine.Lodestone;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.Query;
import io.lodestone.engine.QueryResult;
import io.lodestone.engine.WriteRequest;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.index.MemorySegmentVectorValues;
import io.lodestone.index.hnsw.HnswGraphSearcher;
import io.lodestone.segment.SegmentAnnFiles;
import io.lodestone.segment.SegmentVectorsFile;
import io.lodestone.store.LocalObjectStore;
import io.lodestone.vector.DistanceMetric;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An ANN index built and searched the way the server does it: the vectors are written to a namespace
 * of an embedded database on a local directory (log writes with fsync), the indexer folds them into a
 * segment (HNSW graph, and quantizer codes when asked), and each search is an ANN query through
 * {@code Namespace.query} (with the server's default strong consistency unless {@code eventual}), with ids
 * mapped back to row numbers.
 */
final class EngineAnnIndex implements AnnBench.Searchable, AutoCloseable {
    private static final int K = 10;
    private static final int BATCH = 10_000;

    private final Path data;
    private final LocalObjectStore store;
    private final Lodestone db;
    private final Namespace ns;
    private final int rows;
    private final boolean eventual;

    private EngineAnnIndex(Path data, LocalObjectStore store, Lodestone db, Namespace ns, int rows, boolean eventual) {
        this.data = data;
        this.store = store;
        this.db = db;
        this.ns = ns;
        this.rows = rows;
        this.eventual = eventual;
    }

    /** Writes {@code rows} vectors (row-major in {@code vectors}) and indexes them; the build time is the caller's to take. */
    static EngineAnnIndex build(float[] vectors, int dims, DistanceMetric metric, IndexConfig config, boolean eventual)
            throws IOException {
        Path data = Files.createTempDirectory("lodestone-ann-");
        LocalObjectStore store = new LocalObjectStore(data);
        Lodestone db = Lodestone.open(store, BenchSupport.engineOptions(data, BenchSupport.Indexing.ON_FLUSH, 0));
        Namespace ns = db.namespace("ann");
        int rows = vectors.length / dims;
        for (int start = 0; start < rows; start += BATCH) {
            WriteRequest.Builder w = WriteRequest.builder().distanceMetric(metric).index(config);
            for (int i = start; i < Math.min(rows, start + BATCH); i++) {
                w.upsert(DocId.of(i), Arrays.copyOfRange(vectors, i * dims, (i + 1) * dims), Map.of());
            }
            ns.write(w.build());
        }
        ns.flushIndex();
        return new EngineAnnIndex(data, store, db, ns, rows, eventual);
    }

    @Override
    public void search(HnswGraphSearcher unused, float[] query, int ef, int[] ids, float[] distances) {
        QueryResult r = ns.query(new Query(new Query.RankBy.Vector(query, true, null, ef), null, K,
                Query.AttributeSelection.NONE, Map.of(), List.of(), eventual));
        int n = r.rows().size();
        for (int i = 0; i < n; i++) ids[i] = (int) ((DocId.U64) r.rows().get(i).id()).value();
        Arrays.fill(ids, n, K, -1);
    }

    /**
     * The index alone over this namespace's own (single) segment: its graph and vectors files mapped and
     * searched with a bare {@link HnswGraphSearcher}, without the engine around it. A paired run against it
     * isolates what the engine path adds per query. Rows of the segment are the ids in order.
     */
    AnnBench.AnnIndex segmentIndex(DistanceMetric metric) throws IOException {
        String graphKey = null, vectorsKey = null;
        for (String key : store.list("bench/", null, Integer.MAX_VALUE)) {
            if (key.endsWith("/hnsw")) {
                if (graphKey != null) throw new IllegalStateException("more than one segment: " + graphKey + ", " + key);
                graphKey = key;
                vectorsKey = key.substring(0, key.length() - "hnsw".length()) + "vectors";
            }
        }
        if (graphKey == null) throw new IllegalStateException("the namespace has no graph");
        SegmentAnnFiles.Mapped<io.lodestone.index.hnsw.OffHeapHnswGraph> graph = SegmentAnnFiles.openGraph(store.localPath(graphKey).orElseThrow(), io.lodestone.codec.Residency.COMPLETE, graphKey);
        SegmentVectorsFile vectors = SegmentVectorsFile.open(store.localPath(vectorsKey).orElseThrow(), vectorsKey);
        return new AnnBench.AnnIndex(graph.value(), FloatVectorScorerSupplier.create(metric,
                new MemorySegmentVectorValues(vectors.vectors(), vectors.dims())), null);
    }

    /** How the engine's query hand-offs went so far (virtual callers only). */
    io.lodestone.engine.QueryScheduler.HandOffCounts handOffs() {
        return db.queryHandOffs();
    }

    /** Graph file plus codes (or float vectors, without quantization) per vector; a clustered file plus the float vectors it reranks from. */
    @Override
    public double bytesPerVector() {
        long graph = 0, codes = 0, floats = 0;
        try {
            for (String key : store.list("bench/", null, Integer.MAX_VALUE)) {
                if (key.endsWith("/hnsw") || key.endsWith("/clustered")) graph += store.size(key);
                else if (key.endsWith("/codes")) codes += store.size(key);
                else if (key.endsWith("/vectors")) floats += store.size(key);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return (double) (graph + (codes > 0 ? codes : floats)) / rows;
    }

    @Override
    public void close() throws IOException {
        db.close();
        store.close();
        BenchSupport.deleteTree(data);
    }
}
