package io.lodestone.engine;

import io.lodestone.doc.FullTextOptions;
import io.lodestone.segment.Manifest;
import io.lodestone.text.Bm25Stats;
import io.lodestone.text.InvertedIndex;
import io.lodestone.text.TextQuery;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What BM25 needs of one state version for one full-text attribute: each source's inverted index (the tail's
 * built once per version, not per query), the live document count and token total (deleted and replaced segment
 * rows subtracted once, not per query), and each term's live document frequency, computed on first use and kept.
 * A state version is fixed by its manifest, last applied log entry and tail table, so everything here stays exact
 * while those three are the ones a query sees. Thread-safe; built and read over one immutable snapshot of the state.
 */
final class TextView {
    /** Terms whose frequency is kept; past this the view computes without keeping (bounded memory per version). */
    static final int MAX_CACHED_TERMS = 65_536;

    private final Manifest manifest;
    private final long lastSeq;
    private final DocTable table;
    private final List<DocSource> sources;
    private final List<InvertedIndex> indexes;
    /** Per source: whether some of its rows are dead, so that frequencies must test liveness. */
    private final boolean[] withDead;
    private final long docCount;
    private final long tokens;
    /** Whether row order within each source, sources in order, is id order (then ties need no id lookups). */
    private final boolean rowOrderIsIdOrder;
    private final ConcurrentHashMap<String, Long> docFreqs = new ConcurrentHashMap<>();

    private TextView(NamespaceState.Snapshot snap, List<DocSource> sources, List<InvertedIndex> indexes,
                     String attribute, FullTextOptions options) {
        this.manifest = snap.manifest();
        this.lastSeq = snap.lastSeq();
        this.table = snap.table();
        this.sources = List.copyOf(sources);
        this.indexes = List.copyOf(indexes);
        this.withDead = new boolean[sources.size()];
        long n = 0, t = 0;
        for (int i = 0; i < sources.size(); i++) {
            InvertedIndex index = indexes.get(i);
            n += index.docCount();
            t += index.sumTotalTermFreq();
            if (sources.get(i) instanceof SegmentSource s) {
                BitSet dead = s.deadRows();
                withDead[i] = !dead.isEmpty();
                for (int r = dead.nextSetBit(0); r >= 0; r = dead.nextSetBit(r + 1)) {
                    int len = TextIndexes.fieldLength(s.segment, r, attribute, options);
                    if (len > 0) {
                        n--;
                        t -= len;
                    }
                }
            }
        }
        this.docCount = n;
        this.tokens = t;
        this.rowOrderIsIdOrder = rowOrderIsIdOrder(sources);
    }

    /** Ids ascending with rows in every source, and each source's ids above the previous source's. */
    private static boolean rowOrderIsIdOrder(List<DocSource> sources) {
        io.lodestone.doc.DocId last = null;
        for (DocSource src : sources) {
            IdRange r = switch (src) {
                case SegmentSource s -> s.segment.derived("ids:range", () -> IdRange.of(s));
                default -> IdRange.of(src);
            };
            if (!r.ordered()) return false;
            if (r.first() == null) continue;
            if (last != null && last.compareTo(r.first()) >= 0) return false;
            last = r.last();
        }
        return true;
    }

    /** Whether a source's ids ascend with its rows, and then its first and last id (null without rows). */
    private record IdRange(boolean ordered, io.lodestone.doc.DocId first, io.lodestone.doc.DocId last) {
        static IdRange of(DocSource src) {
            int n = src.rowCount();
            if (n == 0) return new IdRange(true, null, null);
            io.lodestone.doc.DocId first = src.id(0), prev = first;
            for (int r = 1; r < n; r++) {
                io.lodestone.doc.DocId id = src.id(r);
                if (prev.compareTo(id) >= 0) return new IdRange(false, null, null);
                prev = id;
            }
            return new IdRange(true, first, prev);
        }
    }

    /** Whether a lower (source index, row) always has the lower id, so ties can be broken by position. */
    boolean rowOrderIsIdOrder() {
        return rowOrderIsIdOrder;
    }

    /** The view of {@code snap}'s sources, their indexes given by {@code indexOf}. */
    static TextView of(NamespaceState.Snapshot snap, List<DocSource> sources, String attribute, FullTextOptions options,
                       java.util.function.Function<DocSource, InvertedIndex> indexOf) {
        List<InvertedIndex> indexes = new ArrayList<>(sources.size());
        for (DocSource src : sources) indexes.add(indexOf.apply(src));
        return new TextView(snap, sources, indexes, attribute, options);
    }

    /** Whether this view is of the state version {@code snap} shows. */
    boolean isOf(NamespaceState.Snapshot snap) {
        return manifest == snap.manifest() && lastSeq == snap.lastSeq() && table == snap.table();
    }

    /** The sources, segments then the tail, as the query's executor lists them. */
    List<DocSource> sources() {
        return sources;
    }

    /** Source i's inverted index. */
    InvertedIndex index(int i) {
        return indexes.get(i);
    }

    /** The statistics of {@code query}'s terms over the live documents of every source. */
    Bm25Stats stats(TextQuery query) {
        Map<String, Long> df = new HashMap<>();
        for (String term : query.terms()) df.put(term, docFreq(term));
        return new Bm25Stats(docCount, tokens, df);
    }

    private long docFreq(String term) {
        Long known = docFreqs.get(term);
        if (known != null) return known;
        long n = 0;
        for (int i = 0; i < sources.size(); i++) {
            InvertedIndex index = indexes.get(i);
            n += withDead[i] ? index.docFreq(term, sources.get(i)::isLive) : index.docFreq(term);
        }
        if (docFreqs.size() < MAX_CACHED_TERMS) docFreqs.put(term, n);
        return n;
    }
}
