package io.lodestone.http.quartz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.http.HttpJson;
import io.lodestone.http.JsonValues;
import io.lodestone.http.NotFoundException;
import io.lodestone.http.ResultJson;
import io.lodestone.http.ServerLimits;
import io.lodestone.tenancy.Tenancy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * QuartzDB's Cloudflare Worker API ({@code quartz-faas}): the key-value store ({@code /api/put}, {@code /api/get},
 * {@code /api/delete}) and the default vector collection ({@code /api/vector/...}), with its success bodies,
 * validation and plain-text errors.
 */
public final class QuartzWorkerService implements HttpService {
    static final String PREFIX = "/api";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ServerLimits limits;
    private final QuartzKv kv;
    private final QuartzVectors vectors;

    public QuartzWorkerService(Tenancy tenancy, ServerLimits limits) {
        QuartzStore store = new QuartzStore(tenancy, limits);
        this.limits = limits;
        this.kv = new QuartzKv(store);
        this.vectors = new QuartzVectors(store);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(PREFIX + "/put", this::put)
                .get(PREFIX + "/get/{key}", this::get)
                .delete(PREFIX + "/delete/{key}", this::delete)
                .post(PREFIX + "/vector/insert", this::insert)
                .post(PREFIX + "/vector/batch-insert", this::batchInsert)
                .get(PREFIX + "/vector/get/{id}", this::getVector)
                .post(PREFIX + "/vector/search", this::search)
                .delete(PREFIX + "/vector/delete/{id}", this::deleteVector)
                .get(PREFIX + "/vector/stats", this::stats);
    }

    private JsonNode body(ServerRequest req) {
        return JsonValues.object(HttpJson.body(req, limits), "Invalid JSON body: the body");
    }

    private static String param(ServerRequest req, String name) {
        return req.path().pathParameters().get(name);
    }

    private void put(ServerRequest req, ServerResponse res) {
        JsonNode body = body(req);
        String key = QuartzInput.string(body, "key");
        kv.put(req, key, QuartzInput.string(body, "value"));
        HttpJson.ok(res, F.objectNode().put("success", true).put("key", key).put("message", "Value stored successfully"));
    }

    private void get(ServerRequest req, ServerResponse res) {
        String key = param(req, "key");
        String value = kv.get(req, key).orElseThrow(() -> new NotFoundException("Key not found"));
        HttpJson.ok(res, F.objectNode().put("success", true).put("key", key).put("value", value));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String key = param(req, "key");
        kv.delete(req, key);
        HttpJson.ok(res, F.objectNode().put("success", true).put("key", key).put("message", "Value deleted successfully"));
    }

    /** One insert item, validated; {@code where} places errors (" at index 3" in a batch). */
    private static QuartzVectors.Item item(JsonNode n, String where) {
        JsonValues.object(n, "Validation error: vector" + where);
        return new QuartzVectors.Item(QuartzInput.vectorId(n, where), QuartzInput.vector(n.get("vector"), where),
                QuartzInput.metadata(n.get("metadata"), where));
    }

    private void insert(ServerRequest req, ServerResponse res) {
        QuartzVectors.Item item = item(body(req), "");
        String mismatch = QuartzVectors.dimensionMismatch(item.vector());
        if (mismatch != null) throw new InvalidInputException("Failed to insert vector: " + mismatch);
        vectors.insert(req, List.of(item));
        HttpJson.ok(res, F.objectNode().put("success", true).put("id", item.id()).put("message", "Vector inserted"));
    }

    /** Validates the whole batch first (any bad item refuses it), then inserts those of the right dimension at once. */
    private void batchInsert(ServerRequest req, ServerResponse res) {
        JsonNode list = body(req).get("vectors");
        if (list == null || !list.isArray()) throw new InvalidInputException("Validation error: Missing or invalid 'vectors' array");
        if (list.isEmpty()) throw new InvalidInputException("Validation error: Vectors array cannot be empty");
        if (list.size() > QuartzInput.MAX_BATCH) {
            throw new InvalidInputException("Validation error: Batch too large (max " + QuartzInput.MAX_BATCH + " vectors)");
        }
        List<QuartzVectors.Item> items = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) items.add(item(list.get(i), " at index " + i));
        List<QuartzVectors.Item> fitting = items.stream().filter(it -> QuartzVectors.dimensionMismatch(it.vector()) == null).toList();
        if (!fitting.isEmpty()) vectors.insert(req, fitting);
        ObjectNode out = F.objectNode().put("success", fitting.size() == items.size()).put("total", items.size())
                .put("inserted", fitting.size()).put("failed", items.size() - fitting.size());
        ArrayNode results = out.putArray("results");
        for (QuartzVectors.Item it : items) {
            String mismatch = QuartzVectors.dimensionMismatch(it.vector());
            results.addObject().put("id", it.id()).put("success", mismatch == null).put("message", mismatch == null ? "inserted" : mismatch);
        }
        HttpJson.ok(res, out);
    }

    private void getVector(ServerRequest req, ServerResponse res) {
        String id = QuartzInput.vectorId(param(req, "id"));
        QuartzVectors.Found f = vectors.get(req, id, true).filter(v -> !v.deleted())
                .orElseThrow(() -> new NotFoundException("Vector '" + id + "' not found"));
        ObjectNode out = F.objectNode().put("id", id);
        out.set("vector", ResultJson.vector(f.vector(), false));
        out.set("metadata", QuartzInput.metadataJson(f.metadata()));
        HttpJson.ok(res, out);
    }

    private void search(ServerRequest req, ServerResponse res) {
        JsonNode body = body(req);
        float[] v = QuartzInput.vector(body.get("vector"), "");
        int k = QuartzInput.k(body.get("k"));
        JsonNode m = body.get("metric");
        QuartzMetric metric = m == null || m.isNull() ? QuartzVectors.METRIC
                : QuartzMetric.parse(QuartzInput.string(body, "metric"));
        QuartzVectors.Hits hits = vectors.search(req, v, k, metric);
        ObjectNode out = F.objectNode().put("success", true);
        ArrayNode results = out.putArray("results");
        hits.rows().forEach(r -> {
            double distance = metric.workerDistance(r.distance());
            ObjectNode o = results.addObject().put("id", QuartzIds.key(r)).put("distance", distance).put("score", 1 - distance);
            o.set("metadata", QuartzInput.metadataJson(r.attributes().get(QuartzVectors.METADATA)));
        });
        out.put("count", hits.rows().size());
        if (hits.algorithm() != null) out.put("algorithm", hits.algorithm());
        HttpJson.ok(res, out);
    }

    private void deleteVector(ServerRequest req, ServerResponse res) {
        String id = QuartzInput.vectorId(param(req, "id"));
        if (vectors.get(req, id, false).isEmpty()) throw new NotFoundException("Delete failed: Vector not found: " + id);
        boolean deleted = vectors.softDelete(req, id);
        HttpJson.ok(res, F.objectNode().put("success", true).put("id", id)
                .put("message", deleted ? "Vector soft-deleted successfully" : "Vector already deleted"));
    }

    private void stats(ServerRequest req, ServerResponse res) {
        QuartzVectors.Counts c = vectors.counts(req);
        double ratio = c.all() == 0 ? 0 : 100.0 * c.deleted() / c.all();
        HttpJson.ok(res, F.objectNode().put("success", true).put("num_vectors", c.all()).put("num_active", c.all() - c.deleted())
                .put("num_deleted", c.deleted()).put("deletion_ratio_percent", String.format(Locale.ROOT, "%.1f", ratio))
                .put("dimension", QuartzVectors.DIMENSION));
    }
}
