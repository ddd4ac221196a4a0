package io.lodestone.text;

import io.lodestone.codec.CorruptObjectException;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * A serialized inverted index (version 1, layout in {@link io.lodestone.text package-info}) read in place from a
 * {@link MemorySegment}, typically a memory-mapped segment file. Opening checks the header and that every section
 * lies inside the bytes (cheap); {@link #checkIntegrity()} decodes everything. A failure is a
 * {@link CorruptObjectException} naming the source, the field and the expected and actual values. Immutable and
 * thread-safe (cursors are per query).
 */
public final class InvertedIndexReader extends InvertedIndex {

    private final MemorySegment s;
    private final String source;
    private final int maxDoc;
    private final int docCount;
    private final long sumTotalTermFreq;
    private final int termCount;
    private final MemorySegment norms;
    private final TermDictionary dictionary;
    /**
     * Terms looked up lately, by hash slot (a newer term takes the slot): query streams repeat their terms, and a
     * hit skips the dictionary's binary search and group scan. Bounded ({@link #RECENT_TERMS} slots at most);
     * entries are immutable, so racing readers see either entry or none.
     */
    private final java.util.concurrent.atomic.AtomicReferenceArray<Looked> recent;

    /** Slots of the recent-terms cache, at most. */
    static final int RECENT_TERMS = 4096;

    /** A term and its entry (null info: absent). */
    private record Looked(String term, TermInfo info) {
    }

    /**
     * Makes byte ranges of the index present before they are read, for an index read by ranged reads (null when
     * every byte is present).
     */
    @FunctionalInterface
    public interface Fetcher {
        void ensure(long offset, long length);

        /** Whether every byte is present now (then nothing needs ensuring, and lists need no extent). */
        default boolean complete() {
            return false;
        }

        /** Makes {@code n} ranges present at once; by default one after the other. */
        default void ensure(long[] offsets, long[] lengths, int n) {
            for (int i = 0; i < n; i++) ensure(offsets[i], lengths[i]);
        }
    }

    private final Fetcher fetcher;

    private InvertedIndexReader(MemorySegment s, String source, Fetcher fetcher) {
        this.s = s;
        this.source = source;
        this.fetcher = fetcher;
        long size = s.byteSize();
        if (size < InvertedIndexWriter.HEADER_BYTES) fail("only " + size + " bytes; truncated?");
        if (fetcher != null) fetcher.ensure(0, InvertedIndexWriter.HEADER_BYTES);
        int magic = SegmentBytes.readInt(s, 0);
        if (magic != InvertedIndexWriter.MAGIC) {
            fail("magic: expected " + Integer.toHexString(InvertedIndexWriter.MAGIC) + ", actual " + Integer.toHexString(magic));
        }
        int version = SegmentBytes.readInt(s, 4);
        if (version != InvertedIndexWriter.VERSION) {
            fail("version " + version + " is not supported (this reader reads version "
                    + InvertedIndexWriter.VERSION + "); written by a newer Lodestone?");
        }
        maxDoc = SegmentBytes.readInt(s, 8);
        docCount = SegmentBytes.readInt(s, 12);
        sumTotalTermFreq = SegmentBytes.readLong(s, 16);
        termCount = SegmentBytes.readInt(s, 24);
        int groupCount = SegmentBytes.readInt(s, 28);
        long normsOffset = SegmentBytes.readLong(s, 32);
        long groupsOffset = SegmentBytes.readLong(s, 40);
        long dictOffset = SegmentBytes.readLong(s, 48);
        long postingsOffset = SegmentBytes.readLong(s, 56);
        long total = SegmentBytes.readLong(s, 64);
        if (maxDoc < 0 || docCount < 0 || docCount > maxDoc) fail("docCount " + docCount + " not in [0, maxDoc " + maxDoc + "]");
        if (sumTotalTermFreq < docCount) fail("sumTotalTermFreq " + sumTotalTermFreq + " < docCount " + docCount);
        int expectedGroups = (int) ((termCount + (long) InvertedIndexWriter.GROUP_SIZE - 1) / InvertedIndexWriter.GROUP_SIZE);
        if (termCount < 0 || groupCount != expectedGroups) fail("groupCount: expected " + expectedGroups + " for " + termCount + " terms, actual " + groupCount);
        expect("normsOffset", InvertedIndexWriter.HEADER_BYTES, normsOffset);
        expect("groupsOffset", normsOffset + maxDoc, groupsOffset);
        expect("dictOffset", groupsOffset + (long) groupCount * InvertedIndexWriter.GROUP_ENTRY_BYTES, dictOffset);
        if (postingsOffset < dictOffset || postingsOffset > total - InvertedIndexWriter.PADDING) {
            fail("postingsOffset " + postingsOffset + " not in [" + dictOffset + ", " + (total - InvertedIndexWriter.PADDING) + "]");
        }
        expect("length", total, size);
        if (fetcher != null) fetcher.ensure(0, postingsOffset); // header, norms and dictionary: postings as terms are read
        this.norms = s.asSlice(normsOffset, maxDoc);
        this.recent = new java.util.concurrent.atomic.AtomicReferenceArray<>(
                Math.min(RECENT_TERMS, Integer.highestOneBit(Math.max(1, termCount)) * 2));
        try {
            this.dictionary = new TermDictionary(s, termCount, groupCount, groupsOffset, dictOffset, postingsOffset);
            expect("end of the term dictionary", postingsOffset, dictionary.endOfLastGroup());
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            throw new CorruptObjectException(source, "inverted index: term groups: " + e.getMessage());
        }
    }

    /**
     * Opens the index in {@code bytes} (exactly the bytes {@link InvertedIndexWriter} wrote).
     *
     * @param source names the bytes in error messages (e.g. the segment file)
     * @throws CorruptObjectException when the header or the section bounds are wrong
     */
    public static InvertedIndexReader open(MemorySegment bytes, String source) {
        return open(bytes, source, null);
    }

    /**
     * As {@link #open(MemorySegment, String)}, for bytes read by ranges: {@code fetcher} is asked for the header,
     * norms and dictionary now, and for a term's posting list when the term is first read by a query.
     */
    public static InvertedIndexReader open(MemorySegment bytes, String source, Fetcher fetcher) {
        return new InvertedIndexReader(Objects.requireNonNull(bytes, "bytes"), Objects.requireNonNull(source, "source"), fetcher);
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
        return termCount;
    }

    @Override
    public int docFreq(String term) {
        TermInfo info = lookup(term);
        return info == null ? 0 : info.docFreq();
    }

    @Override
    public int norm(int doc) {
        Objects.checkIndex(doc, maxDoc);
        return SegmentBytes.readByte(norms, doc);
    }

    @Override
    public TermPostings term(String term) {
        TermInfo info = lookup(term);
        if (info == null) return null;
        if (info.postings() >= 0 && fetchesPostings()) fetcher.ensure(info.postings(), postingsLength(info));
        return new Packed(info);
    }

    /** Bytes of the term's list (with the padding a decoder may read past its end). */
    private long postingsLength(TermInfo info) {
        long end = dictionary.postingsEnd(info.postings(), s.byteSize());
        return Math.min(s.byteSize(), end + InvertedIndexWriter.PADDING) - info.postings();
    }

    @Override
    public boolean fetchesPostings() {
        return fetcher != null && !fetcher.complete();
    }

    @Override
    public void prefetch(java.util.List<String> terms) {
        if (!fetchesPostings()) return;
        long[] offsets = new long[terms.size()];
        long[] lengths = new long[terms.size()];
        int n = 0;
        for (String term : terms) {
            TermInfo info = lookup(term);
            if (info == null || info.postings() < 0) continue;
            offsets[n] = info.postings();
            lengths[n++] = postingsLength(info);
        }
        fetcher.ensure(offsets, lengths, n);
    }

    /** A term's dictionary entry in these bytes. */
    private final class Packed extends TermPostings {
        private final TermInfo info;
        /** The last bound computed and the scorer it was for (a state version's queries score a term alike). */
        private volatile Bound bound;

        Packed(TermInfo info) {
            this.info = info;
        }

        @Override
        public int docFreq() {
            return info.docFreq();
        }

        @Override
        int lastDoc() {
            return info.lastDoc();
        }

        /** Remembered for the next query whose scorer scores alike: a query asks it of every list of its terms. */
        @Override
        float maxScore(Bm25Scorer scorer) {
            Bound b = bound;
            if (b != null && b.scorer().scoresLike(scorer)) return b.max();
            float max = PackedPostingsCursor.maxScore(norms, info, scorer);
            bound = new Bound(scorer, max);
            return max;
        }

        @Override
        PostingsCursor cursor(int[] docs, int[] freqs) {
            return new PackedPostingsCursor(s, norms, info, docs, freqs);
        }
    }


    private record Bound(Bm25Scorer scorer, float max) {
    }

    private TermInfo lookup(String term) {
        int slot = term.hashCode() & (recent.length() - 1);
        Looked hit = recent.getAcquire(slot);
        if (hit != null && hit.term().equals(term)) return hit.info();
        try {
            TermInfo info = dictionary.lookup(term);
            recent.setRelease(slot, new Looked(term, info));
            return info;
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            throw new CorruptObjectException(source, "term dictionary, looking up '" + term + "': " + e.getMessage());
        }
    }

    /**
     * Decodes every term and posting and checks them: terms strictly ascending, docs ascending within
     * {@code [0, maxDoc)}, doc frequencies, last docs and block bounds as recorded, impacts that bound every
     * posting, and the header's docCount and sumTotalTermFreq.
     *
     * @throws CorruptObjectException at the first inconsistency
     */
    public void checkIntegrity() {
        try {
            new IntegrityCheck().run();
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            throw new CorruptObjectException(source, e.getMessage());
        }
    }

    private final class IntegrityCheck {
        byte[] previous;
        int terms;
        long tokens;

        void run() {
            dictionary.forEach(this::checkTerm);
            if (terms != termCount) throw new IllegalStateException("termCount: expected " + termCount + ", actual " + terms);
            if (tokens != sumTotalTermFreq) {
                throw new IllegalStateException("sumTotalTermFreq: expected " + sumTotalTermFreq + ", actual " + tokens);
            }
            int withTokens = 0;
            for (int d = 0; d < maxDoc; d++) if (norm(d) != 0) withTokens++;
            if (withTokens != docCount) throw new IllegalStateException("docCount: expected " + docCount + ", actual " + withTokens);
        }

        void checkTerm(byte[] term, TermInfo info) {
            String name = new String(term, java.nio.charset.StandardCharsets.UTF_8);
            if (previous != null && Arrays.compareUnsigned(previous, term) >= 0) {
                throw new IllegalStateException("term '" + name + "' is not after '"
                        + new String(previous, java.nio.charset.StandardCharsets.UTF_8) + "'");
            }
            previous = term;
            terms++;
            PackedPostingsCursor c = new PackedPostingsCursor(s, norms, info, new int[PostingsCursor.BLOCK], new int[PostingsCursor.BLOCK]);
            int count = 0;
            int last = -1;
            for (int b = 0; b < c.blockCount; b++) {
                c.decode(b);
                c.decodeFreqs();
                int[] bound = info.docFreq() == 1 ? null : c.blockImpacts(b);
                for (int i = 0; i < c.size; i++) {
                    int doc = c.docs[i];
                    if (doc <= last || doc >= maxDoc) {
                        throw new IllegalStateException("term '" + name + "': doc " + doc + " after " + last + " (maxDoc " + maxDoc + ")");
                    }
                    if (c.freqs[i] < 1) throw new IllegalStateException("term '" + name + "': freq " + c.freqs[i] + " of doc " + doc);
                    if (bound != null && !(bounded(bound, c.freqs[i], norm(doc)) && bounded(info.impacts(), c.freqs[i], norm(doc)))) {
                        throw new IllegalStateException("term '" + name + "': impacts do not bound doc " + doc);
                    }
                    last = doc;
                    tokens += c.freqs[i];
                    count++;
                }
                if (c.blockLastDoc(b) != last) {
                    throw new IllegalStateException("term '" + name + "' block " + b + ": last doc expected " + c.blockLastDoc(b) + ", actual " + last);
                }
            }
            if (count != info.docFreq()) throw new IllegalStateException("term '" + name + "': docFreq expected " + info.docFreq() + ", actual " + count);
        }

        private boolean bounded(int[] impacts, int freq, int norm) {
            for (int i = 0; i < impacts.length; i += 2) if (impacts[i] >= freq && impacts[i + 1] <= norm) return true;
            return false;
        }
    }

    /** Reads an impacts list: count (1..{@link Impacts#MAX_POINTS}), then (varint freq, byte code) pairs. */
    static int[] readImpacts(SegmentBytes.Cursor c) {
        int n = c.readByte();
        if (n < 1 || n > Impacts.MAX_POINTS) throw new IllegalStateException("impact count " + n + " not in [1, " + Impacts.MAX_POINTS + "]");
        int[] points = new int[2 * n];
        for (int i = 0; i < n; i++) {
            points[2 * i] = c.readVarInt();
            points[2 * i + 1] = c.readByte();
        }
        return points;
    }

    private void expect(String field, long expected, long actual) {
        if (expected != actual) fail(field + ": expected " + expected + ", actual " + actual);
    }

    private void fail(String detail) {
        throw new CorruptObjectException(source, "inverted index: " + detail);
    }
}
