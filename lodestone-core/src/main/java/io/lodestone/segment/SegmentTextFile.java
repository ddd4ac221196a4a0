package io.lodestone.segment;

import io.lodestone.codec.CorruptObjectException;
import io.lodestone.codec.FrameOutput;
import io.lodestone.codec.MappedFrame;
import io.lodestone.codec.Residency;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.text.InvertedIndexBuilder;
import io.lodestone.text.InvertedIndexReader;
import io.lodestone.text.InvertedIndexWriter;
import io.lodestone.text.TextAnalyzers;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The inverted index of one full-text attribute of a segment. Format {@code lodestone.segment.text} v1:
 * <pre>
 * body: int32 fingerprintLength | fingerprint (UTF-8) | inverted index bytes (io.lodestone.text layout)
 * </pre>
 * The fingerprint names the analysis options the index was built with; an index built with other
 * options than the schema's current ones is not used (the segment's docs are re-indexed instead).
 */
public final class SegmentTextFile {
    static final String FORMAT = "lodestone.segment.text";

    private SegmentTextFile() {
    }

    /** Object key of an attribute's text index (the attribute name is hex-encoded, so any name is a valid key). */
    public static String key(String prefix, String segmentId, String attribute) {
        return SegmentKeys.segmentPrefix(prefix, segmentId) + "text/" + HexFormat.of().formatHex(attribute.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Identifies the analysis options; part of the file and compared on open. An analysis revision above 0 is
     * appended ({@code |r1}), so an index built by an older release's analysis of the same options no longer
     * matches and is rebuilt, while fingerprints of analyses that never changed stay as they were.
     */
    public static String fingerprint(FullTextOptions o) {
        int revision = TextAnalyzers.revision(o);
        return o.language() + "|" + o.stemming() + "|" + o.removeStopwords() + "|" + o.caseSensitive() + "|"
                + o.asciiFolding() + "|" + o.tokenizer() + (revision == 0 ? "" : "|r" + revision);
    }

    /** Indexes the attribute over rows in order (row = doc ordinal). */
    public static InvertedIndexBuilder build(List<Map<String, Object>> rows, String attribute, FullTextOptions options) {
        InvertedIndexBuilder b = new InvertedIndexBuilder(TextAnalyzers.forOptions(options));
        for (int r = 0; r < rows.size(); r++) add(b, r, rows.get(r).get(attribute));
        b.extendMaxDoc(rows.size());
        return b;
    }

    /** Adds one doc's value (a string or an array of strings; anything else is not indexed). */
    @SuppressWarnings("unchecked")
    public static void add(InvertedIndexBuilder b, int ordinal, Object value) {
        if (value instanceof String s) {
            b.add(ordinal, s);
        } else if (value instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof String) {
            b.add(ordinal, (List<String>) list);
        }
    }

    public static long write(Path file, InvertedIndexBuilder index, FullTextOptions options) throws IOException {
        try (FrameOutput out = FrameOutput.create(file, FORMAT, 1)) {
            byte[] fp = fingerprint(options).getBytes(StandardCharsets.UTF_8);
            out.writeInt(fp.length);
            out.write(fp, 0, fp.length);
            new InvertedIndexWriter(index).write(out);
            return out.finish();
        }
    }

    /** A mapped text index; keeps its mapping open until closed. */
    public record Opened(MappedFrame frame, String fingerprint, InvertedIndexReader index) implements AutoCloseable {
        @Override
        public void close() {
            frame.close();
        }
    }

    /**
     * Opens a text index. Over ranged reads the dictionary is fetched now and a term's posting list when a query
     * first reads the term.
     */
    public static Opened open(Path file, Residency residency, String source) throws IOException {
        MappedFrame frame = MappedFrame.open(file, residency, source, FORMAT, 1, 1);
        try {
            MemorySegment body = frame.body();
            if (body.byteSize() < 4) throw new CorruptObjectException(source, "text body of " + body.byteSize() + " bytes");
            frame.ensure(0, 4);
            int n = body.get(MappedFrame.INT, 0);
            if (n < 0 || 4L + n > body.byteSize()) throw new CorruptObjectException(source, "bad fingerprint length " + n);
            frame.ensure(4, n);
            String fp = new String(body.asSlice(4, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            InvertedIndexReader.Fetcher fetcher = frame.complete() ? null : new InvertedIndexReader.Fetcher() {
                @Override
                public void ensure(long offset, long length) {
                    frame.ensure(4 + n + offset, length);
                }

                @Override
                public boolean complete() {
                    return frame.complete();
                }

                @Override
                public void ensure(long[] offsets, long[] lengths, int count) {
                    long[] inBody = new long[count];
                    for (int i = 0; i < count; i++) inBody[i] = 4 + n + offsets[i];
                    frame.ensure(inBody, lengths, count);
                }
            };
            return new Opened(frame, fp, InvertedIndexReader.open(body.asSlice(4 + n), source, fetcher));
        } catch (RuntimeException e) {
            frame.close();
            throw e;
        }
    }
}
