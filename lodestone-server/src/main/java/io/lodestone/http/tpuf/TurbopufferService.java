package io.lodestone.http.tpuf;

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
import io.lodestone.engine.QueryResult;
import io.lodestone.engine.QueryStats;
import io.lodestone.engine.RecallCheck;
import io.lodestone.engine.NamespaceNames;
import io.lodestone.http.AttributeValueLimit;
import io.lodestone.http.FilterJson;
import io.lodestone.engine.WriteRequest;
import io.lodestone.engine.WriteResult;
import io.lodestone.engine.WriteTraffic;
import io.lodestone.http.HttpJson;
import io.lodestone.http.JsonValues;
import io.lodestone.http.ResultJson;
import io.lodestone.http.ServerLimits;
import io.lodestone.tenancy.Access;
import io.lodestone.tenancy.Permit;
import io.lodestone.tenancy.Tenancy;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** The turbopuffer-compatible API (v1 and v2 routes) over the engine. Handlers are thin. */
public final class TurbopufferService implements HttpService {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern LIST_ARGUMENT = Pattern.compile("[A-Za-z0-9_.-]*");

    private final Tenancy tenancy;
    private final ServerLimits limits;
    private final WriteParser writes;
    private final MultiQuery queries;
    private final AttributeValueLimit valueLimit;

    public TurbopufferService(Tenancy tenancy, ServerLimits limits) {
        this.tenancy = tenancy;
        this.limits = limits;
        this.writes = new WriteParser(limits.maxBatchRows());
        this.queries = new MultiQuery(new QueryParser(limits.maxTopK()), limits.maxQueriesPerRequest());
        this.valueLimit = new AttributeValueLimit(limits.maxAttributeValueBytes());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/namespaces", this::list)
                .get("/v2/namespaces", this::list)
                .post("/v2/namespaces/{ns}", this::write)
                .delete("/v2/namespaces/{ns}", this::delete)
                .delete("/v1/namespaces/{ns}", this::delete)
                .post("/v2/namespaces/{ns}/query", this::query)
                .get("/v2/namespaces/{ns}/metadata", this::metadata)
                .get("/v1/namespaces/{ns}/metadata", this::metadata)
                .get("/v1/namespaces/{ns}/schema", this::schema)
                .post("/v1/namespaces/{ns}/schema", this::updateSchema)
                .get("/v1/namespaces/{ns}/hint_cache_warm", this::warm)
                .post("/v1/namespaces/{ns}/_debug/recall", this::recall);
    }

    private Namespace namespace(ServerRequest req, Access access) {
        return tenancy.namespace(req, limits.namespaceName(req.path().pathParameters().get("ns")), access);
    }

    private void list(ServerRequest req, ServerResponse res) {
        String prefix = req.query().first("prefix").map(v -> listArgument(v, "prefix")).orElse(null);
        String cursor = req.query().first("cursor").map(v -> listArgument(v, "cursor")).orElse(null);
        int pageSize = req.query().first("page_size").map(JsonValues::pageSize).orElse(100);
        List<String> names = tenancy.listNamespaces(req, prefix, cursor, pageSize + 1);
        ObjectNode out = F.objectNode();
        ArrayNode arr = out.putArray("namespaces");
        names.stream().limit(pageSize).forEach(n -> arr.addObject().put("id", n));
        if (names.size() > pageSize) out.put("next_cursor", names.get(pageSize - 1));
        else out.putNull("next_cursor");
        HttpJson.ok(res, out);
    }

    /** A prefix or cursor can only ever match namespace names, so it is held to their alphabet and length. */
    private static String listArgument(String value, String what) {
        if (value.length() > NamespaceNames.MAX_LENGTH || !LIST_ARGUMENT.matcher(value).matches() || value.contains("..")) {
            throw new InvalidInputException(what + " may hold only the characters of namespace names ([A-Za-z0-9-_.], at most "
                    + NamespaceNames.MAX_LENGTH + ", no '..'); got '" + JsonValues.abbreviate(F.textNode(value)) + "'");
        }
        return value;
    }

