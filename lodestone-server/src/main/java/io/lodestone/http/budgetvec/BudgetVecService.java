package io.lodestone.http.budgetvec;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.WriteRequest;
import io.lodestone.engine.WriteResult;
import io.lodestone.engine.WriteTraffic;
import io.lodestone.http.AttributeValueLimit;
import io.lodestone.http.HttpJson;
import io.lodestone.http.ServerLimits;
import io.lodestone.http.tpuf.WriteParser;
import io.lodestone.tenancy.Access;
import io.lodestone.tenancy.Permit;
import io.lodestone.tenancy.Tenancy;
import io.lodestone.vector.DistanceMetric;

/**
 * BudgetVec's JSON Lines import, {@code POST /v2/namespaces/{ns}/import/jsonl[?distance_metric=...]}: the rows of
 * the body ({@link JsonLinesImport}) upserted as one atomic write, acknowledged once durable, answered with the
 * counts the write measured.
 */
public final class BudgetVecService implements HttpService {
    private final Tenancy tenancy;
    private final ServerLimits limits;
    private final AttributeValueLimit valueLimit;

    public BudgetVecService(Tenancy tenancy, ServerLimits limits) {
        this.tenancy = tenancy;
        this.limits = limits;
        this.valueLimit = new AttributeValueLimit(limits.maxAttributeValueBytes());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v2/namespaces/{ns}/import/jsonl", this::importJsonLines);
    }

    private void importJsonLines(ServerRequest req, ServerResponse res) {
        Namespace ns = tenancy.namespace(req, limits.namespaceName(req.path().pathParameters().get("ns")), Access.WRITE);
        DistanceMetric metric = req.query().first("distance_metric").map(WriteParser::namespaceMetric).orElse(null);
        WriteResult r;
        try (WriteTraffic.Scope traffic = WriteTraffic.begin()) { // from the body's first byte: background builds step aside
            WriteRequest w = HttpJson.body(req, limits, p -> JsonLinesImport.read(p, metric, limits.maxBatchRows()));
            valueLimit.check(w);
            r = tenancy.write(req, ns, w);
        }
        HttpJson.ok(res, JsonNodeFactory.instance.objectNode().put("status", "OK")
                .put("rows_affected", r.rowsAffected())
                .put("rows_upserted", r.rowsUpserted())
                .put("rows_deleted", r.rowsDeleted()));
    }
}
