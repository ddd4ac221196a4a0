package io.lodestone.text;

/**
 * BM25 for one query term, bound to index-wide {@link Bm25Stats}, computed exactly as Lucene 10's
 * {@code BM25Similarity} does in float arithmetic:
 *
 * <pre>
 * idf     = (float) ln(1 + (N - df + 0.5) / (df + 0.5))                 (computed in double, then float)
 * avgdl   = (float) (sumTotalTermFreq / (double) N)
 * inv[c]  = 1f / (k1 * ((1 - b) + b * dl(c) / avgdl))                   (c = the doc's length code)
 * score   = idf - idf / (1f + freq * inv[c])     ( = idf * freq / (freq + k1 * (1 - b + b * dl / avgdl)) )
 * </pre>
 *
 * There is no (k1 + 1) factor, and dl is the length decoded from its one-byte {@link LengthNorm} code, so
 * scores equal Lucene's bit for bit. A document's score is the sum of its terms' scores, added in double and
 * rounded to float once. Immutable and thread-safe.
 */
public final class Bm25Scorer {

    private final String term;
    private final float k1;
    private final float b;
    private final long docFreq;
    private final long docCount;
    private final float idf;
    private final float avgdl;
    private final float[] normInverse;

    /**
     * BM25 of {@code term} with parameters {@code k1} (≥ 0, finite) and {@code b} (in [0, 1]) under {@code stats}.
     */
    public Bm25Scorer(String term, float k1, float b, Bm25Stats stats) {
        this(term, k1, b, stats, lengthCache(k1, b, stats.avgFieldLength()));
    }

    Bm25Scorer(String term, float k1, float b, Bm25Stats stats, float[] normInverse) {
        if (!Float.isFinite(k1) || k1 < 0) throw new IllegalArgumentException("k1 must be finite and >= 0; got " + k1);
        if (Float.isNaN(b) || b < 0 || b > 1) throw new IllegalArgumentException("b must be in [0, 1]; got " + b);
        this.term = term;
        this.k1 = k1;
        this.b = b;
        this.docFreq = stats.docFreq(term);
        this.docCount = stats.docCount();
        this.idf = idf(docFreq, docCount);
        this.avgdl = stats.avgFieldLength();
        this.normInverse = normInverse;
    }

    /** Lucene's idf: {@code (float) Math.log(1 + (docCount - docFreq + 0.5D) / (docFreq + 0.5D))}. */
    public static float idf(long docFreq, long docCount) {
        return (float) Math.log(1 + (docCount - docFreq + 0.5D) / (docFreq + 0.5D));
    }

    /** {@code 1 / (k1 * (1 - b + b * dl / avgdl))} for each of the 256 length codes, in Lucene's float order. */
    static float[] lengthCache(float k1, float b, float avgdl) {
        float[] cache = new float[256];
        for (int i = 0; i < 256; i++) cache[i] = 1f / (k1 * ((1 - b) + b * LengthNorm.decode(i) / avgdl));
        return cache;
    }

    /** The term this scores. */
    public String term() {
        return term;
    }

    /** The term's inverse document frequency (its weight; also the bound no score reaches). */
    public float idf() {
        return idf;
    }

    /** The average field length used. */
    public float avgFieldLength() {
        return avgdl;
    }

    /** The score of a doc where the term occurs {@code freq} times and whose length code is {@code norm}. */
    public float score(int freq, int norm) {
        return idf - idf / (1f + freq * normInverse[norm]);
    }

    /** Whether {@code other} gives every (freq, length code) the same score: same idf, k1, b and average length. */
    boolean scoresLike(Bm25Scorer other) {
        return other == this || (Float.compare(idf, other.idf) == 0 && Float.compare(k1, other.k1) == 0
                && Float.compare(b, other.b) == 0 && Float.compare(avgdl, other.avgdl) == 0);
    }

    /** The per-code inverse length factors (shared; do not modify). */
    float[] normInverse() {
        return normInverse;
    }

    /** The score of {@link #score(int, int)} with every factor it came from. */
    public Explanation explain(int freq, int norm) {
        int dl = LengthNorm.decode(norm);
        float inv = 1f / (k1 * ((1 - b) + b * dl / avgdl));
        Explanation idfExpl = Explanation.of(idf, "idf, computed as log(1 + (N - n + 0.5) / (n + 0.5)) from:",
                Explanation.of(docFreq, "n, number of documents containing term"),
                Explanation.of(docCount, "N, total number of documents with field"));
        Explanation tf = Explanation.of(1f - 1f / (1 + freq * inv),
                "tf, computed as freq / (freq + k1 * (1 - b + b * dl / avgdl)) from:",
                Explanation.of(freq, "freq, occurrences of term within document"),
                Explanation.of(k1, "k1, term saturation parameter"),
                Explanation.of(b, "b, length normalization parameter"),
                Explanation.of(dl, LengthNorm.isExact(norm) ? "dl, length of field" : "dl, length of field (approximate)"),
                Explanation.of(avgdl, "avgdl, average length of field"));
        return Explanation.of(score(freq, norm), "score(term=" + term + ", freq=" + freq
                + "), computed as idf * tf from:", idfExpl, tf);
    }
}
