package io.lodestone.text;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Reads the serialized term dictionary: groups of up to 16 prefix-compressed terms, found by binary search over
 * the groups' first terms, then a scan of at most 16 entries. Stateless apart from the mapped bytes; thread-safe.
 */
final class TermDictionary {

    private final MemorySegment s;
    private final int termCount;
    private final int groupCount;
    private final long groupsOffset;
    private final long dictOffset;
    private final long postingsOffset;
    /** Each group's first term, decoded once: the binary search runs on the heap, not on the mapped bytes. */
    private final byte[][] firstTerms;

    TermDictionary(MemorySegment s, int termCount, int groupCount, long groupsOffset, long dictOffset,
                   long postingsOffset) {
        this.s = s;
        this.termCount = termCount;
        this.groupCount = groupCount;
        this.groupsOffset = groupsOffset;
        this.dictOffset = dictOffset;
        this.postingsOffset = postingsOffset;
        this.firstTerms = new byte[groupCount][];
        for (int g = 0; g < groupCount; g++) firstTerms[g] = firstTerm(g);
    }

    /** The entry of {@code term}, or null when absent. */
    TermInfo lookup(String term) {
        if (groupCount == 0) return null;
        byte[] key = term.getBytes(StandardCharsets.UTF_8);
        // last group whose first term <= key
        int lo = 0;
        int hi = groupCount - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (Arrays.compareUnsigned(firstTerms[mid], key) <= 0) lo = mid;
            else hi = mid - 1;
        }
        Scan scan = new Scan(lo);
        byte[] buffer = new byte[64];
        for (int i = 0; i < scan.entries; i++) {
            buffer = scan.nextTerm(buffer);
            int c = Arrays.compareUnsigned(buffer, 0, scan.length, key, 0, key.length);
            if (c == 0) return scan.readInfo();
            if (c > 0) return null;
            scan.skipInfo();
        }
        return null;
    }

    /**
     * Where the posting list starting at {@code postings} (a term's {@link TermInfo#postings()}) ends: lists are
     * stored in term order, so it ends where the next list of its group starts, else where the next group's lists
     * start, else at {@code end} (the end of the postings section). Lets a reader over ranged reads fetch just
     * one term's list.
     */
    long postingsEnd(long postings, long end) {
        int lo = 0;
        int hi = groupCount - 1;
        while (lo < hi) { // last group whose lists start at or before the list
            int mid = (lo + hi + 1) >>> 1;
            if (groupBase(mid) <= postings) lo = mid;
            else hi = mid - 1;
        }
        Scan scan = new Scan(lo);
        byte[] buffer = new byte[64];
        for (int i = 0; i < scan.entries; i++) {
            buffer = scan.nextTerm(buffer);
            long before = scan.postings;
            scan.skipInfo();
            if (scan.postings != before && scan.postings > postings) return scan.postings;
        }
        return lo + 1 < groupCount ? groupBase(lo + 1) : end;
    }

    private long groupBase(int group) {
        return postingsOffset + SegmentBytes.readLong(s, groupsOffset + (long) group * InvertedIndexWriter.GROUP_ENTRY_BYTES + 8);
    }

    /** Calls {@code visitor} with every term (UTF-8, in order) and its entry. */
    void forEach(BiConsumer<byte[], TermInfo> visitor) {
        byte[] buffer = new byte[64];
        for (int g = 0; g < groupCount; g++) {
            Scan scan = new Scan(g);
            for (int i = 0; i < scan.entries; i++) {
                buffer = scan.nextTerm(buffer);
                visitor.accept(Arrays.copyOf(buffer, scan.length), scan.readInfo());
            }
        }
    }

    /** Where the last group's entries end: the start of the postings, when the dictionary is intact. */
    long endOfLastGroup() {
        if (groupCount == 0) return dictOffset;
        Scan scan = new Scan(groupCount - 1);
        byte[] buffer = new byte[64];
        for (int i = 0; i < scan.entries; i++) {
            buffer = scan.nextTerm(buffer);
            scan.skipInfo();
        }
        return scan.c.pos;
    }

    /** The first term of a group (stored whole: prefix length 0). */
    private byte[] firstTerm(int group) {
        SegmentBytes.Cursor c = new SegmentBytes.Cursor(s, dictOffset + SegmentBytes.readLong(s, groupsOffset
                + (long) group * InvertedIndexWriter.GROUP_ENTRY_BYTES));
        int prefix = c.readVarInt();
        int length = c.readVarInt();
        if (prefix != 0) throw new IllegalStateException("first term of group " + group + " has prefix " + prefix);
        if (length < 0 || length > postingsOffset - c.pos) {
            throw new IllegalStateException("first term of group " + group + ": " + length + " bytes at offset " + c.pos
                    + " run past the dictionary");
        }
        byte[] term = new byte[length];
        MemorySegment.copy(s, java.lang.foreign.ValueLayout.JAVA_BYTE, c.pos, term, 0, length);
        return term;
    }

    /** Sequential decoding of one group's entries. */
    private final class Scan {
        final SegmentBytes.Cursor c;
        final int entries;
        long postings;
        int length;

        Scan(int group) {
            long entry = groupsOffset + (long) group * InvertedIndexWriter.GROUP_ENTRY_BYTES;
            this.c = new SegmentBytes.Cursor(s, dictOffset + SegmentBytes.readLong(s, entry));
            this.postings = postingsOffset + SegmentBytes.readLong(s, entry + 8);
            this.entries = Math.min(InvertedIndexWriter.GROUP_SIZE, termCount - group * InvertedIndexWriter.GROUP_SIZE);
        }

        /** Decodes the next entry's term into buffer[0, length) (returned, grown if needed); its info follows. */
        byte[] nextTerm(byte[] buffer) {
            int prefix = c.readVarInt();
            int suffix = c.readVarInt();
            if (prefix < 0 || prefix > length) throw new IllegalStateException("prefix " + prefix + " longer than previous term " + length);
            if (suffix < 0 || suffix > postingsOffset - c.pos) {
                throw new IllegalStateException("term suffix of " + suffix + " bytes at offset " + c.pos + " runs past the dictionary");
            }
            int len = prefix + suffix;
            if (len > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(len, buffer.length * 2));
            MemorySegment.copy(s, java.lang.foreign.ValueLayout.JAVA_BYTE, c.pos, buffer, prefix, suffix);
            c.pos += suffix;
            length = len;
            return buffer;
        }

        /** Decodes the info of the term just read. */
        TermInfo readInfo() {
            int df = c.readVarInt();
            if (df < 1) throw new IllegalStateException("docFreq " + df + " < 1");
            if (df == 1) {
                int doc = c.readVarInt();
                return new TermInfo(1, doc, c.readVarInt(), -1, null);
            }
            postings += c.readVarLong();
            int lastDoc = c.readVarInt();
            return new TermInfo(df, lastDoc, 0, postings, InvertedIndexReader.readImpacts(c));
        }

        /** Skips the info of the term just read. */
        void skipInfo() {
            int df = c.readVarInt();
            if (df == 1) {
                c.readVarLong();
                c.readVarLong();
                return;
            }
            postings += c.readVarLong();
            c.readVarLong();
            int points = c.readByte();
            for (int i = 0; i < points; i++) {
                c.readVarLong();
                c.pos++;
            }
        }
    }
}
