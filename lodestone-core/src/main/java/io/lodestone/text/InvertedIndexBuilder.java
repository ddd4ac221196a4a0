package io.lodestone.text;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds the inverted index of one full-text attribute in memory: add each doc's text under its ordinal, in
 * ascending ordinal order (gaps are docs without the attribute). It is searchable as it grows, so the unindexed
 * tail uses it directly, and {@link InvertedIndexWriter} serializes it into a segment.
 *
 * <p>The field length of a doc is its number of tokens after analysis (stop words removed), the same count
 * Lucene's BM25 uses. Not thread-safe: one writer, and no search while it adds.
 */
public final class InvertedIndexBuilder extends InvertedIndex {

    private final TextAnalyzer analyzer;
    private final TermHash terms = new TermHash();
    private int[][] postingDocs = new int[1024][];
    private int[][] postingFreqs = new int[1024][];
    private int[] docFreqs = new int[1024];
    private byte[] norms = new byte[1024];
    private int maxDoc;
    private int docCount;
    private long sumTotalTermFreq;
    private int current = -1;
    private int currentLength;
    private final TextAnalyzer.TokenSink sink = this::addToken;

    /** A builder that analyzes text with {@code analyzer}. */
    public InvertedIndexBuilder(TextAnalyzer analyzer) {
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
    }

    /** The analyzer documents go through. */
    public TextAnalyzer analyzer() {
        return analyzer;
    }

    /**
     * Indexes the text of doc {@code ordinal}.
     *
     * @throws IllegalArgumentException when {@code ordinal} is not greater than every ordinal added before
     */
    public void add(int ordinal, String text) {
        begin(ordinal);
        analyzer.analyze(text, sink);
        finish();
    }

    /** Indexes the values of a {@code []string} attribute of doc {@code ordinal} as one field. */
    public void add(int ordinal, List<String> values) {
        begin(ordinal);
        for (String v : values) analyzer.analyze(v, sink);
        finish();
    }

    /** Indexes already-analyzed tokens of doc {@code ordinal}, as they are. */
    public void addTokens(int ordinal, List<String> tokens) {
        begin(ordinal);
        for (String t : tokens) addToken(t.toCharArray(), t.length());
        finish();
    }

    /** Extends the ordinal range to {@code maxDoc} (docs at the end without this attribute). */
    public void extendMaxDoc(int maxDoc) {
        if (maxDoc > this.maxDoc) {
            ensureNorms(maxDoc);
            this.maxDoc = maxDoc;
        }
    }

    private void begin(int ordinal) {
        if (ordinal < maxDoc) {
            throw new IllegalArgumentException("doc ordinals must ascend: got " + ordinal + " after maxDoc " + maxDoc);
        }
        current = ordinal;
        currentLength = 0;
    }

    private void addToken(char[] buffer, int length) {
        int id = terms.add(buffer, length);
        if (id == docFreqs.length) growTerms();
        int df = docFreqs[id];
        int[] docs = postingDocs[id];
        if (df > 0 && docs[df - 1] == current) {
            postingFreqs[id][df - 1]++;
        } else {
            if (docs == null) {
                docs = postingDocs[id] = new int[2];
                postingFreqs[id] = new int[2];
            } else if (df == docs.length) {
                docs = postingDocs[id] = Arrays.copyOf(docs, df * 2);
                postingFreqs[id] = Arrays.copyOf(postingFreqs[id], df * 2);
            }
            docs[df] = current;
            postingFreqs[id][df] = 1;
            docFreqs[id] = df + 1;
        }
        currentLength++;
    }

    private void finish() {
        ensureNorms(current + 1);
        norms[current] = (byte) LengthNorm.encode(currentLength);
        maxDoc = current + 1;
        if (currentLength > 0) docCount++;
        sumTotalTermFreq += currentLength;
        current = -1;
    }

    private void growTerms() {
        int n = docFreqs.length * 2;
        postingDocs = Arrays.copyOf(postingDocs, n);
        postingFreqs = Arrays.copyOf(postingFreqs, n);
        docFreqs = Arrays.copyOf(docFreqs, n);
    }

    private void ensureNorms(int n) {
        if (n > norms.length) norms = Arrays.copyOf(norms, Math.max(n, norms.length * 2));
    }

    @Override
    public int maxDoc() {
        return maxDoc;
    }

    @Override
    public int docCount() {
        return docCount;
    }

    @Override
    public long sumTotalTermFreq() {
        return sumTotalTermFreq;
    }

    @Override
    public int termCount() {
        return terms.size();
    }

    @Override
    public int docFreq(String term) {
        int id = terms.find(term);
        return id < 0 ? 0 : docFreqs[id];
    }

    @Override
    public int norm(int doc) {
        Objects.checkIndex(doc, maxDoc);
        return norms[doc] & 0xFF;
    }

    @Override
    public TermPostings term(String term) {
        int id = terms.find(term);
        return id < 0 ? null : new Listed(id);
    }

    /** Term {@code id}'s list as it stands (a builder that is searched no longer grows). */
    private final class Listed extends TermPostings {
        private final int id;

        Listed(int id) {
            this.id = id;
        }

        @Override
        public int docFreq() {
            return docFreqs[id];
        }

        @Override
        int lastDoc() {
            return postingDocs[id][docFreqs[id] - 1];
        }

        @Override
        float maxScore(Bm25Scorer scorer) {
            return ArrayPostingsCursor.max(postingDocs[id], postingFreqs[id], norms, scorer, 0, docFreqs[id]);
        }

        @Override
        PostingsCursor cursor(int[] docs, int[] freqs) {
            return new ArrayPostingsCursor(postingDocs[id], postingFreqs[id], docFreqs[id], norms, docs, freqs);
        }
    }


    // --- for InvertedIndexWriter ---

    /** The chars of term {@code id} (ids are 0..termCount-1 in first-seen order). */
    char[] termChars(int id) {
        return terms.chars(id);
    }

    int termDocFreq(int id) {
        return docFreqs[id];
    }

    int[] termDocs(int id) {
        return postingDocs[id];
    }

    int[] termFreqs(int id) {
        return postingFreqs[id];
    }

    byte[] normBytes() {
        return norms;
    }
}