    private void write(ServerRequest req, ServerResponse res) {
        Namespace ns = namespace(req, Access.WRITE);
        WriteParser.Parsed p;
        long start;
        WriteResult r;
        try (WriteTraffic.Scope traffic = WriteTraffic.begin()) { // from the body's first byte: background builds step aside
            p = writes.parse(HttpJson.body(req, limits, WriteBodyReader::read));
            valueLimit.check(p.request());
            start = System.nanoTime();
            r = tenancy.write(req, ns, p.request());
        }
        ObjectNode out = F.objectNode();
        out.put("status", "OK");
        out.put("message", "write applied");
        out.put("rows_affected", r.rowsAffected());
        out.put("rows_upserted", r.rowsUpserted());
        out.put("rows_patched", r.rowsPatched());
        out.put("rows_deleted", r.rowsDeleted());
        if (p.returnAffectedIds()) {
            ArrayNode ids = out.putArray("affected_ids");
            r.affectedIds().forEach(id -> ids.add(ResultJson.id(id)));
        }
        out.putObject("billing").put("billable_logical_bytes_written", p.request().logicalBytes());
        out.putObject("performance").put("server_total_ms", (System.nanoTime() - start) / 1_000_000);
        HttpJson.ok(res, out);
    }

    private void query(ServerRequest req, ServerResponse res) {
        Namespace ns = namespace(req, Access.READ);
        JsonNode body = HttpJson.body(req, limits);
        long start = System.nanoTime();
        MultiQuery.Answer answer;
        try (Permit permit = tenancy.admitQuery(req)) {
            answer = queries.run(ns, body, tenancy.maxTopK(req, limits.maxTopK()));
        }
        QueryStats st = answer.stats();
        ObjectNode out = answer.body();
        out.putObject("billing").put("billable_logical_bytes_queried", st.logicalBytesQueried())
                .put("billable_logical_bytes_returned", st.logicalBytesReturned());
        out.putObject("performance").put("cache_hit_ratio", st.cacheHitRatio()).put("cache_temperature", st.cacheTemperature())
                .put("server_total_ms", (System.nanoTime() - start) / 1_000_000)
                .put("query_execution_ms", st.executionNanos() / 1_000_000)
                .put("exhaustive_search_count", st.unindexedRows())
                .put("approx_namespace_size", st.namespaceRows());
        HttpJson.ok(res, out);
    }

    private void delete(ServerRequest req, ServerResponse res) {
        namespace(req, Access.DELETE).delete();
        HttpJson.ok(res, F.objectNode().put("status", "OK"));
    }

    private void metadata(ServerRequest req, ServerResponse res) {
        NamespaceMetadata m = namespace(req, Access.READ).metadata();
        ObjectNode out = F.objectNode();
        out.set("schema", SchemaJson.render(m.schema(), m.dimensions()));
        out.put("approx_logical_bytes", m.approxLogicalBytes());
        out.put("approx_row_count", m.approxRowCount());
        out.put("created_at", Instant.ofEpochMilli(m.createdAtMillis()).toString());
        out.put("updated_at", Instant.ofEpochMilli(m.updatedAtMillis()).toString());
        if (m.metric() != null) out.put("distance_metric", m.metric().wireName());
        if (m.dimensions() > 0) out.put("dimensions", m.dimensions());
        ObjectNode index = out.putObject("index");
        if (m.unindexedBytes() == 0) {
            index.put("status", "up-to-date");
        } else {
            index.put("status", "updating").put("unindexed_bytes", m.unindexedBytes());
        }
        if (m.annRecall() != null) {
            out.putObject("ann_recall").put("avg_recall", m.annRecall().avgRecall()).put("queries", m.annRecall().queries());
        }
        HttpJson.ok(res, out);
    }

