package io.lodestone.engine;

import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.doc.Schema;
import io.lodestone.doc.Unicode;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.wal.WriteBatch;
import io.lodestone.wal.WriteOp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@link WriteRequest} against a namespace's current configuration and turns it into the
 * {@link WriteBatch} the log stores: values converted to schema types, new attributes' types inferred,
 * filters bound and canonicalized. Throws {@link InvalidInputException} and produces nothing when any
 * part is invalid, so a request is refused whole.
 */
final class BatchValidator {
    /** Longest attribute name in UTF-8 bytes, as turbopuffer. */
    static final int MAX_ATTRIBUTE_NAME_BYTES = 128;
    /** Most attribute names a namespace may have, as turbopuffer. */
    static final int MAX_ATTRIBUTES = 256;

    private final String namespace;
    private final int maxDimensions;
    private final NamespaceView view;
    /** Declared and inferred attributes, looked up before the view's schema; merged into it once, at the end. */
    private final Map<String, AttributeSchema> changes = new LinkedHashMap<>();
    private int newNames;
    private int dims;
    /** The metric the namespace has after this request, for checks that depend on it. */
    private DistanceMetric metric;

    private BatchValidator(String namespace, int maxDimensions, NamespaceView view) {
        this.namespace = namespace;
        this.maxDimensions = maxDimensions;
        this.view = view;
        this.dims = view.dims();
    }

    /** Validated batch and the vector dimension it establishes (0 if it has no vectors). */
    record Result(WriteBatch batch, int dims) {
    }

    static Result validate(String namespace, int maxDimensions, NamespaceView view, WriteRequest request) {
        return new BatchValidator(namespace, maxDimensions, view).run(request);
    }

    private Result run(WriteRequest req) {
        if (req.distanceMetric() != null && view.metricSet() && req.distanceMetric() != view.metric()) {
            throw new InvalidInputException("namespace '" + namespace + "' uses distance_metric "
                    + view.metric().wireName() + "; a write cannot change it to " + req.distanceMetric().wireName());
        }
        metric = view.metricSet() ? view.metric()
                : req.distanceMetric() != null ? req.distanceMetric() : DistanceMetric.COSINE_DISTANCE;
        req.schema().forEach(this::declare);
        Schema declared = view.schema().withAll(changes);
        List<WriteOp> ops = new ArrayList<>();
        if (req.deleteByFilter() != null) {
            ops.add(new WriteOp.DeleteByFilter(req.deleteByFilter().bind(declared).toJson().toString()));
        }
        if (req.patchByFilter() != null) {
            String f = req.patchByFilter().bind(declared).toJson().toString();
            ops.add(new WriteOp.PatchByFilter(f, attributes("patch_by_filter", req.patchByFilterAttributes(), true)));
        }
        for (Document d : req.upserts()) {
            String where = "document " + requireId(d.id());
            float[] v = d.vector() == null ? null : checkVector(where, d.vector());
            ops.add(new WriteOp.Upsert(new Document(d.id(), v, attributes(where, d.attributes(), false))));
        }
        for (WriteRequest.Patch p : req.patches()) {
            ops.add(new WriteOp.Patch(requireId(p.id()), attributes("document " + p.id(), p.attributes(), true)));
        }
        for (DocId id : req.deletes()) ops.add(new WriteOp.Delete(requireId(id)));
        // The metric is fixed once: by the request that names it, or as the default with the first vectors.
        DistanceMetric metric = view.metricSet() ? null
                : req.distanceMetric() != null ? req.distanceMetric()
                : dims > 0 ? DistanceMetric.COSINE_DISTANCE : null;
        if (req.index() != null) {
            try {
                GraphIndexer.quantizer(req.index().quantization(), 1);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(e.getMessage());
            }
        }
        return new Result(new WriteBatch(metric, changes, ops, req.index()), view.dims() == 0 ? dims : 0);
    }

    private static DocId requireId(DocId id) {
        if (id == null) throw new InvalidInputException("every row needs an id");
        if (id instanceof DocId.Str s && !Unicode.isWellFormed(s.value())) {
            throw Unicode.notWellFormed("document id " + Unicode.shown(s.value()), s.value());
        }
        return id;
    }

    /** The attribute's schema as this batch leaves it so far. */
    private AttributeSchema schemaOf(String name) {
        AttributeSchema changed = changes.get(name);
        return changed != null ? changed : view.schema().get(name);
    }

