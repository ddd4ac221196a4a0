package io.lodestone.http.tpuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.QueryResult;
import io.lodestone.engine.QueryStats;
import io.lodestone.engine.Rrf;
import io.lodestone.http.JsonValues;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A query body: a single query, or {@code {queries:[...], rerank_by?}}. With {@code rerank_by: ["RRF", {rank_constant}]}
 * the results are fused into one list by reciprocal rank fusion.
 */
final class MultiQuery {
    private final QueryParser parser;
    private final int maxQueries;

    MultiQuery(QueryParser parser, int maxQueries) {
        this.parser = parser;
        this.maxQueries = maxQueries;
    }

    /** The rendered answer, and what the engine measured over all its queries. */
    record Answer(ObjectNode body, QueryStats stats) {
    }

    /** Runs the query or queries of {@code body}; each top_k must be at most {@code maxTopK} (the tenant's quota). */
    Answer run(Namespace ns, JsonNode body, int maxTopK) {
        JsonValues.object(body, "query body");
        if (!body.has("queries")) {
            QueryParser.Parsed p = withinTopK(parser.parse(body, Set.of()), maxTopK);
            QueryResult r = ns.query(p.query());
            return new Answer(TurbopufferService.renderResult(r, p.base64Vectors()), r.stats());
        }
        for (var e : body.properties()) {
            if (!e.getKey().equals("queries") && !e.getKey().equals("rerank_by")) {
                throw new InvalidInputException("unknown field '" + e.getKey() + "' in multi-query; expected queries, rerank_by");
            }
        }
        JsonNode qs = JsonValues.array(body.get("queries"), "queries");
        if (qs.isEmpty() || qs.size() > maxQueries) {
            throw new InvalidInputException("queries must hold 1.." + maxQueries + " queries; got " + qs.size());
        }
        List<QueryParser.Parsed> parsed = new ArrayList<>();
        for (int i = 0; i < qs.size(); i++) {
            try {
                parsed.add(withinTopK(parser.parse(qs.get(i), Set.of()), maxTopK));
            } catch (InvalidInputException e) {
                throw new InvalidInputException("queries[" + i + "]: " + e.getMessage());
            }
        }
        List<QueryResult> results = new ArrayList<>();
        for (QueryParser.Parsed p : parsed) results.add(ns.query(p.query()));
        QueryStats stats = results.stream().map(QueryResult::stats).reduce(QueryStats::plus).orElseThrow();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        JsonNode rerank = body.get("rerank_by");
        if (rerank != null && !rerank.isNull()) {
            double k = rankConstant(rerank);
            int topK = parsed.stream().mapToInt(p -> p.query().topK()).max().orElse(QueryParser.DEFAULT_TOP_K);
            QueryResult fused = Rrf.fuse(results, k, topK);
            ArrayNode arr = out.putArray("results");
            arr.add(TurbopufferService.renderResult(fused, parsed.getFirst().base64Vectors()));
            return new Answer(out, stats);
        }
        ArrayNode arr = out.putArray("results");
        for (int i = 0; i < results.size(); i++) {
            arr.add(TurbopufferService.renderResult(results.get(i), parsed.get(i).base64Vectors()));
        }
        return new Answer(out, stats);
    }

    private static QueryParser.Parsed withinTopK(QueryParser.Parsed p, int maxTopK) {
        if (p.query().topK() > maxTopK) {
            throw new InvalidInputException("top_k " + p.query().topK() + " is over the tenant's quota max_top_k " + maxTopK);
        }
        return p;
    }

    private static double rankConstant(JsonNode n) {
        if (!n.isArray() || n.isEmpty() || !"RRF".equals(n.get(0).asText())) {
            throw new InvalidInputException("rerank_by must be [\"RRF\"] or [\"RRF\", {\"rank_constant\": k}]; got " + JsonValues.abbreviate(n));
        }
        if (n.size() < 2) return Rrf.DEFAULT_RANK_CONSTANT;
        JsonNode k = n.get(1).get("rank_constant");
        if (k == null) return Rrf.DEFAULT_RANK_CONSTANT;
        if (!k.isNumber() || k.doubleValue() < 0) throw new InvalidInputException("rank_constant must be a non-negative number; got " + k);
        return k.doubleValue();
    }
}
