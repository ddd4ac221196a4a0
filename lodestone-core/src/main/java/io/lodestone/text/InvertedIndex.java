package io.lodestone.text;

import java.lang.foreign.MemorySegment;

/**
 * The inverted index of one full-text attribute over one segment (or over the unindexed tail): term → posting
 * list of (doc ordinal, term frequency), plus each doc's encoded field length ({@link LengthNorm}). Doc ordinals
 * are the segment's row numbers, in {@code [0, maxDoc())}. Two kinds: the in-memory
 * {@link InvertedIndexBuilder} and the serialized {@link InvertedIndexReader}; both search the same way.
 */
public abstract sealed class InvertedIndex permits InvertedIndexBuilder, InvertedIndexReader {

    InvertedIndex() {
    }

    /** One more than the largest doc ordinal this index covers. */
    public abstract int maxDoc();

    /** Docs with at least one token (BM25's N for this index). */
    public abstract int docCount();

    /** Total tokens over all docs (BM25's average field length is this over {@link #docCount()}). */
    public abstract long sumTotalTermFreq();

    /** Distinct terms. */
    public abstract int termCount();

    /** Docs containing {@code term}; 0 when absent. */
    public abstract int docFreq(String term);

    /** The encoded field length of {@code doc} ({@link LengthNorm#decode} gives the length); 0 without tokens. */
    public abstract int norm(int doc);

    /** The posting list of {@code term} as found in this index's dictionary, or null when absent. */
    public abstract TermPostings term(String term);

    /** Whether reading a term's postings may first fetch them from object storage (an index read by ranges). */
    public boolean fetchesPostings() {
        return false;
    }

    /** Fetches the posting lists of the terms at once (one batch of ranged reads), before they are read one by one. */
    public void prefetch(java.util.List<String> terms) {
    }

    /** A cursor over the posting list of {@code term}, or null when absent. */
    final PostingsCursor postings(String term) {
        TermPostings t = term(term);
        return t == null ? null : t.cursor();
    }

}
