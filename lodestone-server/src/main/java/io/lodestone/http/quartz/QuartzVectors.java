package io.lodestone.http.quartz;

import io.helidon.webserver.http.ServerRequest;
import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.engine.FilterSpec;
import io.lodestone.engine.Query;
import io.lodestone.engine.QueryResult;
import io.lodestone.engine.WriteRequest;
import io.lodestone.http.HttpJson;
import io.lodestone.http.ResultJson;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Worker API's vector collection: the namespace {@value QuartzStore#VECTORS}, {@value #DIMENSION} dimensions
 * and cosine, as QuartzDB's Worker creates its index. A delete is QuartzDB's soft delete: the row stays with
 * {@value #DELETED} = true, invisible to get and search and counted in {@code num_deleted}; inserting the id again
 * revives it.
 */
final class QuartzVectors {
    /** The dimension of QuartzDB's default index. */
    static final int DIMENSION = 384;
    static final QuartzMetric METRIC = QuartzMetric.COSINE;
    static final String METADATA = "metadata";
    static final String DELETED = "deleted";
    /** QuartzDB's Durable Object returns at most this many results, whatever k (1..1000) asks for. */
    static final int MAX_RESULTS = 100;
    private static final AttributeSchema TEXT = new AttributeSchema(AttributeType.STRING, false, null);
    private static final Set<String> ROW_ATTRIBUTES = Set.of(METADATA, DELETED, QuartzIds.ORIGINAL);
    private static final FilterSpec ACTIVE = FilterSpec.json(HttpJson.MAPPER.createArrayNode().add(DELETED).add("Eq").add(false));

    /** One vector to insert, validated. */
    record Item(String id, float[] vector, String metadata) {
    }

    /** A row found: its vector (when asked), metadata JSON text (or null) and whether it is soft-deleted. */
    record Found(float[] vector, String metadata, boolean deleted) {
    }

    /** A search's rows, best first, and what answered it. */
    record Hits(List<QueryResult.Row> rows, String algorithm) {
    }

    /** Row counts: all, and soft-deleted. */
    record Counts(long all, long deleted) {
    }

    private final QuartzStore store;

    QuartzVectors(QuartzStore store) {
        this.store = store;
    }

    /** The message for a vector of the wrong dimension, or null when it fits. */
    static String dimensionMismatch(float[] v) {
        return v.length == DIMENSION ? null : "Vector dimension mismatch: expected " + DIMENSION + ", got " + v.length;
    }

    /** Inserts (or replaces, or revives) the items in one write; they must have the collection's dimension. */
    void insert(ServerRequest req, List<Item> items) {
        WriteRequest.Builder w = WriteRequest.builder().distanceMetric(METRIC.engine())
                .schema(METADATA, TEXT).schema(QuartzIds.ORIGINAL, TEXT).schema(DELETED, AttributeSchema.of(AttributeType.BOOL));
        for (Item item : items) {
            DocId id = QuartzIds.of(item.id());
            Map<String, Object> attributes = new HashMap<>(QuartzIds.original(item.id(), id));
            attributes.put(DELETED, false);
            if (item.metadata() != null) attributes.put(METADATA, item.metadata());
            w.upsert(new Document(id, item.vector(), attributes));
        }
        store.write(req, QuartzStore.VECTORS, w.build());
    }

    Optional<Found> get(ServerRequest req, String id, boolean vector) {
        return store.row(req, QuartzStore.VECTORS, QuartzIds.of(id), ROW_ATTRIBUTES, vector).map(r -> new Found(r.vector(),
                (String) r.attributes().get(METADATA), Boolean.TRUE.equals(r.attributes().get(DELETED))));
    }

    /** Soft-deletes the vector: true when it was active (false when already deleted). Its row must exist. */
    boolean softDelete(ServerRequest req, String id) {
        var activeId = HttpJson.MAPPER.createArrayNode().add("And").add(HttpJson.MAPPER.createArrayNode()
                .add(HttpJson.MAPPER.createArrayNode().add("id").add("Eq").add(ResultJson.id(QuartzIds.of(id))))
                .add(ACTIVE.json()));
        WriteRequest w = WriteRequest.builder().patchByFilter(FilterSpec.json(activeId), Map.of(DELETED, true)).build();
        return store.write(req, QuartzStore.VECTORS, w).rowsPatched() > 0;
    }

    /**
     * The active vectors nearest to {@code v} under {@code metric}: by the collection's ANN index for its own
     * metric, by exact kNN for another. Empty with no algorithm before the first insert.
     */
    Hits search(ServerRequest req, float[] v, int k, QuartzMetric metric) {
        String mismatch = dimensionMismatch(v);
        if (mismatch != null) throw new InvalidInputException(mismatch);
        int topK = Math.min(Math.min(k, MAX_RESULTS), store.maxTopK(req));
        Query q = new Query(new Query.RankBy.Vector(v, metric == METRIC, metric.engine()), ACTIVE, topK,
                QuartzStore.selection(Set.of(METADATA, QuartzIds.ORIGINAL), false), Map.of(), List.of(), false);
        return store.query(req, QuartzStore.VECTORS, q)
                .map(r -> new Hits(r.rows(), QuartzSearch.algorithm(r.stats().vectorSearch())))
                .orElse(new Hits(List.of(), null));
    }

    /** All rows and soft-deleted rows, counted on one snapshot. */
    Counts counts(ServerRequest req) {
        Query q = new Query(null, null, 3, Query.AttributeSelection.NONE, Map.of("n", Query.Aggregation.COUNT), List.of(DELETED), false);
        long all = 0, deleted = 0;
        for (Map<String, Object> group : store.query(req, QuartzStore.VECTORS, q).map(QueryResult::aggregationGroups).orElse(List.of())) {
            long n = ((Number) group.get("n")).longValue();
            all += n;
            if (Boolean.TRUE.equals(group.get(DELETED))) deleted += n;
        }
        return new Counts(all, deleted);
    }
}
