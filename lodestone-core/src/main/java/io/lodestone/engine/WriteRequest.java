package io.lodestone.engine;

import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;
import io.lodestone.doc.IndexConfig;
import io.lodestone.vector.DistanceMetric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One atomic write to a namespace. Operations apply in this order: delete-by-filter, patch-by-filter,
 * upserts, patches, deletes. Attribute values may be raw (String, Long, Double, Boolean, List) and are
 * converted to the schema's types on commit.
 *
 * @param distanceMetric         metric to set (only when the namespace has none or the same), or null
 * @param schema                 attributes to declare, or empty
 * @param upserts                documents to insert or replace
 * @param patches                attribute updates of existing documents (a null value removes the attribute)
 * @param deletes                ids to delete
 * @param deleteByFilter         delete every matching document, or null
 * @param patchByFilter          patch every matching document, or null
 * @param patchByFilterAttributes the attributes to set with {@code patchByFilter}
 * @param index                  index settings (HNSW m, ef_construction, quantization) for segments built from
 *                               now on, or null to keep the namespace's
 */
public record WriteRequest(DistanceMetric distanceMetric, Map<String, AttributeSchema> schema,
                           List<Document> upserts, List<Patch> patches, List<DocId> deletes,
                           FilterSpec deleteByFilter, FilterSpec patchByFilter,
                           Map<String, Object> patchByFilterAttributes, IndexConfig index) {

    public WriteRequest {
        schema = schema == null ? Map.of() : schema;
        upserts = upserts == null ? List.of() : upserts;
        patches = patches == null ? List.of() : patches;
        deletes = deletes == null ? List.of() : deletes;
        patchByFilterAttributes = patchByFilterAttributes == null ? Map.of() : patchByFilterAttributes;
    }

    /** Attribute update of one document. */
    public record Patch(DocId id, Map<String, Object> attributes) {
    }

    /** Logical bytes of the rows in the request (upserts, patches, deleted ids), as billed for a write. */
    public long logicalBytes() {
        return LogicalSize.ofWrite(this);
    }

    /** Number of operations, for limits. */
    public int rowCount() {
        return upserts.size() + patches.size() + deletes.size();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link WriteRequest} for the embedded API. */
    public static final class Builder {
        private DistanceMetric metric;
        private final Map<String, AttributeSchema> schema = new LinkedHashMap<>();
        private final List<Document> upserts = new ArrayList<>();
        private final List<Patch> patches = new ArrayList<>();
        private final List<DocId> deletes = new ArrayList<>();
        private FilterSpec deleteByFilter;
        private FilterSpec patchByFilter;
        private Map<String, Object> patchByFilterAttributes;
        private IndexConfig index;

        public Builder distanceMetric(DistanceMetric m) { this.metric = m; return this; }

        public Builder schema(String attribute, AttributeSchema s) { schema.put(attribute, s); return this; }

        public Builder upsert(Document d) { upserts.add(d); return this; }

        public Builder upsert(DocId id, float[] vector, Map<String, Object> attributes) {
            return upsert(new Document(id, vector, attributes));
        }

        public Builder patch(DocId id, Map<String, Object> attributes) { patches.add(new Patch(id, attributes)); return this; }

        public Builder delete(DocId id) { deletes.add(id); return this; }

        public Builder deleteByFilter(FilterSpec f) { deleteByFilter = f; return this; }

        public Builder patchByFilter(FilterSpec f, Map<String, Object> attributes) {
            patchByFilter = f;
            patchByFilterAttributes = attributes;
            return this;
        }

        public Builder index(IndexConfig config) { index = config; return this; }

        public WriteRequest build() {
            return new WriteRequest(metric, schema, upserts, patches, deletes, deleteByFilter, patchByFilter,
                    patchByFilterAttributes, index);
        }
    }
}
