package io.lodestone.text;

import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(Seeded.class)
class TestMaxScore {

    @Test
    void topKEqualsExhaustiveTopK(Random random) {
        for (int round = 0; round < 3; round++) {
            int vocabulary = 20 + random.nextInt(2000);
            List<String> docs = Corpus.docs(random, Seeded.atLeast(random, 3000), vocabulary);
            InvertedIndexBuilder builder = Corpus.index(docs);
            InvertedIndexReader reader = Corpus.roundTrip(builder);
            for (int q = 0; q < 40; q++) {
                TextQuery query = TextQuery.parse(TextAnalyzers.english(), Corpus.query(random, vocabulary * 2, 10));
                int k = 1 + random.nextInt(random.nextBoolean() ? 10 : 200);
                for (InvertedIndex index : List.of(builder, reader)) {
                    TextWeight weight = query.weight(List.of(index), 1.2f, 0.75f);
                    assertThat(weight.topK(index, k)).as("%s k=%d", query.terms(), k)
                            .isEqualTo(Corpus.exhaustive(weight, index, k));
                }
            }
        }
    }

    @Test
    void tiesGoToTheLowerOrdinal() {
        InvertedIndexBuilder index = Corpus.index(List.of("x y", "a b", "a b", "a b", "a c", "a b"));
        List<ScoredDoc> top = new TextQuery(List.of("a", "b")).weight(List.of(index), 1.2f, 0.75f).topK(index, 3);
        assertThat(top).extracting(ScoredDoc::doc).containsExactly(1, 2, 3);
        assertThat(top.get(0).score()).isEqualTo(top.get(2).score());
    }

    @Test
    void collectorSpansSegmentsWithDocBases(Random random) {
        List<String> docs = Corpus.docs(random, 3000, 300);
        InvertedIndexBuilder whole = Corpus.index(docs);
        InvertedIndexBuilder first = Corpus.index(docs.subList(0, 1000));
        InvertedIndexReader second = Corpus.roundTrip(Corpus.index(docs.subList(1000, 2500)));
        InvertedIndexBuilder tail = Corpus.index(docs.subList(2500, 3000));
        for (int q = 0; q < 20; q++) {
            TextQuery query = TextQuery.parse(TextAnalyzers.english(), Corpus.query(random, 400, 6));
            TextWeight weight = query.weight(List.of(first, second, tail), 1.2f, 0.75f);
            TopKCollector collector = new TopKCollector(10);
            weight.scorer(first).collect(collector);
            collector.setDocBase(1000);
            weight.scorer(second).collect(collector);
            collector.setDocBase(2500);
            weight.scorer(tail).collectExhaustive(collector);
            assertThat(collector.results()).isEqualTo(query.weight(List.of(whole), 1.2f, 0.75f).topK(whole, 10));
        }
    }

    @Test
    void indexesSearchedAsOneDocSpaceEqualOneIndex(Random random) {
        // Parts of very different sizes (multi-block lists, single postings, an empty index, a builder tail), so
        // that a term's concatenated list skips blocks and whole parts, and MaxScore bounds span part boundaries.
        for (int round = 0; round < 3; round++) {
            int vocabulary = 20 + random.nextInt(600);
            List<String> docs = Corpus.docs(random, Seeded.atLeast(random, 4000), vocabulary);
            int[] cuts = {0, docs.size() / 2, docs.size() / 2, docs.size() / 2 + 7, docs.size() * 9 / 10, docs.size()};
            java.util.List<InvertedIndex> parts = new java.util.ArrayList<>();
            for (int i = 0; i + 1 < cuts.length; i++) {
                InvertedIndexBuilder part = Corpus.index(docs.subList(cuts[i], cuts[i + 1]));
                parts.add(i + 2 < cuts.length ? Corpus.roundTrip(part) : part);
            }
            InvertedIndexBuilder whole = Corpus.index(docs);
            for (int q = 0; q < 30; q++) {
                TextQuery query = TextQuery.parse(TextAnalyzers.english(), Corpus.query(random, vocabulary * 2, 8));
                int k = 1 + random.nextInt(random.nextBoolean() ? 10 : 200);
                TextWeight weight = query.weight(parts, 1.2f, 0.75f);
                TermPostings[][] bySource = new TermPostings[parts.size()][query.terms().size()];
                for (int i = 0; i < parts.size(); i++) {
                    for (int t = 0; t < query.terms().size(); t++) bySource[i][t] = parts.get(i).term(query.terms().get(t));
                }
                int[] bases = java.util.Arrays.copyOf(cuts, parts.size());
                List<ScoredDoc> expected = Corpus.exhaustive(query.weight(List.of(whole), 1.2f, 0.75f), whole, k);
                TopKCollector collector = new TopKCollector(k);
                weight.scorer(bySource, bases, docs.size()).collect(collector);
                assertThat(collector.results()).as("%s k=%d", query.terms(), k).isEqualTo(expected);
                // the same with each term's lists gathered into one decoded list (as a state version keeps them)
                TermPostings[] gathered = new TermPostings[query.terms().size()];
                for (int t = 0; t < gathered.length; t++) gathered[t] = gather(bySource, bases, t);
                TopKCollector fromGathered = new TopKCollector(k);
                weight.scorer(bySource, bases, docs.size(), gathered).collect(fromGathered);
                assertThat(fromGathered.results()).as("gathered %s k=%d", query.terms(), k).isEqualTo(expected);
            }
        }
    }

