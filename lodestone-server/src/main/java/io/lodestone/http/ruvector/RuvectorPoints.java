package io.lodestone.http.ruvector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.lodestone.http.quartz.QuartzIds;
import io.lodestone.http.quartz.QuartzStore;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The points of a collection: string ids as {@link QuartzIds} maps them, the vector, the metadata object as JSON
 * text in {@value #METADATA} (returned as the same JSON), and each metadata field's value again as compact JSON
 * text in {@value #FIELD_PREFIX}{@code key}, so that a filter's equality on a field is a Lodestone {@code Eq} on
 * that attribute: two JSON values are equal exactly when serde_json's would be (for strings, numbers, booleans
 * and null; a filter on an object or array is refused).
 */
final class RuvectorPoints {
    static final String METADATA = "metadata";
    static final String FIELD_PREFIX = "meta.";
    private static final AttributeSchema TEXT = new AttributeSchema(AttributeType.STRING, false, null);
    private static final Set<String> ROW_ATTRIBUTES = Set.of(METADATA, QuartzIds.ORIGINAL);

    /** A point to upsert, validated: its id (given or generated), vector and metadata object (or null). */
    record Point(String id, float[] vector, ObjectNode metadata) {
    }

    /** A point read back: its id, vector and metadata (null when none), and for a search hit the distance. */
    record Found(String id, float[] vector, JsonNode metadata, double distance) {
    }

    private final QuartzStore store;

    RuvectorPoints(QuartzStore store) {
        this.store = store;
    }

    /** Upserts the points in one write; each must have the collection's dimension. */
    void upsert(ServerRequest req, RuvectorCollections.Config c, List<Point> points) {
        WriteRequest.Builder w = WriteRequest.builder().distanceMetric(c.metric().namespaceMetric())
                .schema(METADATA, TEXT).schema(QuartzIds.ORIGINAL, TEXT);
        for (Point p : points) {
            if (p.vector().length != c.dimension()) {
                throw new InvalidInputException("Dimension mismatch: expected " + c.dimension() + ", got " + p.vector().length);
            }
            DocId id = QuartzIds.of(p.id());
            Map<String, Object> attributes = new HashMap<>(QuartzIds.original(p.id(), id));
            if (p.metadata() != null) {
                attributes.put(METADATA, json(p.metadata()));
                for (Map.Entry<String, JsonNode> e : p.metadata().properties()) attributes.put(FIELD_PREFIX + e.getKey(), json(e.getValue()));
            }
            w.upsert(new Document(id, p.vector(), attributes));
        }
        store.write(req, c.namespace(), w.build());
    }

    Optional<Found> get(ServerRequest req, RuvectorCollections.Config c, String id) {
        return store.row(req, c.namespace(), QuartzIds.of(id), ROW_ATTRIBUTES, true).map(r -> found(r));
    }

    /**
     * The {@code k} nearest points whose metadata has every field of {@code filter} equal to its value: by the
     * collection's ANN index, or exact kNN for Manhattan. Empty before the first upsert.
     */
    List<Found> search(ServerRequest req, RuvectorCollections.Config c, float[] v, int k, ObjectNode filter) {
        if (v.length != c.dimension()) throw new InvalidInputException("Dimension mismatch: expected " + c.dimension() + ", got " + v.length);
        Query q = new Query(new Query.RankBy.Vector(v, c.metric().indexed(), c.metric().ranking()), filter(filter), k,
                QuartzStore.selection(ROW_ATTRIBUTES, true), Map.of(), List.of(), false);
        return store.query(req, c.namespace(), q).map(QueryResult::rows).orElse(List.of()).stream().map(RuvectorPoints::found).toList();
    }

    private static Found found(QueryResult.Row r) {
        JsonNode metadata = null;
        if (r.attributes().get(METADATA) instanceof String text) {
            try {
                metadata = HttpJson.MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored metadata is not JSON: " + e.getOriginalMessage(), e);
            }
        }
        return new Found(QuartzIds.key(r), r.vector(), metadata, r.distance() == null ? 0 : r.distance());
    }

    /** ruvector's filter (field → value, all must be equal) as a Lodestone filter; null for none. */
    static FilterSpec filter(ObjectNode filter) {
        if (filter == null || filter.isEmpty()) return null;
        ArrayNode all = HttpJson.MAPPER.createArrayNode();
        for (Map.Entry<String, JsonNode> e : filter.properties()) {
            if (e.getValue().isContainerNode()) {
                throw new InvalidInputException("filter on '" + e.getKey() + "': only equality with a string, number, boolean"
                        + " or null is supported; got an " + (e.getValue().isArray() ? "array" : "object"));
            }
            all.add(HttpJson.MAPPER.createArrayNode().add(FIELD_PREFIX + e.getKey()).add("Eq").add(json(e.getValue())));
        }
        return FilterSpec.json(all.size() == 1 ? all.get(0) : HttpJson.MAPPER.createArrayNode().add("And").add(all));
    }

    private static String json(JsonNode n) {
        try {
            return HttpJson.MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("metadata is not writable as JSON: " + e.getOriginalMessage());
        }
    }
}
