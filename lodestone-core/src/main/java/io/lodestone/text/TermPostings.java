package io.lodestone.text;

import java.util.function.IntPredicate;

/**
 * One term's posting list in one index, found in the index's dictionary once: its document frequency, and cursors
 * over the list that need no further lookup. Holders that serve many queries (a state version's text view) keep
 * these so that a term is looked up once per index, not once per query. Valid as long as its index; immutable and
 * thread-safe (each cursor is the caller's).
 */
public abstract class TermPostings {

    TermPostings() {
    }

    /** Docs containing the term (at least 1). */
    public abstract int docFreq();

    /** The last (largest) doc of the list. */
    abstract int lastDoc();

    /** Blocks of {@link PostingsCursor#BLOCK} postings in the list (the last may hold fewer). */
    final int blockCount() {
        return (docFreq() + PostingsCursor.BLOCK - 1) / PostingsCursor.BLOCK;
    }

    /** An upper bound of {@code scorer}'s score over the whole list. */
    abstract float maxScore(Bm25Scorer scorer);

    /** A new cursor at the start of the list. */
    final PostingsCursor cursor() {
        return cursor(new int[PostingsCursor.BLOCK], new int[PostingsCursor.BLOCK]);
    }

    /** A new cursor at the start of the list that decodes into {@code docs} and {@code freqs} (a block each). */
    abstract PostingsCursor cursor(int[] docs, int[] freqs);

    /** Docs containing the term among those {@code live} accepts (statistics that leave deleted docs out). */
    public int docFreq(IntPredicate live) {
        PostingsCursor c = cursor();
        int n = 0;
        for (int d = c.nextDoc(); d != PostingsCursor.NO_MORE_DOCS; d = c.nextDoc()) {
            if (live.test(d)) n++;
        }
        return n;
    }
}