    /** Records a declared or inferred attribute; a new name counts toward {@link #MAX_ATTRIBUTES}. */
    private void change(String name, AttributeSchema attribute) {
        boolean isNew = view.schema().get(name) == null && !changes.containsKey(name);
        if (isNew && view.schema().attributes().size() + newNames + 1 > MAX_ATTRIBUTES) {
            throw new InvalidInputException("too many attributes: namespace '" + namespace + "' has "
                    + view.schema().attributes().size() + " attribute names and this write adds at least "
                    + (newNames + 1) + " (first refused: '" + Unicode.abbreviated(name, 64) + "'); the maximum is "
                    + MAX_ATTRIBUTES + " attribute names per namespace");
        }
        if (isNew) newNames++;
        changes.put(name, attribute);
    }

    private void declare(String name, AttributeSchema declared) {
        checkName(name);
        AttributeSchema existing = schemaOf(name);
        if (existing != null && existing.type() != declared.type()) {
            throw new InvalidInputException("attribute '" + name + "' has type " + existing.type().wireName()
                    + "; its type cannot be changed to " + declared.type().wireName());
        }
        if (declared.fullTextSearch() != null && declared.type().elementType() != AttributeType.STRING) {
            throw new InvalidInputException("attribute '" + name + "': full_text_search needs type string or []string; got "
                    + declared.type().wireName());
        }
        if (declared.fullTextSearch() != null) {
            try {
                io.lodestone.text.TextAnalyzers.forOptions(declared.fullTextSearch());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("attribute '" + name + "': " + e.getMessage());
            }
        }
        if (!declared.equals(existing)) change(name, declared);
    }

    private float[] checkVector(String where, float[] v) {
        if (v.length == 0) throw new InvalidInputException(where + ": vector must not be empty");
        if (v.length > maxDimensions) {
            throw new InvalidInputException(where + ": vector has " + v.length + " dimensions; the maximum is " + maxDimensions);
        }
        boolean allZero = true;
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new InvalidInputException(where + ": vector component " + i + " is " + v[i] + "; components must be finite");
            }
            allZero &= v[i] == 0;
        }
        if (allZero && metric == DistanceMetric.COSINE_DISTANCE) {
            throw new InvalidInputException(where + ": vector is all zeros; cosine_distance is undefined for a zero "
                    + "vector (store it without a vector, or use distance_metric euclidean_squared)");
        }
        if (dims == 0) {
            dims = v.length;
        } else if (v.length != dims) {
            throw new InvalidInputException(where + ": vector has " + v.length + " dimensions; namespace '" + namespace
                    + "' has " + dims);
        }
        return v;
    }

    private Map<String, Object> attributes(String where, Map<String, Object> raw, boolean allowNull) {
        Map<String, Object> out = new LinkedHashMap<>(Math.max(4, raw.size() * 2));
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            String name = e.getKey();
            checkName(name);
            Object v = e.getValue();
            if (v == null) {
                if (allowNull) out.put(name, null);
                continue;
            }
            requireWellFormedValue(where, name, v);
            AttributeSchema s = schemaOf(name);
            AttributeType type = s != null ? s.type() : ValueNormalizer.infer(name, v);
            if (type == null) {
                out.put(name, List.of()); // empty array of a type not known yet
                continue;
            }
            try {
                out.put(name, ValueNormalizer.normalize(name, type, v));
            } catch (InvalidInputException ex) {
                throw new InvalidInputException(where + ": " + ex.getMessage());
            }
            if (s == null) change(name, AttributeSchema.of(type));
        }
        return out;
    }

    /** String values, alone or in arrays, must be valid Unicode: UTF-8 storage would alter them otherwise. */
    private static void requireWellFormedValue(String where, String name, Object v) {
        if (v instanceof String s && !Unicode.isWellFormed(s)) {
            throw Unicode.notWellFormed(where + ": attribute '" + name + "' value " + Unicode.shown(s), s);
        } else if (v instanceof List<?> list) {
            for (Object e : list) {
                if (e instanceof String s && !Unicode.isWellFormed(s)) {
                    throw Unicode.notWellFormed(where + ": attribute '" + name + "' element " + Unicode.shown(s), s);
                }
            }
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) throw new InvalidInputException("attribute names must not be empty");
        if (!Unicode.isWellFormed(name)) throw Unicode.notWellFormed("attribute name " + Unicode.shown(name), name);
        int bytes = Unicode.utf8Length(name);
        if (bytes > MAX_ATTRIBUTE_NAME_BYTES) {
            throw new InvalidInputException("attribute name '" + Unicode.abbreviated(name, 64) + "' is " + bytes
                    + " UTF-8 bytes; the maximum is " + MAX_ATTRIBUTE_NAME_BYTES);
        }
        if (name.equals("id") || name.equals("vector") || name.startsWith("$")) {
            throw new InvalidInputException("'" + name + "' is reserved and cannot be used as an attribute name");
        }
    }
}
