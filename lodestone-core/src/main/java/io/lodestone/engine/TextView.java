package io.lodestone.engine;

import io.lodestone.doc.FullTextOptions;
import io.lodestone.segment.Manifest;
import io.lodestone.text.Bm25Stats;
import io.lodestone.text.InvertedIndex;
import io.lodestone.text.TermPostings;
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
 * rows subtracted once, not per query), and each term's posting lists in every source with its live document
 * frequency, looked up on first use and kept (a later query with the term opens its cursors with no dictionary
 * lookup in any source).
 * A state version is fixed by its manifest, last applied log entry and tail table, so everything here stays exact
 * while those three are the ones a query sees. Thread-safe; built and read over one immutable snapshot of the state.
 */
final class TextView {
    /**
     * Posting-list handles kept over all terms and sources (a term kept with 8 sources holds 8); past this the view
     * looks terms up without keeping them. About 100 bytes each: some 26 MB per version at most.
     */
    static final int MAX_CACHED_LISTS = 262_144;

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
    private final ConcurrentHashMap<String, Term> terms = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger termsKept = new java.util.concurrent.atomic.AtomicInteger();
    private final int maxKeptTerms;

    /** A term's posting list in each source (null where absent) and its document frequency over live documents. */
    private record Term(TermPostings[] lists, long liveDocFreq) {
    }

    /**
     * A query's terms as found in this view: its statistics, and per source the posting list of each query term
     * (in query order, null where absent).
     */
    record Found(Bm25Stats stats, TermPostings[][] bySource) {
        /** Source i's lists, one per query term. */
        TermPostings[] in(int source) {
            return bySource[source];
        }
    }

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
        this.maxKeptTerms = MAX_CACHED_LISTS / Math.max(1, sources.size());
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

    /** {@code query}'s terms: statistics over the live documents of every source, and their posting lists. */
    Found find(TextQuery query) {
        List<String> names = query.terms();
        Map<String, Long> df = new HashMap<>();
        TermPostings[][] bySource = new TermPostings[sources.size()][names.size()];
        for (int t = 0; t < names.size(); t++) {
            Term term = term(names.get(t));
            df.put(names.get(t), term.liveDocFreq());
            for (int i = 0; i < bySource.length; i++) bySource[i][t] = term.lists()[i];
        }
        return new Found(new Bm25Stats(docCount, tokens, df), bySource);
    }

    private Term term(String name) {
        Term known = terms.get(name);
        if (known != null) return known;
        TermPostings[] lists = new TermPostings[sources.size()];
        long n = 0;
        for (int i = 0; i < lists.length; i++) {
            TermPostings p = indexes.get(i).term(name);
            lists[i] = p;
            if (p != null) n += withDead[i] ? p.docFreq(sources.get(i)::isLive) : p.docFreq();
        }
        Term term = new Term(lists, n);
        if (termsKept.get() < maxKeptTerms && terms.putIfAbsent(name, term) == null) termsKept.incrementAndGet();
        return term;
    }
}
