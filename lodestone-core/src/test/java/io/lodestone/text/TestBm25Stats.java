package io.lodestone.text;

import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(Seeded.class)
class TestBm25Stats {

    @Test
    void statsOverSegmentsAndTailEqualStatsOfOneIndex(Random random) {
        List<String> docs = Corpus.docs(random, Seeded.atLeast(random, 1500), 300);
        int a = docs.size() / 3;
        int c = docs.size() - docs.size() / 10;
        InvertedIndexBuilder whole = Corpus.index(docs);
        InvertedIndexReader first = Corpus.roundTrip(Corpus.index(docs.subList(0, a)));
        InvertedIndexReader second = Corpus.roundTrip(Corpus.index(docs.subList(a, c)));
        InvertedIndexBuilder tail = Corpus.index(docs.subList(c, docs.size()));
        for (int q = 0; q < 30; q++) {
            List<String> terms = TextQuery.parse(TextAnalyzers.english(), Corpus.query(random, 400, 8)).terms();
            Bm25Stats parts = Bm25Stats.collect(List.of(first, second, tail), terms);
            Bm25Stats one = Bm25Stats.collect(whole, terms);
            assertThat(parts).isEqualTo(one);
            assertThat(Bm25Stats.collect(first, terms).plus(Bm25Stats.collect(second, terms))
                    .plus(Bm25Stats.collect(tail, terms))).isEqualTo(one);
            assertThat(parts.avgFieldLength()).isEqualTo(one.avgFieldLength());
        }
        assertThat(whole.docCount()).isEqualTo(first.docCount() + second.docCount() + tail.docCount());
    }

    @Test
    void countsOnlyDocsWithTokens() {
        InvertedIndexBuilder index = new InvertedIndexBuilder(TextAnalyzers.english());
        index.add(0, "the a an");   // stop words only: no tokens
        index.add(2, "apple apple pie");
        index.extendMaxDoc(5);
        Bm25Stats stats = Bm25Stats.collect(index, List.of("appl", "pie", "missing"));
        assertThat(stats.docCount()).isEqualTo(1);
        assertThat(stats.sumTotalTermFreq()).isEqualTo(3);
        assertThat(stats.docFreq("appl")).isEqualTo(1);
        assertThat(stats.docFreq("missing")).isZero();
        assertThat(stats.avgFieldLength()).isEqualTo(3f);
        assertThat(index.maxDoc()).isEqualTo(5);
        assertThat(index.norm(0)).isZero();
        assertThat(index.norm(1)).isZero();
        assertThat(Corpus.roundTrip(index).maxDoc()).isEqualTo(5);
    }
}
