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
        assertThat(thai.tokens(THAI_PM)).containsSubsequence("นายก", "รัฐมนตรี", "เดิน", "ทาง", "ประชุม", "กรุงเทพมหานคร");
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

    /** Everyday Thai sentences; many hold the query word inside a longer compound or an unusual segmentation. */
    static final List<String> THAI_DOCS = List.of(
            "นักเรียนไปโรงเรียนประจำจังหวัดทุกวัน",                 // 0 students go to the provincial school daily
            "แม่ของฉันทำงานที่โรงพยาบาลศูนย์ขอนแก่น",                // 1 my mother works at Khon Kaen hospital
            "รัฐบาลไทยประกาศนโยบายเศรษฐกิจใหม่",                    // 2 the Thai government announced a new policy
            "เราจะพบกันที่สถานีรถไฟหัวลำโพงตอนเช้า",                  // 3 we meet at Hua Lamphong train station
            "ห้องสมุดมหาวิทยาลัยเปิดถึงสี่ทุ่ม",                        // 4 the university library is open until 10pm
            "ตลาดน้ำดำเนินสะดวกมีนักท่องเที่ยวมากมาย",                 // 5 the floating market has many tourists
            "สนามบินสุวรรณภูมิเป็นสนามบินนานาชาติ",                   // 6 Suvarnabhumi is an international airport
            "กระทรวงสาธารณสุขแนะนำให้ล้างมือบ่อยๆ",                   // 7 the health ministry advises washing hands
            "ร้านอาหารริมแม่น้ำเจ้าพระยาขายต้มยำกุ้ง",                  // 8 a riverside restaurant sells tom yum
            "ตำรวจจราจรยืนอยู่หน้าสถานีตำรวจ",                        // 9 traffic police outside the police station
            "โทรศัพท์มือถือของเขาหายในรถโดยสารประจำทาง",              // 10 his mobile phone was lost on the bus
            "คณะกรรมการการเลือกตั้งประกาศผลคะแนนอย่างเป็นทางการ",      // 11 the election commission announced results
            "เด็กๆ เล่นฟุตบอลในสนามกีฬาแห่งชาติ",                      // 12 children play football in the stadium
            "ไปรษณีย์กลางบางรักเปิดวันเสาร์",                          // 13 Bang Rak central post office opens Saturday
            "ข้าราชการกระทรวงศึกษาธิการประชุมเรื่องหลักสูตรใหม่",        // 14 education ministry officials on curricula
            "ผู้ป่วยรอคิวที่ห้องฉุกเฉินตั้งแต่เช้า");                      // 15 patients queue at the emergency room

    /**
     * Query → the document it must find first. Not found: ศึกษา (education) inside ศึกษาธิการ, a dictionary word
     * whose rest (ธิการ) is not one, so the compound has no split into dictionary words.
     */
    static final Map<String, Integer> THAI_QUERIES = Map.ofEntries(
            Map.entry("โรงเรียน", 0), Map.entry("จังหวัด", 0), Map.entry("โรงพยาบาล", 1), Map.entry("รัฐบาล", 2),
            Map.entry("สถานีรถไฟ", 3), Map.entry("หัวลำโพง", 3), Map.entry("ห้องสมุด", 4), Map.entry("วิทยาลัย", 4),
            Map.entry("ตลาด", 5), Map.entry("ดำเนินสะดวก", 5), Map.entry("นักท่องเที่ยว", 5), Map.entry("สนามบิน", 6),
            Map.entry("นานาชาติ", 6), Map.entry("สาธารณสุข", 7), Map.entry("แม่น้ำ", 8), Map.entry("ร้านอาหาร", 8),
            Map.entry("จราจร", 9), Map.entry("รถโดยสาร", 10), Map.entry("โทรศัพท์", 10), Map.entry("เลือกตั้ง", 11),
            Map.entry("กรรมการ", 11), Map.entry("สนามกีฬา", 12), Map.entry("ไปรษณีย์", 13), Map.entry("ข้าราชการ", 14),
            Map.entry("หลักสูตร", 14), Map.entry("ฉุกเฉิน", 15));

    /** Dictionary words inside compounds are indexed: each query finds its document first. */
    @Test
    void thaiWordsAreFoundInsideCompounds() {
        TextAnalyzer thai = TextAnalyzers.forOptions(options("thai", false, true, false, false, "word_v2"));
        InvertedIndexBuilder index = new InvertedIndexBuilder(thai);
        for (int i = 0; i < THAI_DOCS.size(); i++) index.add(i, THAI_DOCS.get(i));
        List<String> missed = new ArrayList<>();
        THAI_QUERIES.forEach((query, doc) -> {
            List<ScoredDoc> hits = TextQuery.parse(thai, query).weight(List.of(index), 1.2f, 0.75f).topK(index, 3);
            if (hits.isEmpty() || hits.getFirst().doc() != doc) missed.add(query + " → " + hits);
        });
        assertThat(missed).as("queries that did not find their document first, of " + THAI_QUERIES.size()).isEmpty();
        // a compound is followed by its split into the fewest dictionary words of at least 3 chars
        assertThat(thai.tokens("ดำเนินสะดวก นานาชาติ"))
                .containsExactly("ดำเนินสะดวก", "ดำเนิน", "สะดวก", "นานาชาติ", "นานา", "ชาติ");
    }

    /** Text index files name their analysis; Thai's changed, so indexes built by its old analysis are rebuilt. */
    @Test
    void fingerprintsNameTheAnalysisRevision() {
        assertThat(io.lodestone.segment.SegmentTextFile.fingerprint(options("english", true, true, false, false, "word_v2")))
                .isEqualTo("english|true|true|false|false|word_v2");
        assertThat(io.lodestone.segment.SegmentTextFile.fingerprint(options("thai", false, true, false, false, "word_v2")))
                .isEqualTo("thai|false|true|false|false|word_v2|r1");
        assertThat(TextAnalyzers.revision(options("thai", false, true, false, false, "pre_tokenized_array"))).isZero();
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
