package io.lodestone.http.ruvector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
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
import io.lodestone.http.quartz.QuartzStore;
import io.lodestone.tenancy.Tenancy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * ruvector's HTTP server routes ({@code ruvector-server}, axum, Qdrant's path style): collections and their points,
 * with its bodies and {@code {"error", "status"}} errors ({@link RuvectorErrorShape}).
 */
public final class RuvectorService implements HttpService {
    static final String PREFIX = "/collections";
    static final String INVALID = "Invalid request: ";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int DEFAULT_K = 10;

    private final ServerLimits limits;
    private final RuvectorCollections collections;
    private final RuvectorPoints points;

    public RuvectorService(Tenancy tenancy, ServerLimits limits) {
        QuartzStore store = new QuartzStore(tenancy, limits);
        this.limits = limits;
        this.collections = new RuvectorCollections(store);
        this.points = new RuvectorPoints(store);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(PREFIX, this::create)
                .get(PREFIX, this::list)
                .get(PREFIX + "/{name}", this::describe)
                .delete(PREFIX + "/{name}", this::delete)
                .put(PREFIX + "/{name}/points", this::upsert)
                .post(PREFIX + "/{name}/points/search", this::search)
                .get(PREFIX + "/{name}/points/{id}", this::getPoint);
    }

    private JsonNode body(ServerRequest req) {
        return JsonValues.object(HttpJson.body(req, limits), "the request body");
    }

    private RuvectorCollections.Config collection(ServerRequest req) {
        return collections.require(req, req.path().pathParameters().get("name"));
    }

    private static ObjectNode info(RuvectorCollections.Config c) {
        return F.objectNode().put("name", c.name()).put("dimension", c.dimension()).put("metric", c.metric().wireName());
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonNode body = body(req);
        String name = RuvectorCollections.validName(JsonValues.string(body.get("name"), "name"));
        int dimension = JsonValues.intIn(body.get("dimension"), "dimension", 1, limits.maxDimensions());
        JsonNode m = body.get("metric");
        RuvectorMetric metric = m == null || m.isNull() ? RuvectorMetric.COSINE : RuvectorMetric.parse(JsonValues.string(m, "metric"));
        RuvectorCollections.Config c = new RuvectorCollections.Config(name, dimension, metric);
        collections.create(req, c);
        HttpJson.send(res, Status.CREATED_201, info(c));
    }

    private void list(ServerRequest req, ServerResponse res) {
        ObjectNode out = F.objectNode();
        ArrayNode names = out.putArray("collections");
        collections.names(req).forEach(names::add);
        HttpJson.ok(res, out);
    }

    private void describe(ServerRequest req, ServerResponse res) {
        HttpJson.ok(res, info(collection(req)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        if (!collections.delete(req, name)) throw new NotFoundException("Collection not found: " + name);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void upsert(ServerRequest req, ServerResponse res) {
        RuvectorCollections.Config c = collection(req);
        JsonNode list = JsonValues.array(body(req).get("points"), "points");
        if (list.size() > limits.maxBatchRows()) {
            throw new InvalidInputException("points has " + list.size() + " entries; the limit per request is " + limits.maxBatchRows());
        }
        List<RuvectorPoints.Point> batch = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) batch.add(point(JsonValues.object(list.get(i), "points[" + i + "]"), "points[" + i + "]"));
        if (!batch.isEmpty()) points.upsert(req, c, batch);
        ObjectNode out = F.objectNode();
        ArrayNode ids = out.putArray("ids");
        batch.forEach(p -> ids.add(p.id()));
        HttpJson.ok(res, out);
    }

    /** A point of an upsert: {@code id} a string (a UUID v4 when absent, as ruvector generates), a vector, metadata. */
    private static RuvectorPoints.Point point(JsonNode p, String where) {
        JsonNode id = p.get("id");
        String pointId = id == null || id.isNull() ? UUID.randomUUID().toString() : JsonValues.string(id, where + ".id");
        JsonNode meta = p.get("metadata");
        ObjectNode metadata = meta == null || meta.isNull() ? null : (ObjectNode) JsonValues.object(meta, where + ".metadata");
        return new RuvectorPoints.Point(pointId, vector(p.get("vector"), where + ".vector"), metadata);
    }

    private static float[] vector(JsonNode n, String where) {
        if (n == null || !n.isArray()) throw new InvalidInputException(where + " must be an array of numbers");
        if (n.isEmpty()) throw new InvalidInputException(where + " must not be empty");
        return JsonValues.vector(n, where);
    }

    private void search(ServerRequest req, ServerResponse res) {
        RuvectorCollections.Config c = collection(req);
        JsonNode body = body(req);
        float[] v = vector(body.get("vector"), "vector");
        JsonNode kNode = body.get("k");
        int k = kNode == null ? DEFAULT_K : JsonValues.intIn(kNode, "k", 0, collections.maxTopK(req));
        JsonNode threshold = body.get("score_threshold");
        if (threshold != null && !threshold.isNull() && !threshold.isNumber()) {
            throw new InvalidInputException("score_threshold must be a number; got " + JsonValues.abbreviate(threshold));
        }
        JsonNode f = body.get("filter");
        ObjectNode filter = f == null || f.isNull() ? null : (ObjectNode) JsonValues.object(f, "filter");
        ObjectNode out = F.objectNode();
        ArrayNode results = out.putArray("results");
        if (k == 0) {
            HttpJson.ok(res, out);
            return;
        }
        for (RuvectorPoints.Found hit : points.search(req, c, v, k, filter)) {
            double score = c.metric().score(hit.distance());
            // as ruvector: keep the results whose score (a distance) is at least the threshold
            if (threshold != null && !threshold.isNull() && (float) score < threshold.floatValue()) continue;
            results.add(point(hit).put("score", (float) score));
        }
        HttpJson.ok(res, out);
    }

    private void getPoint(ServerRequest req, ServerResponse res) {
        RuvectorCollections.Config c = collection(req);
        String id = req.path().pathParameters().get("id");
        HttpJson.ok(res, point(points.get(req, c, id).orElseThrow(() -> new NotFoundException("Point not found: " + id))));
    }

    /** A point as ruvector serializes a {@code VectorEntry}: {@code id}, {@code vector}, {@code metadata} (null when none). */
    private static ObjectNode point(RuvectorPoints.Found p) {
        ObjectNode o = F.objectNode().put("id", p.id());
        o.set("vector", ResultJson.vector(p.vector(), false));
        o.set("metadata", p.metadata() == null ? F.nullNode() : p.metadata());
        return o;
    }
}
