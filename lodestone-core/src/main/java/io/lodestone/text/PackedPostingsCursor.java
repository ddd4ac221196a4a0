package io.lodestone.text;

import java.lang.foreign.MemorySegment;

/**
 * A cursor over a serialized posting list ({@link InvertedIndexReader}): a single inlined posting, one block
 * without a skip table, or a skip table then blocks with their own impacts. Layout in {@link io.lodestone.text
 * package-info}.
 */
final class PackedPostingsCursor extends PostingsCursor {

    private final MemorySegment s;
    private final TermInfo info;
    private final long dataStart;
    private long freqsAt;
    private int freqBits;

    /** A cursor over {@code info}'s list in {@code s}, decoding into {@code docs} and {@code freqs}. */
    PackedPostingsCursor(MemorySegment s, MemorySegment norms, TermInfo info, int[] docs, int[] freqs) {
        super(info.docFreq(), norms, docs, freqs);
        this.s = s;
        this.info = info;
        this.dataStart = blockCount > 1 ? info.postings() + 8L * blockCount : info.postings();
    }

    @Override
    int blockLastDoc(int b) {
        return blockCount == 1 ? info.lastDoc() : SegmentBytes.readInt(s, info.postings() + 8L * b);
    }

    private long blockStart(int b) {
        return b == 0 ? dataStart : dataStart + SegmentBytes.readInt(s, info.postings() + 8L * (b - 1) + 4);
    }

    @Override
    void decode(int b) {
        if (docFreq == 1) {
            docs[0] = info.lastDoc();
            size = 1;
            return;
        }
        int n = Math.min(BLOCK, docFreq - b * BLOCK);
        long at = blockStart(b);
        int docBits = SegmentBytes.readByte(s, at);
        freqBits = SegmentBytes.readByte(s, at + 1);
        if (docBits > 31 || freqBits > 31) {
            throw new IllegalStateException("block " + b + " at offset " + at + ": bit widths " + docBits + "/" + freqBits + " > 31");
        }
        SegmentBytes.unpack(s, at + 2, docBits, n, docs);
        freqsAt = at + 2 + SegmentBytes.packedBytes(n, docBits);
        int prev = b == 0 ? -1 : blockLastDoc(b - 1);
        for (int i = 0; i < n; i++) {
            prev += docs[i] + 1;
            docs[i] = prev;
        }
        size = n;
    }

    @Override
    int freqAt(int i) {
        if (docFreq == 1) return info.singletonFreq();
        if (freqBits == 0) return 1;
        long bitPos = (long) i * freqBits;
        long word = SegmentBytes.readLong(s, freqsAt + (bitPos >>> 3));
        return (int) ((word >>> (bitPos & 7)) & ((1L << freqBits) - 1)) + 1;
    }

    @Override
    void decodeFreqs() {
        if (docFreq == 1) {
            freqs[0] = info.singletonFreq();
            return;
        }
        SegmentBytes.unpack(s, freqsAt, freqBits, size, freqs);
        for (int i = 0; i < size; i++) freqs[i]++;
    }

    @Override
    float blockMaxScore(int b, Bm25Scorer scorer) {
        if (blockCount == 1) return maxScore(scorer);
        int n = Math.min(BLOCK, docFreq - b * BLOCK);
        long at = blockStart(b);
        int docBits = SegmentBytes.readByte(s, at);
        int freqBits = SegmentBytes.readByte(s, at + 1);
        at += 2 + SegmentBytes.packedBytes(n, docBits) + SegmentBytes.packedBytes(n, freqBits);
        int points = SegmentBytes.readByte(s, at++);
        float max = 0;
        for (int i = 0; i < points; i++) {
            int freq = 0;
            for (int shift = 0; ; shift += 7) {
                int v = SegmentBytes.readByte(s, at++);
                freq |= (v & 0x7F) << shift;
                if (v < 0x80) break;
            }
            max = Math.max(max, scorer.score(freq, SegmentBytes.readByte(s, at++)));
        }
        return max;
    }

    /** The impacts of block b (for a single-block list, the list's). */
    int[] blockImpacts(int b) {
        if (blockCount == 1) return info.impacts();
        int n = Math.min(BLOCK, docFreq - b * BLOCK);
        long at = blockStart(b);
        int docBits = SegmentBytes.readByte(s, at);
        int freqBits = SegmentBytes.readByte(s, at + 1);
        at += 2 + SegmentBytes.packedBytes(n, docBits) + SegmentBytes.packedBytes(n, freqBits);
        return InvertedIndexReader.readImpacts(new SegmentBytes.Cursor(s, at));
    }

    @Override
    float maxScore(Bm25Scorer scorer) {
        return maxScore(norms, info, scorer);
    }

    /** The bound of {@code info}'s whole list: its single posting's score, or the best of its impacts. */
    static float maxScore(MemorySegment norms, TermInfo info, Bm25Scorer scorer) {
        if (info.docFreq() == 1) return scorer.score(info.singletonFreq(), SegmentBytes.readByte(norms, info.lastDoc()));
        return Impacts.maxScore(info.impacts(), scorer);
    }
}
