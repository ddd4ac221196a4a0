package io.lodestone.text;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TextQuery} bound to index-wide {@link Bm25Stats}: one {@link Bm25Scorer} per term, sharing the
 * length-factor table. It is the same for every segment and the tail, and hands out one {@link TextScorer} per
 * index. Immutable and thread-safe.
 */
public final class TextWeight {

    private final TextQuery query;
    private final Bm25Stats stats;
    private final List<Bm25Scorer> scorers;

    /** Cursors opened while gathering the statistics, handed to the first scorer of their index. */
    record Prefetched(InvertedIndex index, PostingsCursor[] cursors) {}

    private final List<Prefetched> prefetched;

    TextWeight(TextQuery query, Bm25Stats stats, float k1, float b, List<Prefetched> prefetched) {
        this.query = query;
        this.stats = stats;
        this.prefetched = prefetched.isEmpty() ? List.of() : new ArrayList<>(prefetched);
        float[] cache = Bm25Scorer.lengthCache(k1, b, stats.avgFieldLength());
        List<Bm25Scorer> list = new ArrayList<>(query.terms().size());
        for (String t : query.terms()) list.add(new Bm25Scorer(t, k1, b, stats, cache));
        this.scorers = List.copyOf(list);
    }

    /** The query. */
    public TextQuery query() {
        return query;
    }

    /** The statistics it scores with. */
    public Bm25Stats stats() {
        return stats;
    }

    /** One BM25 scorer per query term, in query order. */
    public List<Bm25Scorer> termScorers() {
        return scorers;
    }

    /** The scorer of this query over one index (terms the index lacks are left out). */
    public TextScorer scorer(InvertedIndex index) {
        return scorer(index, null);
    }

    /** As {@link #scorer(InvertedIndex)}, scoring in {@code window} (null: scratch of its own). */
    public TextScorer scorer(InvertedIndex index, TextScorer.Window window) {
        PostingsCursor[] cursors = take(index);
        if (cursors == null) {
            cursors = new PostingsCursor[scorers.size()];
            for (int i = 0; i < cursors.length; i++) cursors[i] = index.postings(scorers.get(i).term());
        }
        return scorer(index, cursors, window);
    }

    /**
     * As {@link #scorer(InvertedIndex, TextScorer.Window)} with the terms already found in {@code index}:
     * {@code terms[i]} is the list of {@link #termScorers()}{@code .get(i)}'s term there, null when absent.
     */
    public TextScorer scorer(InvertedIndex index, TermPostings[] terms, TextScorer.Window window) {
        if (terms.length != scorers.size()) {
            throw new IllegalArgumentException(terms.length + " term lists for " + scorers.size() + " terms");
        }
        PostingsCursor[] cursors = new PostingsCursor[terms.length];
        for (int i = 0; i < terms.length; i++) cursors[i] = terms[i] == null ? null : terms[i].cursor();
        return scorer(index, cursors, window);
    }

    /** The scorer over the terms whose cursor ({@code cursors[i]} for term i) is not null. */
    private TextScorer scorer(InvertedIndex index, PostingsCursor[] cursors, TextScorer.Window window) {
        int present = 0;
        for (PostingsCursor c : cursors) if (c != null) present++;
        PostingsCursor[] used = new PostingsCursor[present];
        Bm25Scorer[] usedScorers = new Bm25Scorer[present];
        for (int i = 0, j = 0; i < cursors.length; i++) {
            if (cursors[i] == null) continue;
            used[j] = cursors[i];
            usedScorers[j++] = scorers.get(i);
        }
        return new TextScorer(index, used, usedScorers, window);
    }

    /** The unused prefetched cursors of {@code index}, or null. */
    private PostingsCursor[] take(InvertedIndex index) {
        if (prefetched.isEmpty()) return null;
        synchronized (prefetched) {
            for (int i = 0; i < prefetched.size(); i++) {
                if (prefetched.get(i).index() == index) return prefetched.remove(i).cursors();
            }
        }
        return null;
    }

    /** The best {@code k} docs of one index, best first (ties: lower ordinal first). */
    public List<ScoredDoc> topK(InvertedIndex index, int k) {
        TopKCollector collector = new TopKCollector(k);
        scorer(index).collect(collector);
        return collector.results();
    }

    /** How doc {@code doc} of {@code index} scores: the sum of its matching terms' BM25 explanations. */
    public Explanation explain(InvertedIndex index, int doc) {
        List<Explanation> parts = new ArrayList<>();
        double sum = 0;
        int norm = index.norm(doc);
        for (Bm25Scorer s : scorers) {
            PostingsCursor c = index.postings(s.term());
            if (c == null || c.advance(doc) != doc) continue;
            Explanation e = s.explain(c.freq(), norm);
            parts.add(e);
            sum += e.value();
        }
        String what = parts.isEmpty() ? "no matching term" : "sum of:";
        return new Explanation((float) sum, what, parts);
    }
}
