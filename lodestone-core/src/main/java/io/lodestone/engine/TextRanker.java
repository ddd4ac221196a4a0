package io.lodestone.engine;

import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.text.Bm25Stats;
import io.lodestone.text.InvertedIndex;
import io.lodestone.text.ScoredDoc;
import io.lodestone.text.TextAnalyzers;
import io.lodestone.text.TextQuery;
import io.lodestone.text.TextWeight;
import io.lodestone.text.TopKCollector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BM25 ranking over every source. Statistics (document count, average length, document frequencies)
 * are taken over the live documents of all segments and the tail together, so a document scores the
 * same wherever it lives and results do not change when indexing moves it. A single BM25 clause runs
 * block-max MaxScore per source with liveness and the filter checked before a hit is collected; Sum,
 * Max and Product score every matching document of each clause and combine.
 */
final class TextRanker {
    private final QueryExecutor exec;
    private final TextIndexes indexes;
    private final Map<String, InvertedIndex> tailIndexes = new HashMap<>();

    TextRanker(QueryExecutor exec) {
        this.exec = exec;
        this.indexes = exec.textIndexes();
    }

    /** The best {@code k} hits; scores are negated (higher text score = lower hit score). */
    List<Hit> rank(Query.RankBy rankBy, int k) {
        if (rankBy instanceof Query.RankBy.Text t) return leaf(t, k, false);
        Map<Long, Float> scores = combined(rankBy);
        List<DocSource> sources = exec.sources();
        List<Hit> hits = new ArrayList<>(scores.size());
        scores.forEach((key, score) -> hits.add(new Hit(sources.get((int) (key >>> 32)), (int) (long) key, -score)));
        hits.sort(Hit.BY_SCORE_THEN_ID);
        return hits.size() > k ? hits.subList(0, k) : hits;
    }

    /** Every matching document's score under an expression, keyed by (source index, row). */
    private Map<Long, Float> combined(Query.RankBy expr) {
        return switch (expr) {
            case Query.RankBy.Text t -> {
                Map<Long, Float> m = new HashMap<>();
                List<DocSource> sources = exec.sources();
                for (Hit h : leaf(t, Integer.MAX_VALUE, true)) m.put(key(sources.indexOf(h.source()), h.row()), -h.score());
                yield m;
            }
            case Query.RankBy.Sum s -> {
                Map<Long, Float> m = new HashMap<>();
                for (Query.RankBy part : s.parts()) combined(part).forEach((key, v) -> m.merge(key, v, Float::sum));
                yield m;
            }
            case Query.RankBy.Max x -> {
                Map<Long, Float> m = new HashMap<>();
                for (Query.RankBy part : x.parts()) combined(part).forEach((key, v) -> m.merge(key, v, Math::max));
                yield m;
            }
            case Query.RankBy.Product p -> {
                Map<Long, Float> m = combined(p.part());
                m.replaceAll((key, v) -> (float) (v * p.weight()));
                yield m;
            }
            default -> throw new InvalidInputException("Sum, Max and Product combine BM25 clauses only; got " + expr);
        };
    }

    private static long key(int source, int row) {
        return ((long) source << 32) | (row & 0xFFFFFFFFL);
    }

    /** One BM25 clause: top {@code k} (all matches when {@code exhaustive}), negated scores, best first. */
    List<Hit> leaf(Query.RankBy.Text t, int k, boolean exhaustive) {
        AttributeSchema schema = exec.snapshot().view().schema().get(t.attribute());
        FullTextOptions options = schema == null ? null : schema.fullTextSearch();
        if (options == null) {
            throw new InvalidInputException("attribute '" + t.attribute() + "' is not full-text indexed; declare it with "
                    + "\"full_text_search\": true in the schema to rank by BM25");
        }
        TextQuery query = TextQuery.parse(TextAnalyzers.forOptions(options), t.query());
        if (query.terms().isEmpty()) return List.of();
        List<DocSource> sources = exec.sources();
        List<InvertedIndex> perSource = new ArrayList<>(sources.size());
        for (DocSource src : sources) perSource.add(index(src, t.attribute(), options));
        TextWeight weight = query.weight(stats(sources, perSource, query, t.attribute(), options),
                (float) options.k1(), (float) options.b());
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            exec.checkCancelled();
            DocSource src = sources.get(i);
            int cap = exhaustive ? Math.max(1, src.rowCount()) : k;
            TopKCollector collector = new TopKCollector(cap, doc -> src.isLive(doc) && exec.matches(src, doc),
                    (x, y) -> src.id(x).compareTo(src.id(y))); // ties by id, as the merge across sources
            if (exhaustive) weight.scorer(perSource.get(i)).collectExhaustive(collector);
            else weight.scorer(perSource.get(i)).collect(collector);
            for (ScoredDoc d : collector.results()) hits.add(new Hit(src, d.doc(), -d.score()));
        }
        hits.sort(Hit.BY_SCORE_THEN_ID);
        return !exhaustive && hits.size() > k ? hits.subList(0, k) : hits;
    }

    private InvertedIndex index(DocSource src, String attribute, FullTextOptions options) {
        return switch (src) {
            case SegmentSource s -> indexes.forSegment(s.segment, attribute, options);
            case TailSource tail -> tailIndexes.computeIfAbsent(attribute,
                    a -> TextIndexes.forTail(tail.table(), attribute, options));
            default -> throw new IllegalStateException("unknown source " + src);
        };
    }

    /** Statistics over live documents only: deleted and replaced segment rows are subtracted. */
    private static Bm25Stats stats(List<DocSource> sources, List<InvertedIndex> indexes, TextQuery query,
                                   String attribute, FullTextOptions options) {
        long docCount = 0, tokens = 0;
        Map<String, Long> df = new HashMap<>();
        for (String term : query.terms()) df.put(term, 0L);
        for (int i = 0; i < sources.size(); i++) {
            DocSource src = sources.get(i);
            InvertedIndex index = indexes.get(i);
            docCount += index.docCount();
            tokens += index.sumTotalTermFreq();
            java.util.BitSet dead = src instanceof SegmentSource s ? s.deadRows() : null;
            if (dead != null && !dead.isEmpty()) {
                SegmentSource s = (SegmentSource) src;
                for (int r = dead.nextSetBit(0); r >= 0; r = dead.nextSetBit(r + 1)) {
                    int len = TextIndexes.fieldLength(s.segment, r, attribute, options);
                    if (len > 0) {
                        docCount--;
                        tokens -= len;
                    }
                }
                for (String term : query.terms()) df.merge(term, (long) index.docFreq(term, s::isLive), Long::sum);
            } else {
                for (String term : query.terms()) df.merge(term, (long) index.docFreq(term), Long::sum);
            }
        }
        return new Bm25Stats(docCount, tokens, df);
    }
}
