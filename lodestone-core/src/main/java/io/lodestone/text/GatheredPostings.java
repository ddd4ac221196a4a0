package io.lodestone.text;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One term's posting lists in several indexes, decoded once into one contiguous list over their union doc space (part
 * i's doc d is doc {@code bases[i] + d}), for holders that serve many queries with it (a state version's text view).
 * Walking a term split over many segments through their own lists costs a cold block per segment per query (skip
 * table, header, packed bits, each in another mapped file); this list is what a merge would make contiguous, already
 * decoded. Its blocks are the parts' blocks (at most {@link PostingsCursor#BLOCK} postings, never spanning two parts,
 * so each block reads its own part's length codes). Block and list bounds are computed from the postings per scorer
 * and kept for the next query that scores alike. Immutable apart from that cache; thread-safe.
 */
public final class GatheredPostings extends TermPostings {

    private final int[] allDocs;
    private final int[] allFreqs;
    /** Block b holds postings [blockStart[b], blockStart[b + 1]) of part blockPart[b]. */
    private final int[] blockStart;
    private final int[] blockPart;
    private final MemorySegment[] partNorms;
    private final int[] partBase;
    private volatile Bounds bounds;

    /** Each block's best score and the list's under one scorer. */
    private record Bounds(Bm25Scorer scorer, float[] block, float max) {
    }

    private GatheredPostings(int[] docs, int[] freqs, int[] blockStart, int[] blockPart, MemorySegment[] partNorms,
                             int[] partBase) {
        this.allDocs = docs;
        this.allFreqs = freqs;
        this.blockStart = blockStart;
        this.blockPart = blockPart;
        this.partNorms = partNorms;
        this.partBase = partBase;
    }

    /**
     * The lists {@code lists} (non-null, each of a different index, docs of index i starting at {@code bases[i]},
     * ascending, each index's docs below the next base) decoded into one.
     */
    public static GatheredPostings of(TermPostings[] lists, int[] bases) {
        if (lists.length == 0) throw new IllegalArgumentException("no lists to gather");
        int postings = 0;
        int blocks = 0;
        for (TermPostings list : lists) {
            postings = Math.addExact(postings, list.docFreq());
            blocks += list.blockCount();
        }
        int[] docs = new int[postings];
        int[] freqs = new int[postings];
        int[] blockStart = new int[blocks + 1];
        int[] blockPart = new int[blocks];
        MemorySegment[] partNorms = new MemorySegment[lists.length];
        int at = 0;
        int b = 0;
        for (int i = 0; i < lists.length; i++) {
            PostingsCursor c = lists[i].cursor();
            for (int block = 0; block < c.blockCount; block++) {
                c.load(block);
                c.ensureFreqs();
                for (int p = 0; p < c.size; p++) docs[at + p] = bases[i] + c.docs[p];
                System.arraycopy(c.freqs, 0, freqs, at, c.size);
                blockStart[b] = at;
                blockPart[b++] = i;
                at += c.size;
            }
            partNorms[i] = c.norms;
        }
        blockStart[b] = at;
        return new GatheredPostings(docs, freqs, blockStart, blockPart, partNorms, bases.clone());
    }

    @Override
    public int docFreq() {
        return allDocs.length;
    }

    @Override
    int lastDoc() {
        return allDocs[allDocs.length - 1];
    }

    @Override
    float maxScore(Bm25Scorer scorer) {
        return bounds(scorer).max();
    }

    @Override
    PostingsCursor cursor(int[] docs, int[] freqs) {
        return new Cursor(docs, freqs);
    }

    /** The bounds under {@code scorer}: kept from the last query when it scores alike, else computed. */
    private Bounds bounds(Bm25Scorer scorer) {
        Bounds known = bounds;
        if (known != null && known.scorer().scoresLike(scorer)) return known;
        float[] block = new float[blockPart.length];
        float max = 0;
        for (int b = 0; b < block.length; b++) {
            MemorySegment norms = partNorms[blockPart[b]];
            int base = partBase[blockPart[b]];
            float m = 0;
            for (int p = blockStart[b]; p < blockStart[b + 1]; p++) {
                m = Math.max(m, scorer.score(allFreqs[p], norms.get(ValueLayout.JAVA_BYTE, allDocs[p] - base) & 0xFF));
            }
            block[b] = m;
            max = Math.max(max, m);
        }
        Bounds computed = new Bounds(scorer, block, max);
        bounds = computed;
        return computed;
    }

    /** A walk over the gathered list: a block is a copy out of the decoded arrays. */
    private final class Cursor extends PostingsCursor {
        private Bounds scoredBy;

        Cursor(int[] docs, int[] freqs) {
            super(allDocs.length, blockPart.length, docs, freqs);
        }

        @Override
        int blockLastDoc(int b) {
            return allDocs[blockStart[b + 1] - 1];
        }

        @Override
        void decode(int b) {
            int from = blockStart[b];
            size = blockStart[b + 1] - from;
            System.arraycopy(allDocs, from, docs, 0, size);
            norms = partNorms[blockPart[b]];
            normsBase = partBase[blockPart[b]];
        }

        @Override
        void decodeFreqs() {
            System.arraycopy(allFreqs, blockStart[block], freqs, 0, size);
        }

        @Override
        int freqAt(int i) {
            return allFreqs[blockStart[block] + i];
        }

        @Override
        float blockMaxScore(int b, Bm25Scorer scorer) {
            Bounds s = scoredBy;
            if (s == null || s.scorer() != scorer) scoredBy = s = bounds(scorer);
            return s.block()[b];
        }

        @Override
        float maxScore(Bm25Scorer scorer) {
            return bounds(scorer).max();
        }
    }
}
