package io.lodestone.http.vecpuff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.NamespaceMetadata;
import io.lodestone.engine.Query;
import io.lodestone.engine.QueryResult;
import io.lodestone.engine.WriteResult;
import io.lodestone.engine.WriteRequest;
import io.lodestone.http.AttributeValueLimit;
import io.lodestone.http.FilterJson;
import io.lodestone.http.HttpJson;
import io.lodestone.http.JsonValues;
import io.lodestone.http.ResultJson;
import io.lodestone.http.ServerLimits;
import io.lodestone.tenancy.Access;
import io.lodestone.tenancy.Permit;
import io.lodestone.tenancy.Tenancy;
import io.lodestone.http.tpuf.WriteParser;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The VecPuff API shapes over the same engine. */
public final class VecPuffService implements HttpService {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> WRITE_FIELDS = Set.of("upsert_rows", "patch_rows", "deletes", "distance_metric");
    private static final Set<String> QUERY_FIELDS = Set.of("query_vector", "top_k", "filters", "include_vectors");

    private final Tenancy tenancy;
    private final ServerLimits limits;
    private final WriteParser writes;
    private final AttributeValueLimit valueLimit;

    public VecPuffService(Tenancy tenancy, ServerLimits limits) {
        this.tenancy = tenancy;
        this.limits = limits;
        this.writes = new WriteParser(limits.maxBatchRows());
        this.valueLimit = new AttributeValueLimit(limits.maxAttributeValueBytes());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/namespaces", this::list)
                .post("/namespaces/{ns}", this::write)
                .delete("/namespaces/{ns}", this::delete)
                .post("/namespaces/{ns}/query", this::query)
                .post("/namespaces/{ns}/metadata", this::metadata)
                .get("/namespaces/{ns}/metadata", this::metadata);
    }

    private Namespace namespace(ServerRequest req, Access access) {
        return tenancy.namespace(req, limits.namespaceName(req.path().pathParameters().get("ns")), access);
    }

    private void list(ServerRequest req, ServerResponse res) {
        ObjectNode out = F.objectNode();
        ArrayNode arr = out.putArray("namespaces");
        String cursor = null;
        List<String> page;
        do {
            page = tenancy.listNamespaces(req, null, cursor, 1000);
            page.forEach(n -> arr.addObject().put("id", n));
            cursor = page.isEmpty() ? null : page.getLast();
        } while (page.size() == 1000);
        HttpJson.ok(res, out);
    }

    private void write(ServerRequest req, ServerResponse res) {
        Namespace ns = namespace(req, Access.WRITE);
        JsonNode body = JsonValues.object(HttpJson.body(req, limits), "write request body");
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!WRITE_FIELDS.contains(e.getKey())) {
                throw new InvalidInputException("unknown field '" + e.getKey() + "'; expected one of deletes, distance_metric, patch_rows, upsert_rows");
            }
        }
        WriteRequest w = writes.parse(body).request();
        valueLimit.check(w);
        WriteResult r = tenancy.write(req, ns, w);
        HttpJson.ok(res, F.objectNode().put("upserted_count", r.rowsUpserted())
                .put("patched_count", r.rowsPatched()).put("deleted_count", r.rowsDeleted()));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        namespace(req, Access.DELETE).delete();
        HttpJson.ok(res, F.objectNode().put("status", "ok"));
    }

    private void query(ServerRequest req, ServerResponse res) {
        Namespace ns = namespace(req, Access.READ);
        JsonNode body = JsonValues.object(HttpJson.body(req, limits), "query body");
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!QUERY_FIELDS.contains(e.getKey())) {
                throw new InvalidInputException("unknown field '" + e.getKey() + "'; expected one of filters, include_vectors, query_vector, top_k");
            }
        }
        int topK = body.has("top_k") ? JsonValues.intIn(body.get("top_k"), "top_k", 1, tenancy.maxTopK(req, limits.maxTopK())) : 10;
        float[] v = JsonValues.vector(body.get("query_vector"), "query_vector");
        Query.RankBy rank = v == null ? null : new Query.RankBy.Vector(v, true);
        boolean vectors = body.path("include_vectors").asBoolean(true);
        Query.AttributeSelection sel = vectors ? Query.AttributeSelection.ALL
                : new Query.AttributeSelection(true, Set.of(), Set.of("vector"));
        QueryResult r;
        try (Permit permit = tenancy.admitQuery(req)) {
            r = ns.query(new Query(rank, FilterJson.spec(body.get("filters"), "filters"), topK, sel, Map.of(), List.of(), false));
        }
        ObjectNode out = F.objectNode();
        ArrayNode arr = out.putArray("results");
        r.rows().forEach(row -> {
            ObjectNode o = ResultJson.row(row, false, "dist");
            if (row.distance() != null) o.put("score", 1.0 - row.distance());
            arr.add(o);
        });
        out.put("total_count", r.rows().size());
        HttpJson.ok(res, out);
    }

    private void metadata(ServerRequest req, ServerResponse res) {
        NamespaceMetadata m = namespace(req, Access.READ).metadata();
        ObjectNode out = F.objectNode();
        out.put("approx_row_count", m.approxRowCount());
        out.putObject("index").put("status", m.unindexedBytes() == 0 ? "up_to_date" : "updating")
                .put("indexed_row_count", m.indexedRowCount()).put("unindexed_bytes", m.unindexedBytes());
        out.put("created_at", Instant.ofEpochMilli(m.createdAtMillis()).toString());
        out.put("updated_at", Instant.ofEpochMilli(m.updatedAtMillis()).toString());
        if (m.dimensions() > 0) out.put("dimensions", m.dimensions());
        if (m.metric() != null) out.put("distance_metric", m.metric().wireName());
        HttpJson.ok(res, out);
    }
}
