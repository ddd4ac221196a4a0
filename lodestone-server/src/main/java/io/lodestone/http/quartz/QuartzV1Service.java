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
import io.lodestone.engine.QueryResult;
import io.lodestone.http.HttpJson;
import io.lodestone.http.JsonValues;
import io.lodestone.http.NotFoundException;
import io.lodestone.http.ResultJson;
import io.lodestone.http.ServerLimits;
import io.lodestone.store.ObjectStore;
import io.lodestone.tenancy.Tenancy;

/**
 * QuartzDB's native server API ({@code quartz-server}, {@code /api/v1/...}): the key-value store, named vector
 * indexes with numeric ids, health and stats, with its success bodies and {@code {"error", "message"}} errors.
 */
public final class QuartzV1Service implements HttpService {
    static final String PREFIX = "/api/v1";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ServerLimits limits;
    private final QuartzKv kv;
    private final QuartzIndexes indexes;
    private final String version = QuartzV1Service.class.getPackage().getImplementationVersion();

    /** @param control the default region's store, where id blocks are claimed ({@link IdBlocks}) */
    public QuartzV1Service(Tenancy tenancy, ServerLimits limits, ObjectStore control) {
        QuartzStore store = new QuartzStore(tenancy, limits);
        this.limits = limits;
        this.kv = new QuartzKv(store);
        this.indexes = new QuartzIndexes(store, new IdBlocks(control));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PREFIX + "/health", this::health)
                .get(PREFIX + "/stats", this::stats)
                .get(PREFIX + "/kv/{key}", this::get)
                .post(PREFIX + "/kv/{key}", this::put)
                .put(PREFIX + "/kv/{key}", this::put)
                .delete(PREFIX + "/kv/{key}", this::delete)
                .get(PREFIX + "/indexes", this::list)
                .post(PREFIX + "/indexes/{name}", this::create)
                .get(PREFIX + "/indexes/{name}", this::describe)
                .delete(PREFIX + "/indexes/{name}", this::deleteIndex)
                .post(PREFIX + "/indexes/{name}/vectors", this::insert)
                .post(PREFIX + "/indexes/{name}/vectors/search", this::search)
                .get(PREFIX + "/indexes/{name}/vectors/{id}", this::getVector)
                .delete(PREFIX + "/indexes/{name}/vectors/{id}", this::deleteVector);
    }

    private JsonNode body(ServerRequest req) {
        return JsonValues.object(HttpJson.body(req, limits), "the request body");
    }

    private static String param(ServerRequest req, String name) {
        return req.path().pathParameters().get(name);
    }

    private QuartzIndexes.Config index(ServerRequest req) {
        return indexes.require(req, param(req, "name"));
    }

    private static long vectorId(ServerRequest req) {
        String id = param(req, "id");
        try {
            return Long.parseUnsignedLong(id);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("Invalid vector id '" + id + "': it must be an unsigned integer");
        }
    }

    private void health(ServerRequest req, ServerResponse res) {
        ObjectNode out = F.objectNode().put("status", "healthy");
        if (version != null) out.put("version", version);
        HttpJson.ok(res, out);
    }

    /** Of QuartzDB's storage statistics only {@code wal_enabled} has a Lodestone counterpart: every write is logged. */
    private void stats(ServerRequest req, ServerResponse res) {
        HttpJson.ok(res, F.objectNode().put("wal_enabled", true));
    }

    private void get(ServerRequest req, ServerResponse res) {
        String key = param(req, "key");
        String value = kv.get(req, key).orElseThrow(() -> new NotFoundException("not_found", "Key '" + key + "' not found"));
        HttpJson.ok(res, F.objectNode().put("key", key).put("value", value));
    }

    private void put(ServerRequest req, ServerResponse res) {
        String key = param(req, "key");
        kv.put(req, key, QuartzInput.string(body(req), "value"));
        HttpJson.ok(res, F.objectNode().put("key", key).put("message", "Value stored successfully"));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String key = param(req, "key");
        if (!kv.delete(req, key)) throw new NotFoundException("not_found", "Key '" + key + "' not found");
        HttpJson.ok(res, F.objectNode().put("key", key).put("message", "Key deleted successfully"));
    }

    private ObjectNode info(ServerRequest req, QuartzIndexes.Config c) {
        return F.objectNode().put("name", c.name()).put("dimension", c.dimension()).put("metric", c.metric().v1Name())
                .put("num_vectors", indexes.size(req, c));
    }

    private void list(ServerRequest req, ServerResponse res) {
        ObjectNode out = F.objectNode();
        ArrayNode arr = out.putArray("indexes");
        indexes.list(req).forEach(c -> arr.add(info(req, c)));
        HttpJson.ok(res, out);
    }

    private void describe(ServerRequest req, ServerResponse res) {
        HttpJson.ok(res, info(req, index(req)));
    }

    private void create(ServerRequest req, ServerResponse res) {
        String name = param(req, "name");
        QuartzIndexes.namespaceOf(name);
        JsonNode body = body(req);
        int dimension = JsonValues.intIn(body.get("dimension"), "dimension", 1, limits.maxDimensions());
        JsonNode m = body.get("metric");
        String metricName = m == null || m.isNull() ? QuartzMetric.COSINE.wireName() : QuartzInput.string(body, "metric");
        indexes.create(req, new QuartzIndexes.Config(name, dimension, QuartzMetric.parse(metricName)));
        HttpJson.ok(res, F.objectNode().put("message", "Vector index '" + name + "' initialized successfully")
                .put("dimension", dimension).put("metric", metricName));
    }

    private void deleteIndex(ServerRequest req, ServerResponse res) {
        String name = param(req, "name");
        if (!indexes.delete(req, name)) throw new NotFoundException("index_not_found", "Index '" + name + "' not found");
        HttpJson.ok(res, F.objectNode().put("name", name).put("message", "Index '" + name + "' deleted successfully"));
    }

    private void insert(ServerRequest req, ServerResponse res) {
        QuartzIndexes.Config c = index(req);
        JsonNode body = body(req);
        float[] v = QuartzInput.vector(body.get("vector"), "");
        JsonNode meta = body.get("metadata");
        String metadata = meta == null || meta.isNull() ? null : QuartzInput.string(body, "metadata");
        long id = indexes.insert(req, c, v, metadata);
        HttpJson.ok(res, F.objectNode().put("id", id).put("message", "Vector inserted into index '" + c.name() + "' successfully"));
    }

    private void search(ServerRequest req, ServerResponse res) {
        QuartzIndexes.Config c = index(req);
        JsonNode body = body(req);
        float[] v = QuartzInput.vector(body.get("vector"), "");
        JsonNode kNode = body.get("k");
        int k = kNode == null || kNode.isNull() ? 10 : JsonValues.intIn(kNode, "k", 1, limits.maxTopK());
        ObjectNode out = F.objectNode();
        ArrayNode results = out.putArray("results");
        for (QueryResult.Row r : indexes.search(req, c, v, k)) {
            ObjectNode o = results.addObject().put("id", ((io.lodestone.doc.DocId.U64) r.id()).value())
                    .put("distance", c.metric().v1Distance(r.distance()));
            o.set("vector", ResultJson.vector(r.vector(), false));
            o.put("metadata", (String) r.attributes().get(QuartzIndexes.METADATA));
        }
        HttpJson.ok(res, out);
    }

    private void getVector(ServerRequest req, ServerResponse res) {
        QuartzIndexes.Config c = index(req);
        long id = vectorId(req);
        QueryResult.Row r = indexes.get(req, c, id)
                .orElseThrow(() -> new NotFoundException("vector_not_found", "Vector with id " + Long.toUnsignedString(id) + " not found"));
        ObjectNode out = F.objectNode().put("id", id);
        out.set("vector", ResultJson.vector(r.vector(), false));
        out.put("metadata", (String) r.attributes().get(QuartzIndexes.METADATA));
        HttpJson.ok(res, out);
    }

    private void deleteVector(ServerRequest req, ServerResponse res) {
        QuartzIndexes.Config c = index(req);
        long id = vectorId(req);
        if (!indexes.deleteVector(req, c, id)) {
            throw new NotFoundException("vector_not_found", "Vector with id " + Long.toUnsignedString(id) + " not found");
        }
        HttpJson.ok(res, F.objectNode().put("id", id).put("message", "Vector deleted from index '" + c.name() + "' successfully"));
    }
}
