package io.lodestone.text;

import io.lodestone.testing.Seeded;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@ExtendWith(Seeded.class)
class TestBm25Scoring {

    /** Every doc's score recomputed from the analyzed tokens, without the index. */
    static double[] reference(List<String> docs, List<String> terms, float k1, float b, boolean luceneFloat) {
        TextAnalyzer analyzer = TextAnalyzers.english();
        List<List<String>> tokens = docs.stream().map(analyzer::tokens).toList();
        long n = tokens.stream().filter(t -> !t.isEmpty()).count();
        long total = tokens.stream().mapToLong(List::size).sum();
        double[] scores = new double[docs.size()];
        for (String term : terms) {
            long df = tokens.stream().filter(t -> t.contains(term)).count();
            if (df == 0) continue;
            float avgdl = (float) (total / (double) n);
            for (int d = 0; d < docs.size(); d++) {
                int freq = (int) tokens.get(d).stream().filter(term::equals).count();
                if (freq == 0) continue;
                int dl = LengthNorm.decode(LengthNorm.encode(tokens.get(d).size()));
                if (luceneFloat) {
                    float idf = (float) Math.log(1 + (n - df + 0.5D) / (df + 0.5D));
                    float inv = 1f / (k1 * ((1 - b) + b * dl / avgdl));
                    scores[d] += idf - idf / (1f + freq * inv);
                } else {
                    double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
                    scores[d] += idf * freq / (freq + k1 * (1 - b + b * dl / (double) avgdl));
                }
            }
        }
        return scores;
    }

    @Test
    void scoresEqualReferenceImplementation(Random random) {
        List<String> docs = Corpus.docs(random, Seeded.atLeast(random, 300), 200);
        InvertedIndexBuilder builder = Corpus.index(docs);
        InvertedIndexReader reader = Corpus.roundTrip(builder);
        float k1 = 0.5f + random.nextFloat() * 1.5f;
        float b = random.nextFloat();
        for (int q = 0; q < 20; q++) {
            TextQuery query = TextQuery.parse(TextAnalyzers.english(), Corpus.query(random, 250, 6));
            double[] exact = reference(docs, query.terms(), k1, b, true);
            double[] textbook = reference(docs, query.terms(), k1, b, false);
            for (InvertedIndex index : List.of(builder, reader)) {
                TextWeight weight = query.weight(List.of(index), k1, b);
                Map<Integer, Float> got = new HashMap<>();
                for (ScoredDoc d : Corpus.exhaustive(weight, index, docs.size())) got.put(d.doc(), d.score());
                for (int d = 0; d < docs.size(); d++) {
                    if (exact[d] == 0) {
                        assertThat(got).doesNotContainKey(d);
                        continue;
                    }
                    assertThat(got.get(d)).as("doc %d", d).isEqualTo((float) exact[d]);
                    assertThat((double) got.get(d)).isCloseTo(textbook[d], within(1e-4 * Math.max(1, textbook[d])));
                    assertThat(weight.explain(index, d).value()).isEqualTo(got.get(d));
                }
            }
        }
    }

    @Test
    void topTenEqualsLucenesScoresAndOrder(Random random) throws IOException {
        List<String> docs = Corpus.docs(random, Seeded.atLeast(random, 2000), 500);
        InvertedIndexReader ours = Corpus.roundTrip(Corpus.index(docs));
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
            BM25Similarity sim = new BM25Similarity(1.2f, 0.75f);
            try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new EnglishAnalyzer()).setSimilarity(sim))) {
                for (String text : docs) {
                    Document d = new Document();
                    d.add(new TextField("text", text, Field.Store.NO));
                    w.addDocument(d);
                }
                w.forceMerge(1);
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                searcher.setSimilarity(sim);
                for (int q = 0; q < 50; q++) {
                    TextQuery query = TextQuery.parse(TextAnalyzers.english(), Corpus.query(random, 600, 8));
                    BooleanQuery.Builder bq = new BooleanQuery.Builder();
                    for (String t : query.terms()) bq.add(new TermQuery(new Term("text", t)), BooleanClause.Occur.SHOULD);
                    List<ScoredDoc> expected = new ArrayList<>();
                    for (ScoreDoc sd : searcher.search(bq.build(), 10).scoreDocs) expected.add(new ScoredDoc(sd.doc, sd.score));
                    assertThat(query.weight(List.of(ours), 1.2f, 0.75f).topK(ours, 10)).as(query.terms().toString())
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void explainBreaksTheScoreDown() {
        InvertedIndexBuilder index = Corpus.index(List.of("apple banana apple", "banana cherry", "cherry"));
        TextWeight weight = new TextQuery(List.of("appl", "banana")).weight(List.of(index), 1.2f, 0.75f);
        Explanation e = weight.explain(index, 0);
        assertThat(e.details()).hasSize(2);
        assertThat(e.value()).isEqualTo(weight.topK(index, 1).getFirst().score());
        Explanation apple = e.details().getFirst();
        assertThat(apple.description()).startsWith("score(term=appl, freq=2)");
        assertThat(apple.details().get(0).value()).isEqualTo(Bm25Scorer.idf(1, 3));
        assertThat(apple.toString()).contains("dl, length of field", "avgdl, average length of field", "k1, term saturation");
        assertThat(weight.explain(index, 2).details()).isEmpty();
    }

    @Test
    void noKPlusOneFactorAndLuceneIdf() {
        Bm25Stats stats = new Bm25Stats(10, 100, Map.of("t", 3L));
        Bm25Scorer s = new Bm25Scorer("t", 1.2f, 0.75f, stats);
        assertThat(s.idf()).isEqualTo((float) Math.log(1 + (10 - 3 + 0.5) / (3 + 0.5)));
        // dl == avgdl: tf part = freq / (freq + k1)
        assertThat((double) s.score(1, LengthNorm.encode(10))).isCloseTo(s.idf() / 2.2, within(1e-6));
        assertThat(s.score(1000, 1)).isLessThan(s.idf());
    }
}
