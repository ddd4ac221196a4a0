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
        PostingsCursor[] cursors = take(index);
        if (cursors == null) {
            cursors = new PostingsCursor[scorers.size()];
            for (int i = 0; i < cursors.length; i++) cursors[i] = index.postings(scorers.get(i).term());
        }
        return scorer(index.maxDoc(), cursors);
    }

    /**
     * As {@link #scorer(InvertedIndex)} with the terms already found in {@code index}:
     * {@code terms[i]} is the list of {@link #termScorers()}{@code .get(i)}'s term there, null when absent.
     */
    public TextScorer scorer(InvertedIndex index, TermPostings[] terms) {
        if (terms.length != scorers.size()) {
            throw new IllegalArgumentException(terms.length + " term lists for " + scorers.size() + " terms");
        }
        PostingsCursor[] cursors = new PostingsCursor[terms.length];
        for (int i = 0; i < terms.length; i++) cursors[i] = terms[i] == null ? null : terms[i].cursor();
        return scorer(index.maxDoc(), cursors);
    }

    /**
     * The scorer over several indexes as one doc space, in which index j's doc d is doc {@code bases[j] + d}
     * (bases ascending, each index's docs below the next base; {@code maxDoc} above them all): one MaxScore
     * partition, bound and threshold for the whole query, so its cost does not grow with the number of indexes.
     * {@code bySource[j][i]} is the list of {@link #termScorers()}{@code .get(i)}'s term in index j, null when absent.
     */
    public TextScorer scorer(TermPostings[][] bySource, int[] bases, int maxDoc) {
        return scorer(bySource, bases, maxDoc, null);
    }

    /**
     * As {@link #scorer(TermPostings[][], int[], int)}, with {@code whole[i]} (when {@code whole} and it are not null)
     * walked for term i instead of its lists in each index: the same postings, already over the whole doc space (a
     * {@link GatheredPostings}).
     */
    public TextScorer scorer(TermPostings[][] bySource, int[] bases, int maxDoc, TermPostings[] whole) {
        if (bySource.length != bases.length) {
            throw new IllegalArgumentException(bySource.length + " indexes for " + bases.length + " doc bases");
        }
        PostingsCursor[] cursors = new PostingsCursor[scorers.size()];
        for (int i = 0; i < cursors.length; i++) {
            if (whole != null && whole[i] != null) {
                cursors[i] = whole[i].cursor();
                continue;
            }
            int n = 0;
            for (TermPostings[] lists : bySource) if (lists[i] != null) n++;
            TermPostings[] parts = new TermPostings[n];
            int[] partBases = new int[n];
            for (int j = 0, p = 0; j < bySource.length; j++) {
                if (bySource[j][i] == null) continue;
                parts[p] = bySource[j][i];
                partBases[p++] = bases[j];
            }
            cursors[i] = ConcatPostingsCursor.of(parts, partBases);
        }
        return scorer(maxDoc, cursors);
    }

    /** The scorer over the terms whose cursor ({@code cursors[i]} for term i) is not null. */
    private TextScorer scorer(int maxDoc, PostingsCursor[] cursors) {
        int present = 0;
        for (PostingsCursor c : cursors) if (c != null) present++;
        PostingsCursor[] used = new PostingsCursor[present];
        Bm25Scorer[] usedScorers = new Bm25Scorer[present];
        for (int i = 0, j = 0; i < cursors.length; i++) {
            if (cursors[i] == null) continue;
            used[j] = cursors[i];
            usedScorers[j++] = scorers.get(i);
        }
        return new TextScorer(maxDoc, used, usedScorers);
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
