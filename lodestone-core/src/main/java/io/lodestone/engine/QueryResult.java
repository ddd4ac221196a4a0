package io.lodestone.engine;

import io.lodestone.doc.DocId;

import java.util.List;
import java.util.Map;

/**
 * Result of a {@link Query}.
 *
 * @param rows              the ranked rows
 * @param aggregations      aggregation name → value (when not grouped)
 * @param aggregationGroups one map per group: the group-by attributes' values plus each aggregation
 * @param stats             what the engine measured answering it; null for results not made by
 *                          {@link Namespace#query} (e.g. fused ones)
 */
public record QueryResult(List<Row> rows, Map<String, Object> aggregations, List<Map<String, Object>> aggregationGroups,
                          QueryStats stats) {

    /** A result without measurements (the engine adds them when it returns the result). */
    public QueryResult(List<Row> rows, Map<String, Object> aggregations, List<Map<String, Object>> aggregationGroups) {
        this(rows, aggregations, aggregationGroups, null);
    }

    /** This result with the given measurements. */
    public QueryResult withStats(QueryStats s) {
        return new QueryResult(rows, aggregations, aggregationGroups, s);
    }

    /**
     * One result row.
     *
     * @param id         document id
     * @param distance   distance or score ({@code $dist}), or null when ranking by attribute
     * @param vector     the vector when requested, else null
     * @param attributes the requested attributes
     */
    public record Row(DocId id, Double distance, float[] vector, Map<String, Object> attributes) {
    }
}
