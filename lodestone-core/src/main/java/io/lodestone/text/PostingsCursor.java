package io.lodestone.text;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Walks one term's posting list (doc ordinals ascending, each with its term frequency) in blocks of
 * {@link #BLOCK} postings. Each block's last doc and an upper bound of its BM25 score are available without
 * decoding it, which is what block-max MaxScore skips on. One cursor per term per query; not thread-safe.
 */
abstract class PostingsCursor {

    /** Postings per block (the last block of a list may hold fewer). */
    static final int BLOCK = 128;
    /** The doc after the last one. */
    static final int NO_MORE_DOCS = Integer.MAX_VALUE;

    final int docFreq;
    final int blockCount;
    /** The decoded block: docs[0, size) ascending and their frequencies. */
    final int[] docs;
    final int[] freqs;
    /** The length codes of the current block's docs: doc d's is byte {@code d - normsBase}. */
    MemorySegment norms;
    int normsBase;
    int size;
    int pos;
    int block = -1;
    int doc = -1;
    boolean freqsDecoded;
    private int cachedBlock = -1;
    private float cachedBlockMax;

    /**
     * A cursor over {@code docFreq} postings whose docs' length codes are {@code norms} (doc d at byte d), decoding
     * into {@code docs} and {@code freqs} ({@link #BLOCK} each; cursors used one after the other may share them,
     * as the parts of a {@link ConcatPostingsCursor} do).
     */
    PostingsCursor(int docFreq, MemorySegment norms, int[] docs, int[] freqs) {
        this(docFreq, (docFreq + BLOCK - 1) / BLOCK, docs, freqs);
        this.norms = norms;
    }

    /** A cursor of {@code blockCount} blocks that sets {@link #norms} as it decodes them. */
    PostingsCursor(int docFreq, int blockCount, int[] docs, int[] freqs) {
        this.docFreq = docFreq;
        this.blockCount = blockCount;
        this.docs = docs;
        this.freqs = freqs;
    }

    /** The length code of doc {@code d} of the current block. */
    final int norm(int d) {
        return norms.get(ValueLayout.JAVA_BYTE, d - normsBase) & 0xFF;
    }

    /** The last (largest) doc of block {@code b}. */
    abstract int blockLastDoc(int b);

    /** Decodes block {@code b}'s docs into {@link #docs} and {@link #size}; frequencies wait for {@link #decodeFreqs}. */
    abstract void decode(int b);

    /** Decodes the current block's frequencies into {@link #freqs}. */
    abstract void decodeFreqs();

    /** Makes {@link #freqs} valid for the current block. */
    final void ensureFreqs() {
        if (!freqsDecoded) {
            decodeFreqs();
            freqsDecoded = true;
        }
    }

    /** An upper bound of {@code scorer}'s score over the postings of block {@code b}. */
    abstract float blockMaxScore(int b, Bm25Scorer scorer);

    /** An upper bound of {@code scorer}'s score over the whole list. */
    abstract float maxScore(Bm25Scorer scorer);

    /** The current doc: -1 before the first call, {@link #NO_MORE_DOCS} after the last. */
    final int doc() {
        return doc;
    }

    /** The frequency of the current doc. */
    final int freq() {
        return freqsDecoded ? freqs[pos] : freqAt(pos);
    }

    /** The frequency of the current block's posting {@code i}, without decoding the others. */
    abstract int freqAt(int i);

    /** Moves to the next doc. */
    final int nextDoc() {
        if (++pos < size) return doc = docs[pos];
        if (block + 1 >= blockCount) {
            pos = size;
            return doc = NO_MORE_DOCS;
        }
        load(block + 1);
        return doc = docs[0];
    }

    /** Moves to the first doc ≥ {@code target} (never backwards). */
    final int advance(int target) {
        if (doc >= target) return doc;
        if (block < 0 || docs[size - 1] < target) {
            int b = findBlock(target);
            if (b == blockCount) {
                pos = size;
                return doc = NO_MORE_DOCS;
            }
            load(b);
        }
        int p = pos;
        while (docs[p] < target) p++;
        pos = p;
        return doc = docs[p];
    }

    /**
     * An upper bound of {@code scorer}'s score over this list's docs in {@code [lo, hi)}: the largest block bound
     * among the blocks that may hold such docs (0 when the cursor is already at or past {@code hi}). Reads block
     * metadata only; decodes nothing and does not move the cursor.
     */
    final float maxScoreInWindow(int lo, int hi, Bm25Scorer scorer) {
        if (doc >= hi) return 0;
        int b = block >= 0 && docs[size - 1] >= lo ? block : findBlock(lo);
        float max = 0;
        for (; b < blockCount; b++) {
            if (b != cachedBlock) {
                cachedBlock = b;
                cachedBlockMax = blockMaxScore(b, scorer);
            }
            max = Math.max(max, cachedBlockMax);
            if (blockLastDoc(b) >= hi - 1) break;
        }
        return max;
    }

    /**
     * An upper bound of the score over this list's docs in {@code [lo, hi)} that costs no reading, given
     * {@code whole}, the list's {@link #maxScore}: that bound itself for one index's list (a concatenation of
     * several lists narrows it to the lists whose docs may fall in the window).
     */
    float cheapMaxScoreInWindow(int lo, int hi, float whole) {
        return whole;
    }

    /** The first block after the current one whose last doc is ≥ target, or blockCount: gallop, then bisect. */
    int findBlock(int target) {
        int lo = block + 1;
        if (lo >= blockCount || blockLastDoc(lo) >= target) return lo;
        int step = 1;
        int hi = lo + 1;
        while (hi < blockCount && blockLastDoc(hi) < target) {
            lo = hi;
            step <<= 1;
            hi = lo + step;
        }
        hi = Math.min(hi, blockCount);
        // blockLastDoc(lo) < target; answer in (lo, hi]
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (blockLastDoc(mid) < target) lo = mid;
            else hi = mid;
        }
        return hi;
    }

    /** Makes block {@code b} current (decoded docs, frequencies pending) at its first posting. */
    void load(int b) {
        decode(b);
        freqsDecoded = false;
        block = b;
        pos = 0;
    }
}
