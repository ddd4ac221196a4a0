package io.lodestone.http.tpuf;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.doc.InvalidInputException;
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
            "exclude_attributes", "aggregate_by", "group_by", "consistency", "vector_encoding", "distance_metric");
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
        if (body.hasNonNull("distance_metric")) {
            if (!(rankBy instanceof Query.RankBy.Vector v)) {
                throw new InvalidInputException("distance_metric applies only to rank_by ANN or kNN");
            }
            rankBy = new Query.RankBy.Vector(v.vector(), v.approximate(), metric(body.get("distance_metric")));
        }
        Map<String, Query.Aggregation> aggregates = aggregates(body.get("aggregate_by"));
        int topK = topK(body);
        boolean eventual = consistency(body.get("consistency"));
        boolean base64 = vectorEncoding(body.get("vector_encoding"));
        List<String> groupBy = groupBy(body.get("group_by"));
        if (!groupBy.isEmpty() && aggregates.isEmpty()) throw new InvalidInputException("group_by needs aggregate_by");
        Query q = new Query(rankBy, FilterJson.spec(body.get("filters"), "filters"), topK,
                selection(body.get("include_attributes"), body.get("exclude_attributes")), aggregates, groupBy, eventual);
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
        if (n.size() < 2 || !n.get(0).isTextual() || !n.get(1).isTextual()) {
            throw new InvalidInputException("rank_by must look like [\"vector\", \"ANN\", [...]] or [\"attr\", \"asc\"]; got "
                    + JsonValues.abbreviate(n));
        }
        String attr = n.get(0).textValue();
        String op = n.get(1).textValue();
        switch (attr) {
            case "Sum", "Max", "Product" -> throw new InvalidInputException("rank_by " + attr + " (text ranking) is not supported yet");
            default -> { }
        }
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
            case "BM25" -> throw new InvalidInputException("rank_by BM25 is not supported yet");
            default -> throw new InvalidInputException("unknown rank_by operator '" + op + "'; expected ANN, kNN, asc or desc");
        };
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
