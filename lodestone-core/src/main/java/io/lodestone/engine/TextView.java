package io.lodestone.engine;

import io.lodestone.doc.FullTextOptions;
import io.lodestone.segment.Manifest;
import io.lodestone.text.Bm25Stats;
import io.lodestone.text.GatheredPostings;
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
    /**
     * Per source, its place in id order, when every source's ids ascend with its rows and no two sources' id ranges
     * overlap: then (place, row) is id order and ties need no id lookups. Null otherwise.
     */
    private final int[] idPlaces;
    private final ConcurrentHashMap<String, Term> terms = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger termsKept = new java.util.concurrent.atomic.AtomicInteger();
    private final int maxKeptTerms;

    /**
     * Lists of one term gathered into one ({@link GatheredPostings}) when it is in several sources and has at most
     * this many postings in all: a term split over segments then costs a query what it would after a merge.
     */
    static final int MAX_GATHERED_POSTINGS = 8_192;
    /** Bytes of gathered lists kept per version at most (past it, terms are walked list by list). */
    static final long MAX_GATHERED_BYTES = 32L << 20;

    private final int[] bases;
    private final java.util.concurrent.atomic.AtomicLong gatheredBytes = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A term's posting list in each source (null where absent), its document frequency over live documents, and
     * its lists gathered into one over the doc space of {@link #bases()} (null when not gathered).
     */
    private record Term(TermPostings[] lists, long liveDocFreq, GatheredPostings gathered) {
    }

    /**
     * A query's terms as found in this view: its statistics, per source the posting list of each query term
     * (in query order, null where absent), and per term its gathered list (null where not gathered).
     */
    record Found(Bm25Stats stats, TermPostings[][] bySource, TermPostings[] gathered) {
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
                if (withDead[i] && !s.complete()) s.prefetch(dead.stream().toArray(), dead.cardinality(), false);
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
        this.bases = new int[sources.size() + 1];
        for (int i = 0; i < sources.size(); i++) bases[i + 1] = Math.addExact(bases[i], indexes.get(i).maxDoc());
        this.idPlaces = idPlaces(sources);
        this.maxKeptTerms = MAX_CACHED_LISTS / Math.max(1, sources.size());
    }

    /**
     * See {@link #idPlaces}. When there are none, the ids of segments read by ranges, which ties will then read, start
     * arriving now, beside the reads of the text indexes, instead of one round trip per tie.
     */
    private static int[] idPlaces(List<DocSource> sources) {
        int n = sources.size();
        IdRange[] ranges = new IdRange[n];
        boolean ordered = true;
        for (int i = 0; i < n; i++) {
            ranges[i] = switch (sources.get(i)) {
                case SegmentSource s -> s.segment.derived("ids:range", () -> IdRange.of(s.segment));
                default -> IdRange.of(sources.get(i));
            };
            ordered &= ranges[i].ordered();
        }
        Integer[] byFirst = new Integer[n];
        for (int i = 0; i < n; i++) byFirst[i] = i;
        java.util.Arrays.sort(byFirst, (a, b) -> ranges[a].first() == null || ranges[b].first() == null
                ? Boolean.compare(ranges[a].first() != null, ranges[b].first() != null)
                : ranges[a].first().compareTo(ranges[b].first()));
        io.lodestone.doc.DocId last = null;
        int[] places = new int[n];
        for (int p = 0; p < n && ordered; p++) {
            IdRange r = ranges[byFirst[p]];
            places[byFirst[p]] = p;
            if (r.first() == null) continue;
            ordered = last == null || last.compareTo(r.first()) < 0;
            last = r.last();
        }
        if (ordered) return places;
        for (DocSource src : sources) {
            if (src instanceof SegmentSource s && !s.complete()) {
                Thread.ofVirtual().name("ids-prefetch").start(() -> s.segment.derived("ids:all", () -> {
                    s.segment.prefetchAllIds();
                    return Boolean.TRUE;
                }));
            }
        }
        return null;
    }

    /** Whether a source's ids ascend with its rows, and then its first and last id (null without rows). */
    private record IdRange(boolean ordered, io.lodestone.doc.DocId first, io.lodestone.doc.DocId last) {
        /** A segment's, as its docs file knows it (see {@link #idPlaces} for what ties then read). */
        static IdRange of(io.lodestone.segment.Segment segment) {
            io.lodestone.segment.SegmentIds.Range r = segment.ascendingIds();
            if (r != null) return new IdRange(true, r.first(), r.last());
            return segment.rowCount() == 0 ? new IdRange(true, null, null) : new IdRange(false, null, null);
        }

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
        if (idPlaces == null) return false;
        for (int i = 0; i < idPlaces.length; i++) if (idPlaces[i] != i) return false;
        return true;
    }

    /** Whether ties can be broken by (the source's place in id order, row): see {@link #idPlaces}. */
    boolean idsByPlace() {
        return idPlaces != null;
    }

    /** Source {@code i}'s place in id order (see {@link #idPlaces}), or -1 when ties must read ids. */
    int idPlace(int i) {
        return idPlaces == null ? -1 : idPlaces[i];
    }

    /** Hits in score order, ties by id: by position when the sources' id ranges allow (no id is read), else by id. */
    java.util.Comparator<Hit> byScoreThenId() {
        if (idPlaces == null) return Hit.BY_SCORE_THEN_ID;
        java.util.Map<DocSource, Integer> place = new java.util.IdentityHashMap<>();
        for (int i = 0; i < sources.size(); i++) place.put(sources.get(i), idPlaces[i]);
        return java.util.Comparator.comparingDouble(Hit::score)
                .thenComparingInt(h -> place.getOrDefault(h.source(), Integer.MAX_VALUE))
                .thenComparingInt(Hit::row);
    }

    /** The view of {@code snap}'s sources, their indexes given by {@code indexOf}. */
    static TextView of(NamespaceState.Snapshot snap, List<DocSource> sources, String attribute, FullTextOptions options,
                       java.util.function.Function<DocSource, InvertedIndex> indexOf) {
        boolean remote = false; // segments read by ranges open their text indexes at once (one round trip, not one each)
        for (DocSource src : sources) remote |= !src.complete();
        List<InvertedIndex> indexes;
        try {
            indexes = io.lodestone.cache.ParallelReads.map(sources, remote, indexOf::apply);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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

    /**
     * Where each source's docs start in the one doc space that all sources are searched as: source i's row r is doc
     * {@code bases[i] + r}; the last entry is the total.
     */
    int[] bases() {
        return bases.clone();
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
        TermPostings[] gathered = new TermPostings[names.size()];
        prefetchNewTerms(names);
        for (int t = 0; t < names.size(); t++) {
            Term term = term(names.get(t));
            df.put(names.get(t), term.liveDocFreq());
            gathered[t] = term.gathered();
            for (int i = 0; i < bySource.length; i++) bySource[i][t] = term.lists()[i];
        }
        return new Found(new Bm25Stats(docCount, tokens, df), bySource, gathered);
    }

    /**
     * Fetches the lists of terms this view has not looked up yet from every index read by ranges, all at once (else
     * each term of each segment would cost a round trip of its own).
     */
    private void prefetchNewTerms(List<String> names) {
        List<InvertedIndex> remote = indexes.stream().filter(InvertedIndex::fetchesPostings).toList();
        if (remote.isEmpty()) return;
        List<String> unknown = names.stream().filter(n -> !terms.containsKey(n)).toList();
        if (unknown.isEmpty()) return;
        io.lodestone.cache.ParallelReads.run(remote.stream().<Runnable>map(index -> () -> index.prefetch(unknown)).toList(), true);
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
        boolean keep = termsKept.get() < maxKeptTerms;
        Term term = new Term(lists, n, keep ? gather(lists) : null);
        if (!keep) return term;
        Term raced = terms.putIfAbsent(name, term);
        if (raced == null) {
            termsKept.incrementAndGet();
            return term;
        }
        if (term.gathered() != null) gatheredBytes.addAndGet(-budgetBytes(term.gathered().docFreq()));
        return raced;
    }

    /** What a gathered list of {@code postings} may take: docs, frequencies, and at most a block entry per posting. */
    private static long budgetBytes(long postings) {
        return 16 * postings;
    }

    /** The term's lists gathered into one, when it is in several sources, short enough, and the budget allows. */
    private GatheredPostings gather(TermPostings[] lists) {
        int parts = 0;
        long postings = 0;
        for (TermPostings p : lists) {
            if (p == null) continue;
            parts++;
            postings += p.docFreq();
        }
        if (parts < 2 || postings > MAX_GATHERED_POSTINGS) return null;
        long bytes = budgetBytes(postings);
        if (gatheredBytes.addAndGet(bytes) > MAX_GATHERED_BYTES) {
            gatheredBytes.addAndGet(-bytes);
            return null;
        }
        TermPostings[] present = new TermPostings[parts];
        int[] presentBases = new int[parts];
        for (int i = 0, j = 0; i < lists.length; i++) {
            if (lists[i] == null) continue;
            present[j] = lists[i];
            presentBases[j++] = bases[i];
        }
        return GatheredPostings.of(present, presentBases);
    }
}
