package io.lodestone.text;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Top-k of a disjunction of terms over one index (or several as one doc space, through
 * {@link ConcatPostingsCursor}s) with block-max MaxScore, in windows of {@link #WINDOW} docs:
 *
 * <ol>
 *   <li>Bound each term's score in the window by its whole-list maximum (of a concatenation, the largest among the
 *       lists the window may overlap); sort terms by bound. The longest prefix
 *       whose bounds sum below the collector's minimum competitive score is <em>non-essential</em>: a doc matching
 *       only those terms cannot enter the top-k. The first term that does not fit gets its bound tightened to the
 *       block maxima of the blocks overlapping the window (block-max), and joins if it then fits. If every term
 *       is non-essential, the whole window is skipped.</li>
 *   <li>Score the essential terms term-at-a-time into a dense accumulator for the window (a bit set marks
 *       candidates).</li>
 *   <li>For each candidate, in doc order, add the non-essential terms (highest bound first, advancing their
 *       cursors to the doc) while its score plus the remaining bounds can still compete; then collect it.</li>
 * </ol>
 *
 * Pruning only drops docs whose upper bound is strictly below the threshold, so the result equals exhaustive
 * scoring (see {@link #exhaustive}), ties included. Scores are summed in double and rounded to float once, as
 * Lucene does. One searcher per query and index; not thread-safe.
 */
final class MaxScoreSearcher {

    static final int WINDOW = 4096;

    private final PostingsCursor[] cursors;
    private final Bm25Scorer[] scorers;
    private final int maxDoc;
    /** Window scratch, no larger than the index needs (a small tail allocates little per query). */
    private final double[] acc;
    private final long[] matched;
    private final float[] windowMax;
    private final int[] order;
    private final double[] prefix;
    private final float[] globalMax;

    MaxScoreSearcher(PostingsCursor[] cursors, Bm25Scorer[] scorers, int maxDoc) {
        this.cursors = cursors;
        this.scorers = scorers;
        this.maxDoc = maxDoc;
        int size = (int) Math.min(WINDOW, ((long) maxDoc + 63) & ~63L);
        this.acc = new double[size];
        this.matched = new long[size / 64];
        this.windowMax = new float[cursors.length];
        this.order = new int[cursors.length];
        this.prefix = new double[cursors.length];
        this.globalMax = new float[cursors.length];
    }

    /** Collects every matching doc with its exact score (no pruning): the reference, and the path for small tails. */
    void exhaustive(TopKCollector collector) {
        run(collector, false);
    }

    /** Collects the docs that can reach the collector's top-k. */
    void topK(TopKCollector collector) {
        for (int i = 0; i < cursors.length; i++) globalMax[i] = cursors[i].maxScore(scorers[i]);
        run(collector, true);
    }

    private void run(TopKCollector collector, boolean prune) {
        int n = cursors.length;
        if (n == 0) return;
        for (int lo = 0, hi; lo < maxDoc; lo = hi) {
            hi = (int) Math.min(maxDoc, (long) lo + WINDOW);
            int firstEssential = 0;
            if (prune) {
                firstEssential = partition(lo, hi, collector.minCompetitiveScore());
                if (firstEssential == n) continue;
            } else {
                for (int i = 0; i < n; i++) order[i] = i;
            }
            boolean any = false;
            for (int j = firstEssential; j < n; j++) any |= accumulate(order[j], lo, hi);
            if (any) collectWindow(collector, lo, firstEssential, prune);
        }
    }

    /**
     * Orders the terms by score bound in [lo, hi) and returns the index (in {@link #order}) of the first essential
     * one. Bounds start as each term's whole-list maximum (free); then, while the next term could join the
     * non-essential set, its bound is tightened to the block maxima of the blocks overlapping the window. Only
     * these boundary terms pay for reading block metadata.
     */
    private int partition(int lo, int hi, float minCompetitive) {
        int n = cursors.length;
        for (int i = 0; i < n; i++) {
            windowMax[i] = cursors[i].doc >= hi ? 0 : cursors[i].cheapMaxScoreInWindow(lo, hi, globalMax[i]);
            int j = i;
            while (j > 0 && windowMax[order[j - 1]] > windowMax[i]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        double sum = 0;
        int k = 0;
        while (k < n) {
            int t = order[k];
            if (!below(sum + windowMax[t], minCompetitive)) {
                if (cursors[t].blockCount <= 1) break;
                windowMax[t] = Math.min(windowMax[t], cursors[t].maxScoreInWindow(lo, hi, scorers[t]));
                if (!below(sum + windowMax[t], minCompetitive)) break;
            }
            sum += windowMax[t];
            prefix[k] = sum;
            k++;
        }
        return k;
    }

    /** Adds term t's scores of docs in [lo, hi) into the window accumulator; whether any doc matched. */
    private boolean accumulate(int t, int lo, int hi) {
        PostingsCursor c = cursors[t];
        float[] inv = scorers[t].normInverse();
        float w = scorers[t].idf();
        int doc = c.advance(lo);
        if (doc >= hi) return false;
        c.ensureFreqs();
        double[] acc = this.acc;
        long[] matched = this.matched;
        while (doc < hi) {
            // from the decoded block, as far as it goes inside the window
            int[] docs = c.docs;
            int[] freqs = c.freqs;
            MemorySegment norms = c.norms;
            int normsBase = c.normsBase;
            int end = c.size;
            int p = c.pos;
            for (; p < end; p++) {
                int d = docs[p];
                if (d >= hi) break;
                int norm = norms.get(ValueLayout.JAVA_BYTE, d - normsBase) & 0xFF;
                float score = w - w / (1f + freqs[p] * inv[norm]);
                int i = d - lo;
                acc[i] += score;
                matched[i >>> 6] |= 1L << i;
            }
            if (p < end) {
                c.pos = p;
                c.doc = docs[p];
                return true;
            }
            c.pos = end - 1;
            doc = c.nextDoc();
            c.ensureFreqs();
        }
        return true;
    }

    private void collectWindow(TopKCollector collector, int lo, int firstEssential, boolean prune) {
        double[] acc = this.acc;
        long[] matched = this.matched;
        float minCompetitive = collector.minCompetitiveScore();
        for (int word = 0; word < matched.length; word++) {
            long bits = matched[word];
            if (bits == 0) continue;
            matched[word] = 0;
            do {
                int i = (word << 6) | Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                double score = acc[i];
                acc[i] = 0;
                if (prune && firstEssential > 0) {
                    score = addNonEssential(lo + i, score, firstEssential, minCompetitive);
                    if (Double.isNaN(score)) continue;
                }
                if ((float) score < minCompetitive) continue;
                collector.collect(lo + i, (float) score);
                minCompetitive = collector.minCompetitiveScore();
            } while (bits != 0);
        }
    }

    /**
     * Whether a doc whose score (summed in double) is at most {@code bound} cannot reach {@code minCompetitive}. The
     * score is rounded to float before it is compared, and rounding may carry it up to the threshold: so the bound
     * is rounded the same way (monotonic) before the strict comparison, and a tie at the threshold is never pruned.
     */
    private static boolean below(double bound, float minCompetitive) {
        return (float) bound < minCompetitive;
    }

    /** The doc's score with the non-essential terms added, or NaN as soon as it cannot compete. */
    private double addNonEssential(int doc, double score, int firstEssential, float minCompetitive) {
        if (below(score + prefix[firstEssential - 1], minCompetitive)) return Double.NaN;
        for (int j = firstEssential - 1; j >= 0; j--) {
            int t = order[j];
            PostingsCursor c = cursors[t];
            if (c.doc < doc) c.advance(doc);
            if (c.doc == doc) {
                score += scorers[t].score(c.freq(), c.norm(doc));
            }
            if (j > 0 && below(score + prefix[j - 1], minCompetitive)) return Double.NaN;
        }
        return score;
    }
}
