package io.lodestone.text;

import java.lang.foreign.MemorySegment;

/**
 * A cursor over an in-memory posting list ({@link InvertedIndexBuilder}); block bounds are computed by scanning,
 * which suits the small unindexed tail it serves.
 */
final class ArrayPostingsCursor extends PostingsCursor {

    private final int[] allDocs;
    private final int[] allFreqs;
    private final byte[] normBytes;

    /** A cursor over the first {@code docFreq} of {@code docs} and {@code freqs}, decoding into the block arrays. */
    ArrayPostingsCursor(int[] docs, int[] freqs, int docFreq, byte[] norms, int[] blockDocs, int[] blockFreqs) {
        super(docFreq, MemorySegment.ofArray(norms), blockDocs, blockFreqs);
        this.allDocs = docs;
        this.allFreqs = freqs;
        this.normBytes = norms;
    }

    @Override
    int blockLastDoc(int b) {
        return allDocs[Math.min(docFreq, (b + 1) * BLOCK) - 1];
    }

    @Override
    void decode(int b) {
        int from = b * BLOCK;
        size = Math.min(docFreq - from, BLOCK);
        System.arraycopy(allDocs, from, docs, 0, size);
    }

    @Override
    int freqAt(int i) {
        return allFreqs[block * BLOCK + i];
    }

    @Override
    void decodeFreqs() {
        System.arraycopy(allFreqs, block * BLOCK, freqs, 0, size);
    }

    @Override
    float blockMaxScore(int b, Bm25Scorer scorer) {
        return max(scorer, b * BLOCK, Math.min(docFreq, (b + 1) * BLOCK));
    }

    @Override
    float maxScore(Bm25Scorer scorer) {
        return max(scorer, 0, docFreq);
    }

    private float max(Bm25Scorer scorer, int from, int to) {
        return max(allDocs, allFreqs, normBytes, scorer, from, to);
    }

    /** The best score among postings [from, to) of a list held in arrays. */
    static float max(int[] docs, int[] freqs, byte[] norms, Bm25Scorer scorer, int from, int to) {
        float max = 0;
        for (int i = from; i < to; i++) max = Math.max(max, scorer.score(freqs[i], norms[docs[i]] & 0xFF));
        return max;
    }
}
