package io.lodestone.text;

import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.doc.Schema;
import io.lodestone.filter.TokenAnalyzer;
import io.lodestone.testing.Seeded;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(Seeded.class)
class TestTextAnalyzers {

    static FullTextOptions options(String language, boolean stemming, boolean stopwords, boolean caseSensitive,
                                   boolean folding, String tokenizer) {
        return new FullTextOptions(language, stemming, stopwords, caseSensitive, folding, 1.2, 0.75, tokenizer);
    }

    static List<String> tokens(String language, boolean stemming, String text) {
        return TextAnalyzers.forOptions(options(language, stemming, true, false, false, "word_v2")).tokens(text);
    }

    static List<String> lucene(Analyzer analyzer, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream("f", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) out.add(term.toString());
            ts.end();
        }
        return out;
    }

    @Test
    void englishEqualsLuceneEnglishAnalyzer(Random random) throws IOException {
        Analyzer lucene = new EnglishAnalyzer();
        List<String> texts = new ArrayList<>(List.of(
                "The quick brown fox's jumps over the lazy dogs; running runners ran.",
                "0ad: Real-time strategy game of ancient warfare. 0 A.D. (pronounced \"zero ey-dee\") is free.",
                "It's the user's responsibility: configure IPv6, e-mail john@example.com, http://x.org/a?b=c",
                "Ünïcödé naïve café résumé — 東京 タワー 123.45 1,000 can't won't"));
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 .,;:'\"-_/()éüßç東京";
        for (int i = 0; i < 200; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(80);
            for (int j = 0; j < n; j++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            texts.add(sb.toString());
        }
        for (String t : texts) assertThat(TextAnalyzers.english().tokens(t)).as(t).isEqualTo(lucene(lucene, t));
    }

    @Test
    void englishOptionsSwitchSteps() {
        String text = "The Running Café's Runners";
        assertThat(TextAnalyzers.forOptions(options("english", false, true, false, false, "word_v2")).tokens(text))
                .containsExactly("running", "café", "runners");
        assertThat(TextAnalyzers.forOptions(options("english", true, true, false, false, "word_v2")).tokens(text))
                .containsExactly("run", "café", "runner");
        assertThat(TextAnalyzers.forOptions(options("english", false, false, false, false, "word_v2")).tokens(text))
                .containsExactly("the", "running", "café", "runners");
        assertThat(TextAnalyzers.forOptions(options("english", false, true, true, false, "word_v2")).tokens(text))
                .containsExactly("Running", "Café", "Runners");
        assertThat(TextAnalyzers.forOptions(options("english", false, true, false, true, "word_v1")).tokens(text))
                .containsExactly("running", "cafe", "runners");
        assertThat(TextAnalyzers.forOptions(FullTextOptions.defaults()).tokens(text))
                .containsExactly("running", "café", "runners");
    }

    /** One sentence per language with an inflected word the stemmer shortens. */
    static final Map<String, String> SAMPLES = Map.ofEntries(
            Map.entry("arabic", "الكتاب الجديد في المكتبات العامة"),
            Map.entry("danish", "Hundene løber hurtigt gennem skovene"),
            Map.entry("dutch", "De kinderen lopen door de bossen"),
            Map.entry("finnish", "Koirat juoksevat metsissä nopeasti"),
            Map.entry("french", "Les enfants mangeaient des pommes dans l'école"),
            Map.entry("german", "Die Kinder spielten in den Gärten"),
            Map.entry("greek", "Τα παιδιά παίζουν στους κήπους"),
            Map.entry("hungarian", "A gyerekek játszanak a kertekben"),
            Map.entry("italian", "I bambini mangiavano le mele nell'aula"),
            Map.entry("norwegian", "Hundene løper raskt gjennom skogene"),
            Map.entry("portuguese", "As crianças brincavam nos jardins"),
            Map.entry("romanian", "Copiii se jucau în grădinile frumoase"),
            Map.entry("russian", "Дети играли в красивых садах"),
            Map.entry("spanish", "Los niños jugaban en los jardines"),
            Map.entry("swedish", "Barnen lekte i trädgårdarna"),
            Map.entry("tamil", "குழந்தைகள் தோட்டங்களில் விளையாடினார்கள்"),
            Map.entry("turkish", "Çocuklar bahçelerde oynuyorlardı"));

    @Test
    void everyLanguageTokenizesAndStems() {
        assertThat(SAMPLES.keySet()).containsAll(TextAnalyzers.languages().stream()
                .filter(l -> !l.equals("english") && !l.equals("thai")).toList());
        for (var e : SAMPLES.entrySet()) {
            List<String> plain = tokens(e.getKey(), false, e.getValue());
            List<String> stemmed = tokens(e.getKey(), true, e.getValue());
            assertThat(plain).as(e.getKey()).isNotEmpty();
            assertThat(stemmed).as(e.getKey() + " stemmed").isNotEmpty().isNotEqualTo(plain);
            for (String t : plain) assertThat(t).as(e.getKey()).isEqualTo(t.toLowerCase(java.util.Locale.ROOT));
        }
    }

    @Test
    void languageSpecificSteps() {
        assertThat(tokens("french", false, "l'école")).containsExactly("école");
        assertThat(tokens("italian", false, "dell'anno")).containsExactly("anno");
        assertThat(tokens("turkish", false, "İSTANBUL'da")).containsExactly("istanbul");
        assertThat(tokens("german", false, "Straße")).containsExactly("strasse");
        assertThat(tokens("greek", false, "ΚΑΛΗΜΕΡΑ")).containsExactly("καλημερα");
    }

    // Thai: several news-like sentences, segmented with the dictionary.
    static final String THAI_PM = "นายกรัฐมนตรีเดินทางไปประชุมที่กรุงเทพมหานครเมื่อวานนี้";
    static final String THAI_WEATHER = "กรมอุตุนิยมวิทยาพยากรณ์ว่าจะมีฝนตกหนักในภาคใต้ตลอดสัปดาห์นี้";
    static final String THAI_BANK = "ธนาคารแห่งประเทศไทยประกาศคงอัตราดอกเบี้ยนโยบายไว้ที่ร้อยละสองจุดห้า";
    static final String THAI_FOOTBALL = "การแข่งขันฟุตบอลโลกปีนี้มีผู้ชมมากกว่าหนึ่งล้านคน";
    static final String THAI_MIXED = "โปรแกรมคอมพิวเตอร์ Lodestone ค้นหาเอกสารภาษาไทยได้อย่างรวดเร็ว";

    @Test
    void thaiSegmentsWords() {
        TextAnalyzer thai = TextAnalyzers.forOptions(options("thai", false, false, false, false, "word_v2"));
        assertThat(thai.tokens(THAI_PM)).containsSubsequence("นายกรัฐมนตรี", "เดินทาง", "ประชุม", "กรุงเทพมหานคร");
        assertThat(thai.tokens(THAI_WEATHER)).containsSubsequence("กรม", "อุตุนิยมวิทยา", "พยากรณ์", "ฝน", "ภาค", "สัปดาห์");
        assertThat(thai.tokens(THAI_BANK)).containsSubsequence("ธนาคาร", "ประกาศ", "อัตรา", "ดอกเบี้ย", "นโยบาย");
        assertThat(thai.tokens(THAI_FOOTBALL)).containsSubsequence("การ", "แข่งขัน", "ฟุตบอล", "โลก", "ล้าน", "คน");
        assertThat(thai.tokens(THAI_MIXED)).containsSubsequence("โปรแกรม", "คอมพิวเตอร์", "lodestone", "เอกสาร", "ภาษา", "ไทย");
        // stop words (e.g. ที่, ใน, นี้) go with remove_stopwords
        List<String> withStops = thai.tokens(THAI_WEATHER);
        List<String> noStops = TextAnalyzers.forOptions(options("thai", false, true, false, false, "word_v2")).tokens(THAI_WEATHER);
        assertThat(noStops.size()).isLessThan(withStops.size());
        assertThat(noStops).doesNotContain("ใน");
    }

    @Test
    void thaiQueriesFindThaiDocuments() {
        TextAnalyzer thai = TextAnalyzers.forOptions(options("thai", false, true, false, false, "word_v2"));
        List<String> docs = List.of(THAI_PM, THAI_WEATHER, THAI_BANK, THAI_FOOTBALL, THAI_MIXED,
                "Lodestone is a search engine written in Java");
        InvertedIndexBuilder index = new InvertedIndexBuilder(thai);
        for (int i = 0; i < docs.size(); i++) index.add(i, docs.get(i));
        assertThat(top(index, thai, "อัตราดอกเบี้ย")).isEqualTo(2);       // interest rate → the central bank
        assertThat(top(index, thai, "ฝนตกหนักภาคใต้")).isEqualTo(1);      // heavy rain in the south → weather
        assertThat(top(index, thai, "ฟุตบอลโลก")).isEqualTo(3);           // world cup
        assertThat(top(index, thai, "นายกรัฐมนตรี")).isEqualTo(0);        // prime minister
        assertThat(top(index, thai, "ค้นหาเอกสารภาษาไทย")).isEqualTo(4);  // mixed Thai/English doc, Thai query
        List<ScoredDoc> lodestone = TextQuery.parse(thai, "LODESTONE").weight(List.of(index), 1.2f, 0.75f).topK(index, 10);
        assertThat(lodestone).extracting(ScoredDoc::doc).containsExactlyInAnyOrder(4, 5);
    }

    private static int top(InvertedIndex index, TextAnalyzer analyzer, String query) {
        List<ScoredDoc> hits = TextQuery.parse(analyzer, query).weight(List.of(index), 1.2f, 0.75f).topK(index, 3);
        assertThat(hits).as(query).isNotEmpty();
        return hits.getFirst().doc();
    }

    @Test
    void preTokenizedArrayKeepsValuesAsTokens() {
        TextAnalyzer pre = TextAnalyzers.forOptions(options("english", true, true, false, false, "pre_tokenized_array"));
        assertThat(pre.tokens(List.of("The", "Running", "", "new-york", "the"))).containsExactly("The", "Running", "new-york", "the");
        assertThat(pre.tokens("New York")).containsExactly("New York");
        InvertedIndexBuilder index = new InvertedIndexBuilder(pre);
        index.add(0, List.of("red", "apple"));
        index.add(1, List.of("green", "apple", "apple"));
        assertThat(index.docFreq("apple")).isEqualTo(2);
        assertThat(index.norm(1)).isEqualTo(3);
        assertThat(new TextQuery(List.of("apple")).weight(List.of(index), 1.2f, 0.75f).topK(index, 2))
                .extracting(ScoredDoc::doc).containsExactly(1, 0);
    }

    @Test
    void unknownLanguageOrTokenizerNamesTheValidOnes() {
        assertThatThrownBy(() -> TextAnalyzers.forOptions(options("klingon", false, true, false, false, "word_v2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown full-text language 'klingon'; supported: english, arabic, danish, dutch, finnish,"
                        + " french, german, greek, hungarian, italian, norwegian, portuguese, romanian, russian, spanish,"
                        + " swedish, tamil, thai, turkish");
        assertThatThrownBy(() -> TextAnalyzers.forOptions(options("english", false, true, false, false, "word_v9")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown full-text tokenizer 'word_v9'; supported: word_v0, word_v1, word_v2, pre_tokenized_array");
    }

    @Test
    void tokenAnalyzerFollowsTheSchema() {
        Schema schema = Schema.EMPTY
                .with("title", new AttributeSchema(AttributeType.STRING, false, options("english", true, true, false, false, "word_v2")))
                .with("tags", new AttributeSchema(AttributeType.STRING, false, options("english", false, true, true, false, "word_v2")));
        TokenAnalyzer analyzer = TextAnalyzers.tokenAnalyzer(schema);
        assertThat(analyzer.tokens("title", "The Running Dogs")).containsExactly("run", "dog");
        assertThat(analyzer.tokens("tags", "The Running Dogs")).containsExactly("Running", "Dogs");
        assertThat(analyzer.tokens("other", "The Running Dogs")).containsExactly("running", "dogs");
        assertThat(analyzer).isEqualTo(TextAnalyzers.tokenAnalyzer(schema));
    }
}
