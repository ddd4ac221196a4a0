package io.lodestone.engine;

import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.text.ScoredDoc;
import io.lodestone.text.TextAnalyzers;
import io.lodestone.text.TextQuery;
import io.lodestone.text.TextScorer;
import io.lodestone.text.TextWeight;
import io.lodestone.text.TopKCollector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BM25 ranking over every source. Statistics (document count, average length, document frequencies)
 * are taken over the live documents of all segments and the tail together, so a document scores the
 * same wherever it lives and results do not change when indexing moves it; they come from the
 * {@link TextView} of the state version, shared by its queries. A single BM25 clause runs block-max
 * MaxScore over all sources as one doc space, with liveness and the filter checked before a hit is
 * collected; Sum, Max and Product score every matching document of each clause and combine.
 */
final class TextRanker {
    private final QueryExecutor exec;
    private final TextIndexes indexes;

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
        TextView view = indexes.view(exec.snapshot(), exec.sources(), t.attribute(), options);
        TextView.Found found = view.find(query);
        TextWeight weight = query.weight(found.stats(), (float) options.k1(), (float) options.b());
        List<Hit> hits = exhaustive ? everyMatch(view, found, weight) : best(view, found, weight, k);
        hits.sort(view.byScoreThenId());
        return hits;
    }

    /**
     * The best {@code k} over all sources as one doc space (source i's rows are docs from {@code base[i]}): one
     * MaxScore pass with one partition, bound and threshold for the whole query, so that its cost does not grow with
     * the number of segments the indexer has not merged yet.
     */
    private List<Hit> best(TextView view, TextView.Found found, TextWeight weight, int k) {
        List<DocSource> sources = view.sources();
        int n = sources.size();
        int[] base = view.bases();
        // Ties by id, as the merge across sources: by doc when that is the same order, by (the source's place in id
        // order, row) when the sources' id ranges do not overlap (no id lookups either way), else by reading ids.
        java.util.function.IntBinaryOperator byId = view.rowOrderIsIdOrder() ? null
                : view.idsByPlace() ? (x, y) -> {
                    int sx = sourceOf(base, x), sy = sourceOf(base, y);
                    return sx == sy ? Integer.compare(x, y) : Integer.compare(view.idPlace(sx), view.idPlace(sy));
                }
                : (x, y) -> idOf(sources, base, x).compareTo(idOf(sources, base, y));
        int[] at = {0}; // docs are offered in ascending order: the source of the last one, then forward
        TopKCollector collector = new TopKCollector(k, doc -> {
            int i = doc >= base[at[0]] ? at[0] : sourceOf(base, doc);
            while (doc >= base[i + 1]) i++;
            at[0] = i;
            DocSource src = sources.get(i);
            return src.isLive(doc - base[i]) && exec.matches(src, doc - base[i]);
        }, byId);
        weight.scorer(found.bySource(), java.util.Arrays.copyOf(base, n), base[n], found.gathered()).collect(collector);
        List<Hit> hits = new ArrayList<>(collector.size());
        for (ScoredDoc d : collector.results()) {
            int i = sourceOf(base, d.doc());
            hits.add(new Hit(sources.get(i), d.doc() - base[i], -d.score()));
        }
        return hits;
    }

    /** Every matching document of every source with its score. */
    private List<Hit> everyMatch(TextView view, TextView.Found found, TextWeight weight) {
        List<DocSource> sources = view.sources();
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            exec.checkCancelled();
            DocSource src = sources.get(i);
            TopKCollector collector = new TopKCollector(Math.max(1, src.rowCount()), doc -> src.isLive(doc) && exec.matches(src, doc));
            weight.scorer(view.index(i), found.in(i)).collectExhaustive(collector);
            for (ScoredDoc d : collector.results()) hits.add(new Hit(src, d.doc(), -d.score()));
        }
        return hits;
    }

    /** The source whose collector docs include {@code doc}: the last i with base[i] <= doc. */
    private static int sourceOf(int[] base, int doc) {
        int i = java.util.Arrays.binarySearch(base, 0, base.length - 1, doc);
        if (i < 0) return -i - 2;
        while (i + 1 < base.length - 1 && base[i + 1] == doc) i++; // empty sources share a base
        return i;
    }

    private static io.lodestone.doc.DocId idOf(List<DocSource> sources, int[] base, int doc) {
        int i = sourceOf(base, doc);
        return sources.get(i).id(doc - base[i]);
    }
}
