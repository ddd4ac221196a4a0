package io.lodestone.engine;

import io.lodestone.vector.DistanceMetric;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One query against a namespace.
 *
 * @param rankBy      how to order results; null orders by id ascending
 * @param filter      which documents qualify, or null for all
 * @param topK        how many rows (or groups) to return, ≥ 1
 * @param attributes  which attributes the rows carry
 * @param aggregateBy named aggregations over all matching documents (only {@code Count} so far), or empty
 * @param groupBy     attributes to group the aggregations by, or empty
 * @param eventual    skip the freshness check against the log (consistency level "eventual")
 * @param mmr         diversify the ranked rows with maximal marginal relevance, or null
 */
public record Query(RankBy rankBy, FilterSpec filter, int topK, AttributeSelection attributes,
                    Map<String, Aggregation> aggregateBy, List<String> groupBy, boolean eventual, Mmr mmr) {

    public Query {
        attributes = attributes == null ? AttributeSelection.NONE : attributes;
        aggregateBy = aggregateBy == null ? Map.of() : aggregateBy;
        groupBy = groupBy == null ? List.of() : groupBy;
    }

    /** A query without diversification. */
    public Query(RankBy rankBy, FilterSpec filter, int topK, AttributeSelection attributes,
                 Map<String, Aggregation> aggregateBy, List<String> groupBy, boolean eventual) {
        this(rankBy, filter, topK, attributes, aggregateBy, groupBy, eventual, null);
    }

    /** A nearest-neighbour query on the vector, returning ids and distances. */
    public static Query nearest(float[] vector, int topK) {
        return new Query(new RankBy.Vector(vector, true), null, topK, AttributeSelection.NONE, Map.of(), List.of(), false);
    }

    /** Ways to order results. */
    public sealed interface RankBy {
        /**
         * By distance to a vector; {@code approximate} is ANN, otherwise exact kNN. {@code metric} overrides
         * the namespace's metric (null: use it); any of the nine metrics works for kNN, ANN needs the
         * namespace's own. {@code ef} is the ANN candidate list size (0: the default).
         */
        record Vector(float[] vector, boolean approximate, DistanceMetric metric, int ef) implements RankBy {
            public Vector(float[] vector, boolean approximate) {
                this(vector, approximate, null, 0);
            }

            public Vector(float[] vector, boolean approximate, DistanceMetric metric) {
                this(vector, approximate, metric, 0);
            }
        }

        /** By an attribute's value ({@code "id"} for the id); missing values sort last. */
        record Attribute(String attribute, boolean descending) implements RankBy {
        }

        /** By BM25 score of {@code query} against a full-text attribute (higher first). */
        record Text(String attribute, String query) implements RankBy {
        }

        /** By the sum of the parts' text scores (a document scores 0 in a part it does not match). */
        record Sum(List<RankBy> parts) implements RankBy {
        }

        /** By the largest of the parts' text scores. */
        record Max(List<RankBy> parts) implements RankBy {
        }

        /** By a part's text score times a weight. */
        record Product(double weight, RankBy part) implements RankBy {
        }

        /**
         * Vector and text ranking in one query: each ranks {@code candidates} documents, then the two lists
         * are fused by reciprocal rank fusion ({@code rrf}) or by {@code alpha · vector + (1 − alpha) · text}
         * over min-max normalized scores ({@code weighted}).
         */
        record Hybrid(Vector vector, RankBy text, boolean weighted, double alpha, double rankConstant, int candidates)
                implements RankBy {
        }
    }

    /** An aggregation function. */
    public enum Aggregation { COUNT }

    /**
     * Which attributes to return.
     *
     * @param all     every attribute (minus {@code exclude})
     * @param include the attributes to return when not {@code all}
     * @param exclude attributes to leave out
     */
    public record AttributeSelection(boolean all, Set<String> include, Set<String> exclude) {
        public static final AttributeSelection NONE = new AttributeSelection(false, Set.of(), Set.of());
        public static final AttributeSelection ALL = new AttributeSelection(true, Set.of(), Set.of());

        public boolean includes(String attribute) {
            return (all || include.contains(attribute)) && !exclude.contains(attribute);
        }
    }
}
