package io.lodestone.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps the best {@code k} hits: higher score first, ties broken by lower doc (as Lucene does). One collector can
 * gather hits from several segments, each with its own {@link #setDocBase doc base}, and its rising threshold
 * lets later segments skip more. Not thread-safe.
 */
public final class TopKCollector {

    private final int k;
    private final float[] scores;
    private final int[] docs;
    private final java.util.function.IntPredicate accept;
    private final java.util.function.IntBinaryOperator tieBreak;
    private int size;
    private int docBase;

    /** A collector of the best {@code k} (≥ 1) hits. */
    public TopKCollector(int k) {
        this(k, null);
    }

    /**
     * A collector of the best {@code k} (≥ 1) hits among the docs {@code accept} takes (tested before the doc
     * base is added; null takes all). Skipping refused docs keeps MaxScore exact: the threshold rises only
     * with accepted hits.
     */
    public TopKCollector(int k, java.util.function.IntPredicate accept) {
        this(k, accept, null);
    }

    /**
     * As {@link #TopKCollector(int, java.util.function.IntPredicate)}, with ties between equal scores broken by
     * {@code tieBreak} on the docs (with the doc base added; negative: the first doc ranks first) instead of by
     * lower doc. Exact with MaxScore, which never prunes a doc whose bound equals the threshold.
     */
    public TopKCollector(int k, java.util.function.IntPredicate accept, java.util.function.IntBinaryOperator tieBreak) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1; got " + k);
        this.k = k;
        this.scores = new float[k];
        this.docs = new int[k];
        this.accept = accept;
        this.tieBreak = tieBreak;
    }

    private int compareDocs(int a, int b) {
        return tieBreak == null ? Integer.compare(a, b) : tieBreak.applyAsInt(a, b);
    }

    /** Added to every doc ordinal collected from now on. */
    public void setDocBase(int docBase) {
        this.docBase = docBase;
    }

    /**
     * The score a hit must at least reach to enter (a hit with this exact score enters only with a lower doc than
     * the current worst); negative infinity until {@code k} hits are held.
     */
    public float minCompetitiveScore() {
        return size < k ? Float.NEGATIVE_INFINITY : scores[0];
    }

    /** Offers doc ordinal {@code doc} (the doc base is added) with {@code score}. */
    public void collect(int doc, float score) {
        if (accept != null && !accept.test(doc)) return;
        int d = doc + docBase;
        if (size < k) {
            scores[size] = score;
            docs[size] = d;
            siftUp(size++);
        } else if (score > scores[0] || (score == scores[0] && compareDocs(d, docs[0]) < 0)) {
            scores[0] = score;
            docs[0] = d;
            siftDown();
        }
    }

    /** Hits held. */
    public int size() {
        return size;
    }

    /** The hits, best first. */
    public List<ScoredDoc> results() {
        List<ScoredDoc> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) out.add(new ScoredDoc(docs[i], scores[i]));
        out.sort(Comparator.comparing(ScoredDoc::score).reversed().thenComparing((x, y) -> compareDocs(x.doc(), y.doc())));
        return out;
    }

    /** Whether hit i is worse than hit j (lower score, or equal score and higher doc). */
    private boolean worse(int i, int j) {
        return scores[i] < scores[j] || (scores[i] == scores[j] && compareDocs(docs[i], docs[j]) > 0);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(i, parent)) return;
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown() {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) return;
            int r = l + 1;
            int w = r < size && worse(r, l) ? r : l;
            if (!worse(w, i)) return;
            swap(i, w);
            i = w;
        }
    }

    private void swap(int i, int j) {
        float s = scores[i];
        scores[i] = scores[j];
        scores[j] = s;
        int d = docs[i];
        docs[i] = docs[j];
        docs[j] = d;
    }
}
