package io.lodestone.http.tpuf;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.engine.Mmr;
import io.lodestone.engine.Query;
import io.lodestone.http.FilterJson;
import io.lodestone.http.JsonValues;
import io.lodestone.vector.DistanceMetric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses a turbopuffer v2 query body (single query, or one entry of a multi-query). */
public final class QueryParser {
    static final Set<String> FIELDS = Set.of("rank_by", "top_k", "limit", "filters", "include_attributes",
            "exclude_attributes", "aggregate_by", "group_by", "consistency", "vector_encoding", "distance_metric", "mmr", "ef");
    static final int DEFAULT_TOP_K = 10;

    private final int maxTopK;

    public QueryParser(int maxTopK) {
        this.maxTopK = maxTopK;
    }

    /** A parsed query plus how to render its vectors. */
    public record Parsed(Query query, boolean base64Vectors) {
    }

    public Parsed parse(JsonNode body, Set<String> extraAllowed) {
        JsonValues.object(body, "query");
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!FIELDS.contains(e.getKey()) && !extraAllowed.contains(e.getKey())) {
                throw new InvalidInputException("unknown field '" + e.getKey() + "' in query; expected one of " + WriteParser.sorted(FIELDS));
            }
        }
        Query.RankBy rankBy = body.hasNonNull("rank_by") ? rankBy(body.get("rank_by")) : null;
        if (body.hasNonNull("ef")) {
            if (!(rankBy instanceof Query.RankBy.Vector v) || !v.approximate()) {
                throw new InvalidInputException("ef applies only to rank_by ANN");
            }
            rankBy = new Query.RankBy.Vector(v.vector(), true, v.metric(), JsonValues.intIn(body.get("ef"), "ef", 1, 10_000));
        }
        if (body.hasNonNull("distance_metric")) {
            if (!(rankBy instanceof Query.RankBy.Vector v)) {
                throw new InvalidInputException("distance_metric applies only to rank_by ANN or kNN");
            }
            rankBy = new Query.RankBy.Vector(v.vector(), v.approximate(), metric(body.get("distance_metric")), v.ef());
        }
        Map<String, Query.Aggregation> aggregates = aggregates(body.get("aggregate_by"));
        int topK = topK(body);
        boolean eventual = consistency(body.get("consistency"));
        boolean base64 = vectorEncoding(body.get("vector_encoding"));
        List<String> groupBy = groupBy(body.get("group_by"));
        if (!groupBy.isEmpty() && aggregates.isEmpty()) throw new InvalidInputException("group_by needs aggregate_by");
        Query q = new Query(rankBy, FilterJson.spec(body.get("filters"), "filters"), topK,
                selection(body.get("include_attributes"), body.get("exclude_attributes")), aggregates, groupBy, eventual,
                mmr(body.get("mmr"), topK));
        return new Parsed(q, base64);
    }

    private int topK(JsonNode body) {
        JsonNode topK = body.get("top_k");
        JsonNode limit = body.get("limit");
        if (topK != null && !topK.isNull() && limit != null && !limit.isNull()) {
            throw new InvalidInputException("give top_k or limit, not both");
        }
        JsonNode n = topK != null && !topK.isNull() ? topK : limit;
        if (n == null || n.isNull()) return DEFAULT_TOP_K;
        if (n.isObject() && n.has("total")) n = n.get("total");
        String name = topK != null && !topK.isNull() ? "top_k" : "limit";
        return JsonValues.intIn(n, name, 1, maxTopK);
    }

    private static Query.RankBy rankBy(JsonNode n) {
        JsonValues.array(n, "rank_by");
        if (n.isEmpty() || !n.get(0).isTextual()) throw badRankBy(n);
        switch (n.get(0).textValue()) {
            case "Sum", "Max" -> {
                if (n.size() != 2 || !n.get(1).isArray() || n.get(1).isEmpty()) {
                    throw new InvalidInputException(n.get(0).textValue() + " takes a non-empty list of rank_by clauses; got "
                            + JsonValues.abbreviate(n));
                }
                List<Query.RankBy> parts = new ArrayList<>();
                for (JsonNode p : n.get(1)) parts.add(textClause(p));
                return n.get(0).textValue().equals("Sum") ? new Query.RankBy.Sum(parts) : new Query.RankBy.Max(parts);
            }
            case "Product" -> {
                // ["Product", weight, clause] or ["Product", [weight, clause]]
                JsonNode args = n.size() == 2 && n.get(1).isArray() ? n.get(1) : tail(n);
                if (args.size() != 2 || !args.get(0).isNumber()) {
                    throw new InvalidInputException("Product takes a weight and a rank_by clause; got " + JsonValues.abbreviate(n));
                }
                return new Query.RankBy.Product(args.get(0).doubleValue(), textClause(args.get(1)));
            }
            case "Hybrid" -> {
                return hybrid(n);
            }
            default -> {
            }
        }
        if (n.size() < 2 || !n.get(1).isTextual()) throw badRankBy(n);
        String attr = n.get(0).textValue();
        String op = n.get(1).textValue();
        return switch (op) {
            case "ANN", "kNN" -> {
                if (n.size() != 3) throw new InvalidInputException("rank_by [\"" + attr + "\", \"" + op + "\", vector] needs exactly 3 elements");
                if (!attr.equals("vector")) throw new InvalidInputException("rank_by " + op + " works on the \"vector\" attribute; got '" + attr + "'");
                float[] v = JsonValues.vector(n.get(2), "rank_by vector");
                if (v == null) throw new InvalidInputException("rank_by " + op + " needs a query vector");
                yield new Query.RankBy.Vector(v, op.equals("ANN"));
            }
            case "asc", "desc" -> {
                if (n.size() != 2) throw new InvalidInputException("rank_by [\"" + attr + "\", \"" + op + "\"] takes exactly 2 elements");
                yield new Query.RankBy.Attribute(attr, op.equals("desc"));
            }
            case "BM25" -> bm25(n);
            default -> throw new InvalidInputException("unknown rank_by operator '" + op + "'; expected ANN, kNN, BM25, asc or desc");
        };
    }

    private static JsonNode tail(JsonNode n) {
        com.fasterxml.jackson.databind.node.ArrayNode a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (int i = 1; i < n.size(); i++) a.add(n.get(i));
        return a;
    }

    private static InvalidInputException badRankBy(JsonNode n) {
        return new InvalidInputException("rank_by must look like [\"vector\", \"ANN\", [...]], [\"attr\", \"BM25\", \"text\"], "
                + "[\"attr\", \"asc\"], [\"Sum\", [...]], [\"Max\", [...]], [\"Product\", w, clause] or [\"Hybrid\", {...}]; got "
                + JsonValues.abbreviate(n));
    }

    /** [attr, "BM25", "query text"], exactly. */
    private static Query.RankBy bm25(JsonNode n) {
        if (n.size() != 3 || !n.get(0).isTextual() || !n.get(2).isTextual()) {
            throw new InvalidInputException("BM25 clause must be [\"attr\", \"BM25\", \"query text\"]; got " + JsonValues.abbreviate(n));
        }
        return new Query.RankBy.Text(n.get(0).textValue(), n.get(2).textValue());
    }

    /**
     * A clause that ranks by text: [attr, "BM25", "query"] or a Sum/Max/Product of them. Recursion follows the
     * JSON nesting, which the body parser bounds ({@code HttpJson.MAX_NESTING_DEPTH}).
     */
    private static Query.RankBy textClause(JsonNode n) {
        Query.RankBy r = rankBy(JsonValues.array(n, "rank_by clause"));
        if (r instanceof Query.RankBy.Text || r instanceof Query.RankBy.Sum || r instanceof Query.RankBy.Max
                || r instanceof Query.RankBy.Product) {
            return r;
        }
        throw new InvalidInputException("Sum, Max and Product combine BM25 clauses; got " + JsonValues.abbreviate(n));
    }

    /** ["Hybrid", {"vector": [...ANN/kNN clause], "text": BM25 clause, "fusion": "rrf"|"weighted", "alpha", "rank_constant", "candidates"}]. */
    private static Query.RankBy hybrid(JsonNode n) {
        if (n.size() != 2 || !n.get(1).isObject()) {
            throw new InvalidInputException("Hybrid takes one object: [\"Hybrid\", {\"vector\": [...], \"text\": [...], \"fusion\": \"rrf\"}]");
        }
        JsonNode o = n.get(1);
        for (var e : o.properties()) {
            if (!List.of("vector", "text", "fusion", "alpha", "rank_constant", "candidates").contains(e.getKey())) {
                throw new InvalidInputException("unknown field '" + e.getKey()
                        + "' in Hybrid; expected alpha, candidates, fusion, rank_constant, text, vector");
            }
        }
        if (!(rankBy(JsonValues.array(o.get("vector"), "Hybrid.vector")) instanceof Query.RankBy.Vector v)) {
            throw new InvalidInputException("Hybrid.vector must be [\"vector\", \"ANN\"|\"kNN\", [...]]");
        }
        Query.RankBy text = textClause(JsonValues.array(o.get("text"), "Hybrid.text"));
        String fusion = o.path("fusion").asText("rrf");
        if (!fusion.equals("rrf") && !fusion.equals("weighted")) {
            throw new InvalidInputException("Hybrid.fusion must be \"rrf\" or \"weighted\"; got \"" + fusion + "\"");
        }
        double alpha = o.path("alpha").asDouble(0.5);
        if (!(alpha >= 0 && alpha <= 1)) throw new InvalidInputException("Hybrid.alpha must be in [0, 1]; got " + o.get("alpha"));
        double k = o.path("rank_constant").asDouble(60);
        if (!(k >= 0)) throw new InvalidInputException("Hybrid.rank_constant must be >= 0; got " + o.get("rank_constant"));
        int candidates = o.has("candidates") ? JsonValues.intIn(o.get("candidates"), "Hybrid.candidates", 1, 10_000) : 100;
        return new Query.RankBy.Hybrid(v, text, fusion.equals("weighted"), alpha, k, candidates);
    }

    /** {@code "mmr": {"lambda": 0.5, "candidates": 100}}; candidates defaults to 4 × top_k. */
    private static Mmr mmr(JsonNode n, int topK) {
        if (n == null || n.isNull()) return null;
        JsonValues.object(n, "mmr");
        for (var e : n.properties()) {
            if (!e.getKey().equals("lambda") && !e.getKey().equals("candidates")) {
                throw new InvalidInputException("unknown field '" + e.getKey() + "' in mmr; expected candidates, lambda");
            }
        }
        JsonNode lambda = n.get("lambda");
        if (lambda != null && !lambda.isNumber()) throw new InvalidInputException("mmr.lambda must be a number; got " + lambda);
        int candidates = n.has("candidates") ? JsonValues.intIn(n.get("candidates"), "mmr.candidates", topK, 10_000)
                : Math.min(10_000, 4 * topK);
        return new Mmr(lambda == null ? 0.5 : lambda.doubleValue(), candidates);
    }

    private static DistanceMetric metric(JsonNode n) {
        if (!n.isTextual()) throw new InvalidInputException("distance_metric must be a string; got " + JsonValues.abbreviate(n));
        try {
            return DistanceMetric.parse(n.textValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    private static Map<String, Query.Aggregation> aggregates(JsonNode n) {
        if (n == null || n.isNull()) return Map.of();
        JsonValues.object(n, "aggregate_by");
        Map<String, Query.Aggregation> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            JsonNode f = e.getValue();
            if (!f.isArray() || f.isEmpty() || !"Count".equals(f.get(0).asText())) {
                throw new InvalidInputException("aggregate_by." + e.getKey() + " must be [\"Count\"]; got " + JsonValues.abbreviate(f));
            }
            out.put(e.getKey(), Query.Aggregation.COUNT);
        }
        if (out.isEmpty()) throw new InvalidInputException("aggregate_by must name at least one aggregation");
        return out;
    }

    private static List<String> groupBy(JsonNode n) {
        if (n == null || n.isNull()) return List.of();
        return strings(n, "group_by");
    }

    private static boolean consistency(JsonNode n) {
        if (n == null || n.isNull()) return false;
        JsonValues.object(n, "consistency");
        String level = n.path("level").asText("strong");
        return switch (level) {
            case "strong" -> false;
            case "eventual" -> true;
            default -> throw new InvalidInputException("consistency.level must be \"strong\" or \"eventual\"; got \"" + level + "\"");
        };
    }

    private static boolean vectorEncoding(JsonNode n) {
        if (n == null || n.isNull()) return false;
        return switch (n.asText()) {
            case "float" -> false;
            case "base64" -> true;
            default -> throw new InvalidInputException("vector_encoding must be \"float\" or \"base64\"; got " + n);
        };
    }

    private static Query.AttributeSelection selection(JsonNode include, JsonNode exclude) {
        Set<String> ex = exclude == null || exclude.isNull() ? Set.of() : new LinkedHashSet<>(strings(exclude, "exclude_attributes"));
        if (include == null || include.isNull()) {
            return ex.isEmpty() ? Query.AttributeSelection.NONE : new Query.AttributeSelection(true, Set.of(), ex);
        }
        if (include.isBoolean()) return new Query.AttributeSelection(include.booleanValue(), Set.of(), ex);
        return new Query.AttributeSelection(false, new LinkedHashSet<>(strings(include, "include_attributes")), ex);
    }

    private static List<String> strings(JsonNode n, String what) {
        JsonValues.array(n, what);
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) throw new InvalidInputException(what + " must hold attribute names; got " + JsonValues.abbreviate(e));
            out.add(e.textValue());
        }
        return out;
    }
}
