package io.lodestone.http.tpuf;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;
import io.lodestone.doc.IndexConfig;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.engine.WriteRequest;
import io.lodestone.http.FilterJson;
import io.lodestone.http.JsonValues;
import io.lodestone.vector.DistanceMetric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses a turbopuffer v2 write body into a {@link WriteRequest}. Refuses the whole body on any error. */
public final class WriteParser {
    static final Set<String> FIELDS = Set.of("upsert_rows", "upsert_columns", "patch_rows", "patch_columns", "deletes",
            "delete_by_filter", "patch_by_filter", "distance_metric", "schema", "return_affected_ids",
            "disable_backpressure", "index");

    private final int maxRows;

    public WriteParser(int maxRows) {
        this.maxRows = maxRows;
    }

    /** Parsed request plus the response options. */
    public record Parsed(WriteRequest request, boolean returnAffectedIds) {
    }

    public Parsed parse(JsonNode body) {
        JsonValues.object(body, "write request body");
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!FIELDS.contains(e.getKey())) {
                throw new InvalidInputException("unknown field '" + e.getKey() + "' in write request; expected one of " + sorted(FIELDS));
            }
        }
        WriteRequest.Builder b = WriteRequest.builder();
        JsonNode metric = body.get("distance_metric");
        if (metric != null && !metric.isNull()) {
            if (!metric.isTextual()) throw new InvalidInputException("distance_metric must be a string; got " + metric);
            b.distanceMetric(namespaceMetric(metric.textValue()));
        }
        if (body.hasNonNull("schema")) SchemaJson.parse(body.get("schema")).forEach(b::schema);
        if (body.hasNonNull("index")) b.index(index(body.get("index")));
        List<Document> upserts = new ArrayList<>(rows(body, "upsert_rows"));
        upserts.addAll(columns(body, "upsert_columns"));
        upserts.forEach(b::upsert);
        List<Document> patches = new ArrayList<>(rows(body, "patch_rows"));
        patches.addAll(columns(body, "patch_columns"));
        for (Document p : patches) {
            if (p.vector() != null) throw new InvalidInputException("document " + p.id() + ": a patch cannot change the vector; upsert it instead");
            b.patch(p.id(), p.attributes());
        }
        if (body.hasNonNull("deletes")) {
            JsonNode d = JsonValues.array(body.get("deletes"), "deletes");
            for (int i = 0; i < d.size(); i++) b.delete(JsonValues.id(d.get(i), "deletes[" + i + "]"));
        }
        if (body.hasNonNull("delete_by_filter")) b.deleteByFilter(FilterJson.spec(body.get("delete_by_filter"), "delete_by_filter"));
        if (body.hasNonNull("patch_by_filter")) patchByFilter(b, body.get("patch_by_filter"));
        JsonNode rai = body.get("return_affected_ids");
        WriteRequest request = b.build();
        if (request.rowCount() > maxRows) {
            throw new InvalidInputException("write has " + request.rowCount() + " rows; the limit per request is " + maxRows);
        }
        return new Parsed(request, rai != null && rai.asBoolean(false));
    }

    /**
     * {@code "index": {"type": "hnsw"|"clustered", "m": 16, "ef_construction": 200, "quantization": "none"|"sq8"|"pq"|"rabitq"}}
     * (a Lodestone extension); m, ef_construction and quantization are HNSW's, refused for the clustered index.
     */
    private static IndexConfig index(JsonNode n) {
        JsonValues.object(n, "index");
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!Set.of("type", "m", "ef_construction", "quantization").contains(e.getKey())) {
                throw new InvalidInputException("unknown field '" + e.getKey() + "' in index; expected ef_construction, m, quantization, type");
            }
        }
        IndexConfig d = IndexConfig.defaults();
        JsonNode t = n.get("type");
        if (t != null && !(t.isTextual() && IndexConfig.TYPES.contains(t.textValue()))) {
            throw new InvalidInputException("index.type must be one of " + IndexConfig.TYPES + "; got " + t);
        }
        String type = t == null ? IndexConfig.HNSW : t.textValue();
        if (type.equals(IndexConfig.CLUSTERED)) {
            for (String hnswOnly : List.of("m", "ef_construction", "quantization")) {
                if (n.has(hnswOnly)) {
                    throw new InvalidInputException("index." + hnswOnly + " applies to the hnsw index; the clustered index "
                            + "always stores RaBitQ codes in its posting lists");
                }
            }
        }
        int m = n.has("m") ? JsonValues.intIn(n.get("m"), "index.m", 2, 512) : d.m();
        int efc = n.has("ef_construction") ? JsonValues.intIn(n.get("ef_construction"), "index.ef_construction", 1, 10_000)
                : d.efConstruction();
        JsonNode q = n.get("quantization");
        if (q != null && !q.isTextual()) throw new InvalidInputException("index.quantization must be a string; got " + q);
        return new IndexConfig(m, efc, q == null ? d.quantization() : q.textValue(), type);
    }

    private static void patchByFilter(WriteRequest.Builder b, JsonNode n) {
        JsonValues.object(n, "patch_by_filter");
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!e.getKey().equals("filters") && !e.getKey().equals("patch")) {
                throw new InvalidInputException("unknown field '" + e.getKey() + "' in patch_by_filter; expected filters, patch");
            }
        }
        JsonNode patch = JsonValues.object(n.get("patch"), "patch_by_filter.patch");
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : patch.properties()) attrs.put(e.getKey(), JsonValues.attribute(e.getValue(), e.getKey()));
        b.patchByFilter(FilterJson.spec(n.get("filters"), "patch_by_filter.filters"), attrs);
    }

    private static List<Document> rows(JsonNode body, String field) {
        if (!body.hasNonNull(field)) return List.of();
        JsonNode rows = JsonValues.array(body.get(field), field);
        List<Document> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) out.add(row(rows.get(i), field + "[" + i + "]"));
        return out;
    }

    /**
     * One row object ({@code {"id": ..., "vector": ..., ...attributes}}) as a document; errors start with
     * {@code where}.
     */
    public static Document row(JsonNode n, String where) {
        JsonNode row = JsonValues.object(n, where);
        DocId id = JsonValues.id(row.get("id"), where);
        float[] vector = null;
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : row.properties()) {
            switch (e.getKey()) {
                case "id" -> { }
                case "vector" -> vector = JsonValues.vector(e.getValue(), where);
                default -> attrs.put(e.getKey(), attribute(e.getValue(), e.getKey(), where));
            }
        }
        return new Document(id, vector, attrs);
    }

    /**
     * A namespace's distance metric by wire name or alias ({@code cosine}, {@code euclidean}, ...); 400 for an
     * unknown one and for the metrics that only exact kNN ranks by.
     */
    public static DistanceMetric namespaceMetric(String name) {
        DistanceMetric m;
        try {
            m = DistanceMetric.parse(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        if (!m.supportsAnn()) {
            throw new InvalidInputException("distance_metric '" + name
                    + "' is for exact kNN only; a namespace uses cosine_distance, euclidean_squared or dot_product");
        }
        return m;
    }

    private static List<Document> columns(JsonNode body, String field) {
        if (!body.hasNonNull(field)) return List.of();
        JsonNode cols = JsonValues.object(body.get(field), field);
        JsonNode ids = JsonValues.array(cols.get("id"), field + ".id");
        int n = ids.size();
        for (Map.Entry<String, JsonNode> e : cols.properties()) {
            JsonValues.array(e.getValue(), field + "." + e.getKey());
            if (e.getValue().size() != n) {
                throw new InvalidInputException(field + "." + e.getKey() + " has " + e.getValue().size()
                        + " values but " + field + ".id has " + n + "; every column needs one value per id");
            }
        }
        List<Document> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String where = field + "[" + i + "]";
            DocId id = JsonValues.id(ids.get(i), where);
            float[] vector = null;
            Map<String, Object> attrs = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : cols.properties()) {
                JsonNode v = e.getValue().get(i);
                switch (e.getKey()) {
                    case "id" -> { }
                    case "vector" -> vector = JsonValues.vector(v, where);
                    default -> attrs.put(e.getKey(), attribute(v, e.getKey(), where));
                }
            }
            out.add(new Document(id, vector, attrs));
        }
        return out;
    }

    private static Object attribute(JsonNode v, String name, String where) {
        try {
            return JsonValues.attribute(v, name);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(where + ": " + e.getMessage());
        }
    }

    static String sorted(Set<String> s) {
        return String.join(", ", s.stream().sorted().toList());
    }
}
