package io.lodestone.text;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A BM25 full-text query: a disjunction (OR) of analyzed terms, each counted once, like Lucene's
 * {@code BooleanQuery} of {@code SHOULD} term queries. A doc's score is the sum of its matching terms' BM25
 * scores. Bind it to index-wide statistics with {@link #weight}. Immutable.
 *
 * @param terms the distinct terms, in first-occurrence order
 */
public record TextQuery(List<String> terms) {

    public TextQuery {
        terms = List.copyOf(new LinkedHashSet<>(terms));
    }

    /** The query for {@code text} analyzed by {@code analyzer} (the attribute's own analyzer). */
    public static TextQuery parse(TextAnalyzer analyzer, String text) {
        return new TextQuery(analyzer.queryTerms(text));
    }

    /** This query bound to statistics gathered elsewhere (e.g. across servers). */
    public TextWeight weight(Bm25Stats stats, float k1, float b) {
        return new TextWeight(this, stats, k1, b);
    }

    /** This query bound to the statistics of all {@code indexes} (every segment plus the unindexed tail). */
    public TextWeight weight(Collection<? extends InvertedIndex> indexes, float k1, float b) {
        return new TextWeight(this, Bm25Stats.collect(indexes, terms), k1, b);
    }
}
