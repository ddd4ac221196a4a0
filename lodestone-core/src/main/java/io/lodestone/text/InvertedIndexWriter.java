package io.lodestone.text;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Serializes an {@link InvertedIndexBuilder} into the version-1 byte layout documented in
 * {@link io.lodestone.text package-info}, which {@link InvertedIndexReader} maps. The bytes carry no checksum:
 * the segment file that holds them frames and checksums them.
 */
public final class InvertedIndexWriter {

    static final int MAGIC = 0x5854444C; // "LDTX" as little-endian bytes
    static final int VERSION = 1;
    static final int HEADER_BYTES = 72;
    static final int GROUP_SIZE = 16;
    static final int GROUP_ENTRY_BYTES = 16;
    static final int PADDING = 8;

    private final InvertedIndexBuilder index;

    /** A writer of {@code index} (which must not change while it writes). */
    public InvertedIndexWriter(InvertedIndexBuilder index) {
        this.index = index;
    }

    /** Writes the serialized index to {@code out} and returns the number of bytes written. */
    public long write(OutputStream out) throws IOException {
        int termCount = index.termCount();
        byte[][] utf8 = new byte[termCount][];
        Integer[] sorted = new Integer[termCount];
        for (int id = 0; id < termCount; id++) {
            utf8[id] = new String(index.termChars(id)).getBytes(StandardCharsets.UTF_8);
            sorted[id] = id;
        }
        Arrays.sort(sorted, Comparator.comparing(id -> utf8[id], Arrays::compareUnsigned));

        byte[] norms = index.normBytes();
        int groupCount = (termCount + GROUP_SIZE - 1) / GROUP_SIZE;
        ByteSink groups = new ByteSink(groupCount * GROUP_ENTRY_BYTES);
        ByteSink dict = new ByteSink(termCount * 16);
        ByteSink postings = new ByteSink(termCount * 8);
        byte[] previous = new byte[0];
        long groupPostings = 0;
        for (int i = 0; i < termCount; i++) {
            int id = sorted[i];
            byte[] term = utf8[id];
            int prefix = 0;
            if (i % GROUP_SIZE == 0) {
                groups.writeLong(dict.size()).writeLong(postings.size());
                groupPostings = postings.size();
            } else {
                prefix = Arrays.mismatch(previous, term);
                if (prefix < 0) prefix = term.length;
            }
            dict.writeVarInt(prefix).writeVarInt(term.length - prefix).writeBytes(term, prefix, term.length - prefix);
            previous = term;
            int df = index.termDocFreq(id);
            int[] docs = index.termDocs(id);
            int[] freqs = index.termFreqs(id);
            dict.writeVarInt(df);
            if (df == 1) {
                dict.writeVarInt(docs[0]).writeVarInt(freqs[0]);
                continue;
            }
            dict.writeVarLong(postings.size() - groupPostings).writeVarInt(docs[df - 1]);
            groupPostings = postings.size();
            writeImpacts(dict, Impacts.of(docs, freqs, 0, df, norms));
            writePostings(postings, docs, freqs, df, norms);
        }

        int maxDoc = index.maxDoc();
        long normsOffset = HEADER_BYTES;
        long groupsOffset = normsOffset + maxDoc;
        long dictOffset = groupsOffset + groups.size();
        long postingsOffset = dictOffset + dict.size();
        long total = postingsOffset + postings.size() + PADDING;
        ByteSink header = new ByteSink(HEADER_BYTES);
        header.writeInt(MAGIC).writeInt(VERSION).writeInt(maxDoc).writeInt(index.docCount())
                .writeLong(index.sumTotalTermFreq()).writeInt(termCount).writeInt(groupCount)
                .writeLong(normsOffset).writeLong(groupsOffset).writeLong(dictOffset).writeLong(postingsOffset)
                .writeLong(total);
        assert header.size() == HEADER_BYTES : header.size();
        out.write(header.array(), 0, header.size());
        out.write(norms, 0, maxDoc);
        out.write(groups.array(), 0, groups.size());
        out.write(dict.array(), 0, dict.size());
        out.write(postings.array(), 0, postings.size());
        out.write(new byte[PADDING]);
        return total;
    }

    /** The posting list of one term with two or more docs: skip table (if several blocks), then the blocks. */
    private static void writePostings(ByteSink out, int[] docs, int[] freqs, int df, byte[] norms) {
        int blocks = (df + PostingsCursor.BLOCK - 1) / PostingsCursor.BLOCK;
        ByteSink data = new ByteSink(df * 3);
        int[] deltas = new int[PostingsCursor.BLOCK];
        int[] freqMinus1 = new int[PostingsCursor.BLOCK];
        ByteSink skip = new ByteSink(blocks * 8);
        int prev = -1;
        for (int b = 0; b < blocks; b++) {
            int from = b * PostingsCursor.BLOCK;
            int n = Math.min(PostingsCursor.BLOCK, df - from);
            for (int i = 0; i < n; i++) {
                deltas[i] = docs[from + i] - prev - 1;
                prev = docs[from + i];
                freqMinus1[i] = freqs[from + i] - 1;
            }
            int docBits = ByteSink.bitsRequired(deltas, n);
            int freqBits = ByteSink.bitsRequired(freqMinus1, n);
            data.writeByte(docBits).writeByte(freqBits).writePacked(deltas, n, docBits).writePacked(freqMinus1, n, freqBits);
            if (blocks > 1) {
                writeImpacts(data, Impacts.of(docs, freqs, from, from + n, norms));
                skip.writeInt(prev).writeInt(data.size());
            }
        }
        out.writeBytes(skip.array(), 0, skip.size());
        out.writeBytes(data.array(), 0, data.size());
    }

    private static void writeImpacts(ByteSink out, int[] points) {
        out.writeByte(points.length / 2);
        for (int i = 0; i < points.length; i += 2) out.writeVarInt(points[i]).writeByte(points[i + 1]);
    }
}
