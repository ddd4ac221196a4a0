package io.lodestone.text;

/**
 * One term's posting lists in several indexes walked as one list over their union doc space: part i's doc d is doc
 * {@code bases[i] + d}, parts in ascending base order with disjoint doc ranges. Its blocks are the parts' blocks one
 * after the other (a block never spans two parts), so block bounds, skipping and MaxScore work across the parts
 * as within one index. The parts decode into this cursor's own block arrays, so a term costs one pair of them
 * however many parts it has.
 */
final class ConcatPostingsCursor extends PostingsCursor {

    /** The lists; part i's cursor is made when the walk first reaches it (a part skipped whole costs nothing). */
    private final TermPostings[] lists;
    private final PostingsCursor[] parts;
    private final int[] bases;
    /** Part i's blocks are this cursor's blocks [firstBlock[i], firstBlock[i + 1]). */
    private final int[] firstBlock;
    /** Part i's last doc, with its base added. */
    private final int[] lastDoc;
    /** The index of the part of the current block (0 before the first). */
    private int current;
    /** Each part's whole-list bound under {@link #partMaxScorer}, the scorer last given to {@link #maxScore}. */
    private float[] partMax;
    private Bm25Scorer partMaxScorer;

    private ConcatPostingsCursor(int docFreq, int[] firstBlock, int[] lastDoc, TermPostings[] lists, int[] bases,
                                 int[] docs, int[] freqs) {
        super(docFreq, firstBlock[lists.length], docs, freqs);
        this.lists = lists;
        this.parts = new PostingsCursor[lists.length];
        this.bases = bases;
        this.firstBlock = firstBlock;
        this.lastDoc = lastDoc;
    }

    /**
     * The cursor over {@code lists} (non-null, each a different index) whose docs start at {@code bases}
     * (ascending, each index's docs below the next base); null when there are none.
     */
    static PostingsCursor of(TermPostings[] lists, int[] bases) {
        if (lists.length == 0) return null;
        int[] firstBlock = new int[lists.length + 1];
        int[] lastDoc = new int[lists.length];
        int docFreq = 0;
        for (int i = 0; i < lists.length; i++) {
            firstBlock[i + 1] = firstBlock[i] + lists[i].blockCount();
            lastDoc[i] = bases[i] + lists[i].lastDoc();
            docFreq = Math.addExact(docFreq, lists[i].docFreq());
        }
        return new ConcatPostingsCursor(docFreq, firstBlock, lastDoc, lists, bases, new int[BLOCK], new int[BLOCK]);
    }

    /** Part i's cursor, made on first use; it decodes into this cursor's block arrays. */
    private PostingsCursor part(int i) {
        PostingsCursor p = parts[i];
        if (p == null) parts[i] = p = lists[i].cursor(docs, freqs);
        return p;
    }

    /** The part holding block {@code b}: the last i with firstBlock[i] <= b (the current part, most often). */
    private int partOf(int b) {
        int c = current;
        if (b >= firstBlock[c] && b < firstBlock[c + 1]) return c;
        // the walk moves on to the next part most often
        if (c + 2 < firstBlock.length && b >= firstBlock[c + 1] && b < firstBlock[c + 2]) return c + 1;
        int lo = 0;
        int hi = parts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (firstBlock[mid] <= b) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    @Override
    int blockLastDoc(int b) {
        int i = partOf(b);
        return bases[i] + part(i).blockLastDoc(b - firstBlock[i]);
    }

    /** Skips whole parts by their last doc (making no cursor for them), then searches the target's part's blocks. */
    @Override
    int findBlock(int target) {
        int i = block < 0 ? 0 : current;
        while (i < parts.length && lastDoc[i] < target) i++;
        if (i == parts.length) return blockCount;
        // a part after the current one has not been entered: its block is -1 and its search starts at its first
        return firstBlock[i] + part(i).findBlock(target - bases[i]);
    }

    @Override
    void decode(int b) {
        int i = partOf(b);
        PostingsCursor p = part(i);
        p.block = b - firstBlock[i]; // the part's frequency decoding reads its own block number
        p.decode(p.block);
        current = i;
        size = p.size;
        int base = bases[i];
        if (base != 0) for (int j = 0; j < size; j++) docs[j] += base;
        norms = p.norms;
        normsBase = base;
    }

    @Override
    void decodeFreqs() {
        parts[current].decodeFreqs();
    }

    @Override
    int freqAt(int i) {
        return parts[current].freqAt(i);
    }

    @Override
    float blockMaxScore(int b, Bm25Scorer scorer) {
        int i = partOf(b);
        // a part of one block: its bound is the list's, already known (short lists split across segments are these)
        if (scorer == partMaxScorer && firstBlock[i + 1] - firstBlock[i] == 1) return partMax[i];
        return part(i).blockMaxScore(b - firstBlock[i], scorer);
    }

    /** The largest of the parts' bounds, which are kept for {@link #cheapMaxScoreInWindow}. */
    @Override
    float maxScore(Bm25Scorer scorer) {
        float[] bounds = new float[parts.length];
        float max = 0;
        for (int i = 0; i < parts.length; i++) {
            bounds[i] = lists[i].maxScore(scorer);
            max = Math.max(max, bounds[i]);
        }
        partMax = bounds;
        partMaxScorer = scorer;
        return max;
    }

    /**
     * The largest bound among the parts, from the current one on, whose docs may fall in {@code [lo, hi)}: as tight
     * as each index searched on its own, at no cost.
     */
    @Override
    float cheapMaxScoreInWindow(int lo, int hi, float whole) {
        if (partMax == null) return whole;
        float max = 0;
        for (int i = current; i < parts.length && bases[i] < hi; i++) {
            if (lastDoc[i] >= lo) max = Math.max(max, partMax[i]);
        }
        return max;
    }
}