    /** Term t's lists in every part gathered into one (null when no part has it). */
    private static TermPostings gather(TermPostings[][] bySource, int[] bases, int t) {
        List<TermPostings> lists = new java.util.ArrayList<>();
        List<Integer> at = new java.util.ArrayList<>();
        for (int i = 0; i < bySource.length; i++) {
            if (bySource[i][t] == null) continue;
            lists.add(bySource[i][t]);
            at.add(bases[i]);
        }
        if (lists.isEmpty()) return null;
        return GatheredPostings.of(lists.toArray(TermPostings[]::new), at.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void keptPostingListsServeQueriesThatScoreDifferently(Random random) {
        // A state version keeps each term's lists for all its queries, and a list remembers its bound for the scorer
        // it last served: a query that scores differently (other k1, b or statistics) must get its own bound.
        // More docs than one MaxScore window, so that later windows prune with the bounds.
        List<String> docs = Corpus.docs(random, 3 * MaxScoreSearcher.WINDOW, 300);
        List<InvertedIndex> parts = List.of(Corpus.roundTrip(Corpus.index(docs.subList(0, 1700))),
                Corpus.roundTrip(Corpus.index(docs.subList(1700, docs.size()))));
        InvertedIndexBuilder whole = Corpus.index(docs);
        float[][] parameters = {{3f, 1f}, {0.3f, 0f}, {1.2f, 0.75f}, {3f, 1f}}; // low bounds first, then higher
        for (int q = 0; q < 10; q++) {
            TextQuery query = TextQuery.parse(TextAnalyzers.english(), Corpus.query(random, 400, 8));
            TermPostings[][] kept = new TermPostings[parts.size()][query.terms().size()];
            for (int i = 0; i < parts.size(); i++) {
                for (int t = 0; t < query.terms().size(); t++) kept[i][t] = parts.get(i).term(query.terms().get(t));
            }
            int[] bases = {0, 1700};
            TermPostings[] gathered = new TermPostings[query.terms().size()];
            for (int t = 0; t < gathered.length; t++) gathered[t] = gather(kept, bases, t);
            for (float[] kb : parameters) {
                List<ScoredDoc> expected = Corpus.exhaustive(query.weight(List.of(whole), kb[0], kb[1]), whole, 10);
                for (TermPostings[] lists : java.util.Arrays.asList(null, gathered)) {
                    TopKCollector collector = new TopKCollector(10);
                    query.weight(parts, kb[0], kb[1]).scorer(kept, bases, docs.size(), lists).collect(collector);
                    assertThat(collector.results()).as("%s k1=%s b=%s gathered=%s", query.terms(), kb[0], kb[1], lists != null)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void aTieWithAThresholdReachedInAnotherSegmentIsKept(Random random) {
        // Short docs over a small vocabulary: many docs tie. A hit from a later segment (higher collector doc)
        // sets the threshold at a doc's exact float score; that doc ties and, with a lower doc, must still enter,
        // even where its score summed in double is just below the float it rounds to.
        List<String> docs = Corpus.docs(random, 2000, 12);
        InvertedIndexReader index = Corpus.roundTrip(Corpus.index(docs));
        for (int q = 0; q < 30; q++) {
            TextQuery query = TextQuery.parse(TextAnalyzers.english(), Corpus.query(random, 12, 4));
            TextWeight weight = query.weight(List.of(index), 1.2f, 0.75f);
            for (ScoredDoc hit : Corpus.exhaustive(weight, index, 200)) {
                TopKCollector pruned = seeded(hit.score(), index.maxDoc());
                weight.scorer(index).collect(pruned);
                TopKCollector every = seeded(hit.score(), index.maxDoc());
                weight.scorer(index).collectExhaustive(every);
                assertThat(pruned.results()).as("%s, threshold %s", query.terms(), hit.score()).isEqualTo(every.results());
            }
        }
    }

    /** A top-1 collector already holding a doc after every ordinal of the index, with {@code score}. */
    private static TopKCollector seeded(float score, int after) {
        TopKCollector c = new TopKCollector(1);
        c.setDocBase(after);
        c.collect(0, score);
        c.setDocBase(0);
        return c;
    }

    @Test
    void queriesWithoutMatchesFindNothing() {
        InvertedIndexBuilder index = Corpus.index(List.of("alpha beta", "gamma"));
        assertThat(new TextQuery(List.of()).weight(List.of(index), 1.2f, 0.75f).topK(index, 10)).isEmpty();
        assertThat(new TextQuery(List.of("delta")).weight(List.of(index), 1.2f, 0.75f).topK(index, 10)).isEmpty();
        InvertedIndexBuilder empty = Corpus.index(List.of());
        assertThat(new TextQuery(List.of("alpha")).weight(List.of(empty), 1.2f, 0.75f).topK(Corpus.roundTrip(empty), 10)).isEmpty();
    }
}
