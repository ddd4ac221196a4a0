package io.lodestone.text;

import io.lodestone.codec.CorruptObjectException;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(Seeded.class)
class TestInvertedIndexFormat {

    static List<int[]> postings(InvertedIndex index, String term) {
        PostingsCursor c = index.postings(term);
        List<int[]> out = new ArrayList<>();
        if (c == null) return out;
        for (int d = c.nextDoc(); d != PostingsCursor.NO_MORE_DOCS; d = c.nextDoc()) out.add(new int[] {d, c.freq()});
        return out;
    }

    @Test
    void writeThenReadGivesTheSameIndex(Random random) {
        List<String> docs = Corpus.docs(random, Seeded.atLeast(random, 2000), 800);
        InvertedIndexBuilder builder = new InvertedIndexBuilder(TextAnalyzers.english());
        int ordinal = 0;
        for (String d : docs) {
            builder.add(ordinal, d);
            ordinal += 1 + (random.nextInt(5) == 0 ? random.nextInt(3) : 0); // gaps: docs without the attribute
        }
        builder.extendMaxDoc(ordinal + 3);
        InvertedIndexReader reader = Corpus.roundTrip(builder);
        reader.checkIntegrity();
        assertThat(reader.maxDoc()).isEqualTo(builder.maxDoc());
        assertThat(reader.docCount()).isEqualTo(builder.docCount());
        assertThat(reader.sumTotalTermFreq()).isEqualTo(builder.sumTotalTermFreq());
        assertThat(reader.termCount()).isEqualTo(builder.termCount());
        for (int d = 0; d < builder.maxDoc(); d++) assertThat(reader.norm(d)).isEqualTo(builder.norm(d));
        for (int id = 0; id < builder.termCount(); id++) {
            String term = new String(builder.termChars(id));
            assertThat(reader.docFreq(term)).isEqualTo(builder.docFreq(term));
            assertThat(postings(reader, term)).as(term).containsExactlyElementsOf(postings(builder, term));
        }
        assertThat(reader.docFreq("absent")).isZero();
        assertThat(reader.docFreq("")).isZero();
        assertThat(reader.docFreq("zzzzzz")).isZero();
        // advance() over blocks gives the same docs on both
        for (int id = 0; id < Math.min(50, builder.termCount()); id++) {
            String term = new String(builder.termChars(id));
            PostingsCursor a = builder.postings(term);
            PostingsCursor b = reader.postings(term);
            for (int target = random.nextInt(50); target < builder.maxDoc(); target += 1 + random.nextInt(300)) {
                assertThat(b.advance(target)).isEqualTo(a.advance(target));
                if (a.doc() != PostingsCursor.NO_MORE_DOCS) assertThat(b.freq()).isEqualTo(a.freq());
            }
        }
        for (int q = 0; q < 30; q++) {
            TextQuery query = TextQuery.parse(TextAnalyzers.english(), Corpus.query(random, 1000, 8));
            assertThat(query.weight(List.of(reader), 1.2f, 0.75f).topK(reader, 20))
                    .isEqualTo(query.weight(List.of(builder), 1.2f, 0.75f).topK(builder, 20));
        }
    }

