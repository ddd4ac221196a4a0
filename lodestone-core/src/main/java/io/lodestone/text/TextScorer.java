package io.lodestone.text;

/**
 * Scores one {@link TextWeight} over one index, or over several as one doc space: {@link #collect} finds the top-k with block-max MaxScore;
 * {@link #collectExhaustive} scores every matching doc (for small tails, and as the reference). A scorer is
 * used once; not thread-safe.
 */
public final class TextScorer {

    private final MaxScoreSearcher searcher;
    private boolean used;

    TextScorer(int maxDoc, PostingsCursor[] cursors, Bm25Scorer[] scorers) {
        this.searcher = new MaxScoreSearcher(cursors, scorers, maxDoc);
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
