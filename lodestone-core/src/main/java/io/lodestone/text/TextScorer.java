package io.lodestone.text;

/**
 * Scores one {@link TextWeight} over one index: {@link #collect} finds the top-k with block-max MaxScore;
 * {@link #collectExhaustive} scores every matching doc (for small tails, and as the reference). A scorer is
 * used once; not thread-safe.
 */
public final class TextScorer {

    private final MaxScoreSearcher searcher;
    private boolean used;

    TextScorer(InvertedIndex index, PostingsCursor[] cursors, Bm25Scorer[] scorers, Window window) {
        this.searcher = new MaxScoreSearcher(cursors, scorers, index.norms(), index.maxDoc(), window);
    }

    /**
     * Scratch for scoring one window of docs, shared by the scorers of one query over several indexes so that
     * each index does not allocate and zero its own. Used by one thread at a time.
     */
    public static final class Window {
        final double[] acc = new double[MaxScoreSearcher.WINDOW];
        final long[] matched = new long[MaxScoreSearcher.WINDOW / 64];
    }

    /** Offers the collector every doc that can reach its top-k, skipping those that provably cannot. */
    public void collect(TopKCollector collector) {
        start();
        searcher.topK(collector);
    }

    /** Offers the collector every matching doc with its score. */
    public void collectExhaustive(TopKCollector collector) {
        start();
        searcher.exhaustive(collector);
    }

    private void start() {
        if (used) throw new IllegalStateException("a TextScorer is used once; get another from the TextWeight");
        used = true;
    }
}
