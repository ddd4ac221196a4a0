package io.lodestone.engine;

import io.lodestone.cache.PinnedFile;
import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.doc.Schema;
import io.lodestone.segment.Segment;
import io.lodestone.segment.SegmentFiles;
import io.lodestone.segment.SegmentTextFile;
import io.lodestone.store.ObjectNotFoundException;
import io.lodestone.text.InvertedIndex;
import io.lodestone.text.InvertedIndexBuilder;
import io.lodestone.text.TextAnalyzer;
import io.lodestone.text.TextAnalyzers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the inverted index of a (source, attribute) comes from: a segment's text file when it was built
 * with the attribute's current options, else the segment's documents indexed in memory (so changing the
 * options of an attribute takes effect at once; the next merge writes the file anew); for the tail, an
 * index of its live rows built per state version ({@link #view}). Also the exact field length of a segment row, which
 * the statistics need for deleted rows.
 */
final class TextIndexes {
    /** Attribute/option pairs whose current view is kept; past this the views start over (schema churn). */
    private static final int MAX_VIEWS = 64;

    private final SegmentFiles files;
    private final String prefix;
    private final ConcurrentHashMap<ViewKey, TextView> views = new ConcurrentHashMap<>();

    private record ViewKey(String attribute, FullTextOptions options) {
    }

    TextIndexes(SegmentFiles files, String prefix) {
        this.files = files;
        this.prefix = prefix;
    }

    /** Full-text attributes of a schema with their options. */
    static Map<String, FullTextOptions> textAttributes(Schema schema) {
        Map<String, FullTextOptions> out = new LinkedHashMap<>();
        for (Map.Entry<String, AttributeSchema> e : schema.attributes().entrySet()) {
            if (e.getValue().fullTextSearch() != null) out.put(e.getKey(), e.getValue().fullTextSearch());
        }
        return out;
    }

    /**
     * The BM25 view of {@code attribute} at the state version {@code snap} shows, over {@code sources} (that
     * version's sources): made by the version's first query, then shared by every query of the version.
     */
    TextView view(NamespaceState.Snapshot snap, List<DocSource> sources, String attribute, FullTextOptions options) {
        ViewKey key = new ViewKey(attribute, options);
        TextView v = views.get(key);
        if (v != null && v.isOf(snap)) return v;
        v = TextView.of(snap, sources, attribute, options, src -> switch (src) {
            case SegmentSource s -> forSegment(s.segment, attribute, options);
            case TailSource tail -> forTail(tail.table(), attribute, options);
            default -> throw new IllegalStateException("unknown source " + src);
        });
        if (views.size() >= MAX_VIEWS) views.clear();
        views.put(key, v);
        return v;
    }

    InvertedIndex forSegment(Segment segment, String attribute, FullTextOptions options) {
        String fp = SegmentTextFile.fingerprint(options);
        return segment.derived("text:" + attribute + ":" + fp, () -> open(segment, attribute, options, fp)).index();
    }

    /** A text index and what to close with it. */
    private record Held(InvertedIndex index, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (resource != null) resource.close();
        }
    }

    private Held open(Segment segment, String attribute, FullTextOptions options, String fp) {
        String key = SegmentTextFile.key(prefix, segment.id(), attribute);
        try {
            PinnedFile pin = files.open(key);
            SegmentTextFile.Opened opened;
            try {
                opened = SegmentTextFile.open(pin.path(), pin.residency(), key);
            } catch (IOException | RuntimeException e) {
                pin.close();
                throw e;
            }
            if (opened.fingerprint().equals(fp)) return new Held(opened.index(), () -> {
                opened.close();
                pin.close();
            });
            opened.close();
            pin.close();
        } catch (ObjectNotFoundException absent) {
            // not indexed when the segment was written: index the documents now
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        InvertedIndexBuilder b = new InvertedIndexBuilder(TextAnalyzers.forOptions(options));
        segment.prefetchAllAttributes(); // a remote segment's rows arrive in one batch, not row by row
        for (int r = 0; r < segment.rowCount(); r++) SegmentTextFile.add(b, r, segment.attributes(r).get(attribute));
        b.extendMaxDoc(segment.rowCount());
        return new Held(b, null);
    }

    /** Index of the tail's live rows (ordinal = row). */
    static InvertedIndex forTail(DocTable table, String attribute, FullTextOptions options) {
        InvertedIndexBuilder b = new InvertedIndexBuilder(TextAnalyzers.forOptions(options));
        table.forEachLive(r -> SegmentTextFile.add(b, r, table.attributes(r).get(attribute)));
        b.extendMaxDoc(table.rowCount());
        return b;
    }

    /** Exact token count of an attribute in a segment row (memoized per segment). */
    static int fieldLength(Segment segment, int row, String attribute, FullTextOptions options) {
        int[] lengths = segment.derived("length:" + attribute + ":" + SegmentTextFile.fingerprint(options), () -> {
            int[] a = new int[segment.rowCount()];
            Arrays.fill(a, -1);
            return a;
        });
        int n = lengths[row];
        if (n < 0) {
            TextAnalyzer analyzer = TextAnalyzers.forOptions(options);
            Object v = segment.attributes(row).get(attribute);
            List<String> tokens = new ArrayList<>();
            if (v instanceof String s) tokens = analyzer.tokens(s);
            else if (v instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof String) {
                @SuppressWarnings("unchecked") List<String> values = (List<String>) list;
                tokens = analyzer.tokens(values);
            }
            n = tokens.size();
            lengths[row] = n;
        }
        return n;
    }
}