    @Test
    void lookupsRepeatedInAnyOrderGiveTheDictionaryEntries(Random random) {
        // More terms than the recent-terms cache has slots, so that terms collide in slots and replace each other.
        List<String> docs = Corpus.docs(random, 6000, 3 * InvertedIndexReader.RECENT_TERMS);
        InvertedIndexBuilder builder = Corpus.index(docs);
        InvertedIndexReader reader = Corpus.roundTrip(builder);
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < 4 * InvertedIndexReader.RECENT_TERMS; i++) terms.add(Corpus.word(random, 4 * InvertedIndexReader.RECENT_TERMS));
        for (int pass = 0; pass < 3; pass++) {
            java.util.Collections.shuffle(terms, random);
            for (String raw : terms) {
                for (String t : TextAnalyzers.english().queryTerms(raw)) {
                    assertThat(reader.docFreq(t)).as("pass %d, term %s", pass, t).isEqualTo(builder.docFreq(t));
                }
            }
        }
    }

    @Test
    void unicodeTermsSortByUtf8Bytes() {
        TextAnalyzer pre = TextAnalyzers.forOptions(new io.lodestone.doc.FullTextOptions("english", false, false, true,
                false, 1.2, 0.75, "pre_tokenized_array"));
        InvertedIndexBuilder builder = new InvertedIndexBuilder(pre);
        List<String> terms = List.of("z", "é", "\uD83D\uDE00", "\uFF21", "a", "ab", "abc", "", "東京", "ﬀ");
        for (int i = 0; i < terms.size(); i++) builder.add(i, List.of(terms.get(i), "common"));
        InvertedIndexReader reader = Corpus.roundTrip(builder);
        reader.checkIntegrity();
        for (String t : terms) assertThat(reader.docFreq(t)).as(t).isEqualTo(t.isEmpty() ? 0 : 1);
        assertThat(reader.docFreq("common")).isEqualTo(terms.size());
    }

    @Test
    void truncatedBytesAreDetectedOnOpen(Random random) {
        byte[] bytes = Corpus.bytes(Corpus.index(Corpus.docs(random, 300, 100)));
        for (int len : new int[] {0, 10, 71, 72, bytes.length / 2, bytes.length - 8, bytes.length - 1}) {
            MemorySegment cut = MemorySegment.ofArray(Arrays.copyOf(bytes, len));
            assertThatThrownBy(() -> InvertedIndexReader.open(cut, "seg-7/text.inv"))
                    .as("length %d", len).isInstanceOf(CorruptObjectException.class)
                    .hasMessageStartingWith("corrupt object seg-7/text.inv: ");
        }
    }

    @Test
    void headerDamageIsDetectedWithExpectedAndActualValues() {
        byte[] bytes = Corpus.bytes(Corpus.index(List.of("alpha beta", "beta gamma")));
        byte[] magic = bytes.clone();
        magic[0] ^= 1;
        assertThatThrownBy(() -> InvertedIndexReader.open(MemorySegment.ofArray(magic), "x"))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessage("corrupt object x: inverted index: magic: expected 5854444c, actual 5854444d");
        byte[] version = bytes.clone();
        version[4] = 9;
        assertThatThrownBy(() -> InvertedIndexReader.open(MemorySegment.ofArray(version), "x"))
                .hasMessage("corrupt object x: inverted index: version 9 is not supported (this reader reads version 1);"
                        + " written by a newer Lodestone?");
        byte[] docCount = bytes.clone();
        docCount[12] = 7;
        assertThatThrownBy(() -> InvertedIndexReader.open(MemorySegment.ofArray(docCount), "x"))
                .hasMessage("corrupt object x: inverted index: docCount 7 not in [0, maxDoc 2]");
        for (int at = 8; at < InvertedIndexWriter.HEADER_BYTES; at++) {
            if (at >= 12 && at < 24) continue; // docCount/sumTotalTermFreq: checked by checkIntegrity
            byte[] flipped = bytes.clone();
            flipped[at] ^= 0x10;
            assertThatThrownBy(() -> InvertedIndexReader.open(MemorySegment.ofArray(flipped), "x"))
                    .as("header byte %d", at).isInstanceOf(CorruptObjectException.class);
        }
    }

    @Test
    void integrityCheckFindsDamagedPostings(Random random) {
        List<String> docs = Corpus.docs(random, 2000, 50);   // few terms, long posting lists
        byte[] bytes = Corpus.bytes(Corpus.index(docs));
        InvertedIndexReader.open(MemorySegment.ofArray(bytes), "x").checkIntegrity();
        long postingsOffset = MemorySegment.ofArray(bytes).get(SegmentBytes.LONG, 56);
        int detected = 0;
        int flips = 200;
        for (int i = 0; i < flips; i++) {
            byte[] damaged = bytes.clone();
            int at = (int) (postingsOffset + random.nextInt((int) (bytes.length - 8 - postingsOffset)));
            damaged[at] ^= (byte) (1 << random.nextInt(8));
            try {
                InvertedIndexReader.open(MemorySegment.ofArray(damaged), "x").checkIntegrity();
            } catch (CorruptObjectException e) {
                detected++; // any other exception type fails the test
            }
        }
        // flips in doc deltas, bit widths, skip entries and frequencies are caught; a flipped impact bit that
        // only loosens a bound is harmless. The segment's CRC catches everything.
        assertThat(detected).isGreaterThan(flips / 2);
    }

    @Test
    void builderRejectsDescendingOrdinals() {
        InvertedIndexBuilder b = new InvertedIndexBuilder(TextAnalyzers.english());
        b.add(3, "x");
        assertThatThrownBy(() -> b.add(3, "y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("doc ordinals must ascend: got 3 after maxDoc 4");
    }
}
