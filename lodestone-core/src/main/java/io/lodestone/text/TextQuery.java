package io.lodestone.text;

import io.lodestone.doc.FullTextOptions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

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
        return new TextWeight(this, stats, k1, b, List.of());
    }

    /** This query bound to the statistics of all {@code indexes}, with the attribute's k1 and b. */
    public TextWeight weight(Collection<? extends InvertedIndex> indexes, FullTextOptions options) {
        return weight(indexes, (float) options.k1(), (float) options.b());
    }

    /** This query bound to the statistics of all {@code indexes} (every segment plus the unindexed tail). */
    public TextWeight weight(Collection<? extends InvertedIndex> indexes, float k1, float b) {
        // Look each term up once per index: the cursors that give the doc frequencies are kept for scoring.
        long n = 0;
        long tokens = 0;
        Map<String, Long> df = new HashMap<>();
        for (String t : terms) df.put(t, 0L);
        List<TextWeight.Prefetched> prefetched = new ArrayList<>(indexes.size());
        for (InvertedIndex index : indexes) {
            n += index.docCount();
            tokens += index.sumTotalTermFreq();
            PostingsCursor[] cursors = new PostingsCursor[terms.size()];
            for (int i = 0; i < cursors.length; i++) {
                cursors[i] = index.postings(terms.get(i));
                if (cursors[i] != null) df.merge(terms.get(i), (long) cursors[i].docFreq, Long::sum);
            }
            prefetched.add(new TextWeight.Prefetched(index, cursors));
        }
        return new TextWeight(this, new Bm25Stats(n, tokens, df), k1, b, prefetched);
    }
}
