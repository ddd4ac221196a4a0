package io.lodestone.text;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random test corpora: words drawn from a skewed vocabulary, docs of varied length (short and > 40 tokens). */
final class Corpus {

    private Corpus() {
    }

    /** A word from a vocabulary of {@code vocabulary} words, frequent ones far more likely (roughly Zipf). */
    static String word(Random random, int vocabulary) {
        double u = random.nextDouble();
        int rank = (int) Math.floor(Math.pow(vocabulary, u)) - 1;
        return "w" + Math.min(rank, vocabulary - 1);
    }

    /** {@code n} random docs; some empty, some long, with repeated words. */
    static List<String> docs(Random random, int n, int vocabulary) {
        List<String> docs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = switch (random.nextInt(10)) {
                case 0 -> 0;
                case 1, 2 -> 40 + random.nextInt(300);
                default -> 1 + random.nextInt(30);
            };
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < len; j++) sb.append(word(random, vocabulary)).append(' ');
            docs.add(sb.toString());
        }
        return docs;
    }

    /** A query of 1..maxTerms random words. */
    static String query(Random random, int vocabulary, int maxTerms) {
        int n = 1 + random.nextInt(maxTerms);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(word(random, vocabulary)).append(' ');
        return sb.toString();
    }

    /** An in-memory index of the docs, ordinals 0..n-1. */
    static InvertedIndexBuilder index(List<String> docs) {
        InvertedIndexBuilder b = new InvertedIndexBuilder(TextAnalyzers.english());
        for (int i = 0; i < docs.size(); i++) b.add(i, docs.get(i));
        return b;
    }

    /** The serialized bytes of an index. */
    static byte[] bytes(InvertedIndexBuilder index) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long n = new InvertedIndexWriter(index).write(out);
            if (n != out.size()) throw new AssertionError("write returned " + n + " for " + out.size() + " bytes");
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The index written and read back from a MemorySegment. */
    static InvertedIndexReader roundTrip(InvertedIndexBuilder index) {
        return InvertedIndexReader.open(MemorySegment.ofArray(bytes(index)), "test");
    }

    /** Top-k by exhaustive scoring. */
    static List<ScoredDoc> exhaustive(TextWeight weight, InvertedIndex index, int k) {
        TopKCollector c = new TopKCollector(k);
        weight.scorer(index).collectExhaustive(c);
        return c.results();
    }
}