    private void schema(ServerRequest req, ServerResponse res) {
        NamespaceMetadata m = namespace(req, Access.READ).metadata();
        HttpJson.ok(res, SchemaJson.render(m.schema(), m.dimensions()));
    }

    private void updateSchema(ServerRequest req, ServerResponse res) {
        Namespace ns = namespace(req, Access.WRITE);
        JsonNode body = HttpJson.body(req, limits);
        JsonNode schema = body.has("schema") && body.size() == 1 ? body.get("schema") : body;
        WriteRequest.Builder b = WriteRequest.builder();
        SchemaJson.parse(schema).forEach(b::schema);
        WriteRequest w = b.build();
        tenancy.write(req, ns, w); // a schema change can create the namespace
        NamespaceMetadata m = ns.metadata();
        HttpJson.ok(res, SchemaJson.render(m.schema(), m.dimensions()));
    }

    private void warm(ServerRequest req, ServerResponse res) {
        namespace(req, Access.READ).warmCache(); // runs in the background: the hint is answered at once
        HttpJson.ok(res, F.objectNode().put("status", "ACCEPTED").put("message", "cache warm hint accepted"));
    }

    private void recall(ServerRequest req, ServerResponse res) {
        Namespace ns = namespace(req, Access.READ);
        JsonNode body = JsonValues.object(HttpJson.body(req, limits), "recall request");
        for (var e : body.properties()) {
            if (!List.of("num", "top_k", "filters", "queries", "include_ground_truth").contains(e.getKey())) {
                throw new InvalidInputException("unknown field '" + e.getKey()
                        + "' in recall request; expected filters, include_ground_truth, num, queries, top_k");
            }
        }
        int num = body.has("num") ? JsonValues.intIn(body.get("num"), "num", 1, 1000) : 20;
        int topK = body.has("top_k") ? JsonValues.intIn(body.get("top_k"), "top_k", 1, tenancy.maxTopK(req, limits.maxTopK())) : 10;
        List<float[]> given = new java.util.ArrayList<>();
        if (body.hasNonNull("queries")) {
            JsonNode qs = JsonValues.array(body.get("queries"), "queries");
            for (int i = 0; i < qs.size(); i++) given.add(JsonValues.vector(qs.get(i), "queries[" + i + "]"));
        }
        RecallCheck.Result r = RecallCheck.run(ns, given, num, topK, FilterJson.spec(body.get("filters"), "filters"), 42);
        ObjectNode out = F.objectNode();
        out.put("avg_recall", r.avgRecall());
        out.put("avg_ann_count", r.avgAnnCount());
        out.put("avg_exhaustive_count", r.avgExhaustiveCount());
        if (body.path("include_ground_truth").asBoolean(false)) {
            ArrayNode gt = out.putArray("ground_truth");
            for (int i = 0; i < r.queries().size(); i++) {
                ObjectNode q = gt.addObject();
                q.set("query_vector", ResultJson.vector(r.queries().get(i), false));
                ArrayNode ids = q.putArray("nearest_neighbors");
                r.groundTruth().get(i).forEach(id -> ids.addObject().set("id", ResultJson.id(id)));
            }
        }
        HttpJson.ok(res, out);
    }

    static ObjectNode renderResult(QueryResult r, boolean base64) {
        ObjectNode o = F.objectNode();
        if (!r.aggregations().isEmpty() || !r.aggregationGroups().isEmpty()) {
            if (!r.aggregationGroups().isEmpty()) {
                ArrayNode groups = o.putArray("aggregation_groups");
                r.aggregationGroups().forEach(g -> {
                    ObjectNode go = groups.addObject();
                    g.forEach((k, v) -> go.set(k, ResultJson.value(v)));
                });
            } else {
                ObjectNode aggs = o.putObject("aggregations");
                r.aggregations().forEach((k, v) -> aggs.set(k, ResultJson.value(v)));
            }
        } else {
            o.set("rows", ResultJson.rows(r.rows(), base64));
        }
        return o;
    }

}
