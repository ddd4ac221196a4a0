package io.lodestone.text;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Index-wide BM25 statistics of one attribute for one query: document count N, total tokens (so the average
 * field length), and each query term's document frequency, summed over every segment <em>and</em> the unindexed
 * tail. Scoring every part with the same statistics is what keeps results unchanged when indexing catches up:
 * moving a doc from the tail into a segment changes no number here. Immutable and thread-safe.
 *
 * @param docCount         docs with at least one token (Lucene's {@code CollectionStatistics.docCount})
 * @param sumTotalTermFreq tokens over all those docs
 * @param docFreqs         term → docs containing it (terms absent everywhere may be missing or 0)
 */
public record Bm25Stats(long docCount, long sumTotalTermFreq, Map<String, Long> docFreqs) {

    public Bm25Stats {
        if (docCount < 0 || sumTotalTermFreq < 0) {
            throw new IllegalArgumentException("docCount and sumTotalTermFreq must be >= 0; got " + docCount
                    + ", " + sumTotalTermFreq);
        }
        docFreqs = Map.copyOf(docFreqs);
    }

    /** The statistics of {@code terms} over all the given indexes (segments plus tail). */
    public static Bm25Stats collect(Collection<? extends InvertedIndex> indexes, Collection<String> terms) {
        long n = 0;
        long tokens = 0;
        Map<String, Long> df = new HashMap<>();
        for (String t : terms) df.put(t, 0L);
        for (InvertedIndex index : indexes) {
            n += index.docCount();
            tokens += index.sumTotalTermFreq();
            for (String t : terms) df.merge(t, (long) index.docFreq(t), Long::sum);
        }
        return new Bm25Stats(n, tokens, df);
    }

    /** The statistics of {@code terms} over one index. */
    public static Bm25Stats collect(InvertedIndex index, Collection<String> terms) {
        return collect(List.of(index), terms);
    }

    /** These statistics plus another part's (for statistics gathered part by part). */
    public Bm25Stats plus(Bm25Stats other) {
        Map<String, Long> df = new HashMap<>(docFreqs);
        other.docFreqs.forEach((t, v) -> df.merge(t, v, Long::sum));
        return new Bm25Stats(docCount + other.docCount, sumTotalTermFreq + other.sumTotalTermFreq, df);
    }

    /** Docs containing {@code term}. */
    public long docFreq(String term) {
        return docFreqs.getOrDefault(Objects.requireNonNull(term), 0L);
    }

    /** The average field length, as Lucene computes it: {@code (float) (sumTotalTermFreq / (double) docCount)}. */
    public float avgFieldLength() {
        return docCount == 0 ? 1f : (float) (sumTotalTermFreq / (double) docCount);
    }
}
