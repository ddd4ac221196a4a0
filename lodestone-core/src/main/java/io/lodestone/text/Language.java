package io.lodestone.text;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.apache.lucene.analysis.ar.ArabicStemFilter;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.da.DanishAnalyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.de.GermanLightStemFilter;
import org.apache.lucene.analysis.de.GermanNormalizationFilter;
import org.apache.lucene.analysis.el.GreekAnalyzer;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.el.GreekStemFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.es.SpanishLightStemFilter;
import org.apache.lucene.analysis.fi.FinnishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.hu.HungarianAnalyzer;
import org.apache.lucene.analysis.icu.segmentation.ICUTokenizer;
import org.apache.lucene.analysis.in.IndicNormalizationFilter;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.it.ItalianLightStemFilter;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.no.NorwegianAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseLightStemFilter;
import org.apache.lucene.analysis.ro.RomanianAnalyzer;
import org.apache.lucene.analysis.ro.RomanianNormalizationFilter;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.sv.SwedishAnalyzer;
import org.apache.lucene.analysis.ta.TamilAnalyzer;
import org.apache.lucene.analysis.th.ThaiAnalyzer;
import org.apache.lucene.analysis.th.ThaiNormalizationFilter;
import org.apache.lucene.analysis.th.ThaiRepeatFilter;
import org.apache.lucene.analysis.tr.ApostropheFilter;
import org.apache.lucene.analysis.tr.TurkishAnalyzer;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.tartarus.snowball.ext.DanishStemmer;
import org.tartarus.snowball.ext.DutchStemmer;
import org.tartarus.snowball.ext.FinnishStemmer;
import org.tartarus.snowball.ext.HungarianStemmer;
import org.tartarus.snowball.ext.NorwegianStemmer;
import org.tartarus.snowball.ext.RomanianStemmer;
import org.tartarus.snowball.ext.RussianStemmer;
import org.tartarus.snowball.ext.SwedishStemmer;
import org.tartarus.snowball.ext.TamilStemmer;
import org.tartarus.snowball.ext.TurkishStemmer;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The analysis chain of each supported language, taken from Lucene's analyzer for that language and split into
 * the steps that {@link io.lodestone.doc.FullTextOptions} switch on and off:
 * tokenizer → normalize (incl. lower-casing) → stop words → post-stop normalization → stemmer.
 * With every option on, a chain equals Lucene's own analyzer (for English: {@code EnglishAnalyzer}).
 */
enum Language {
    ENGLISH(StandardTokenizer::new, (ts, lower) -> lower(new EnglishPossessiveFilter(ts), lower),
            EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, none(), PorterStemFilter::new),
    ARABIC(StandardTokenizer::new, (ts, lower) -> new DecimalDigitFilter(lower(ts, lower)),
            ArabicAnalyzer.getDefaultStopSet(), ArabicNormalizationFilter::new, ArabicStemFilter::new),
    DANISH(StandardTokenizer::new, Language::lower, DanishAnalyzer.getDefaultStopSet(), none(),
            ts -> new SnowballFilter(ts, new DanishStemmer())),
    DUTCH(StandardTokenizer::new, Language::lower, DutchAnalyzer.getDefaultStopSet(), none(),
            ts -> new SnowballFilter(ts, new DutchStemmer())),
    FINNISH(StandardTokenizer::new, Language::lower, FinnishAnalyzer.getDefaultStopSet(), none(),
            ts -> new SnowballFilter(ts, new FinnishStemmer())),
    FRENCH(StandardTokenizer::new, (ts, lower) -> lower(new ElisionFilter(ts, FrenchAnalyzer.DEFAULT_ARTICLES), lower),
            FrenchAnalyzer.getDefaultStopSet(), none(), FrenchLightStemFilter::new),
    GERMAN(StandardTokenizer::new, Language::lower, GermanAnalyzer.getDefaultStopSet(),
            GermanNormalizationFilter::new, GermanLightStemFilter::new),
    GREEK(StandardTokenizer::new, (ts, lower) -> lower ? new GreekLowerCaseFilter(ts) : ts,
            GreekAnalyzer.getDefaultStopSet(), none(), GreekStemFilter::new),
    HUNGARIAN(StandardTokenizer::new, Language::lower, HungarianAnalyzer.getDefaultStopSet(), none(),
            ts -> new SnowballFilter(ts, new HungarianStemmer())),
    ITALIAN(StandardTokenizer::new, (ts, lower) -> lower(new ElisionFilter(ts, Articles.ITALIAN), lower),
            ItalianAnalyzer.getDefaultStopSet(), none(), ItalianLightStemFilter::new),
    NORWEGIAN(StandardTokenizer::new, Language::lower, NorwegianAnalyzer.getDefaultStopSet(), none(),
            ts -> new SnowballFilter(ts, new NorwegianStemmer())),
    PORTUGUESE(StandardTokenizer::new, Language::lower, PortugueseAnalyzer.getDefaultStopSet(), none(),
            PortugueseLightStemFilter::new),
    ROMANIAN(StandardTokenizer::new, Language::lower, RomanianAnalyzer.getDefaultStopSet(),
            RomanianNormalizationFilter::new, ts -> new SnowballFilter(ts, new RomanianStemmer())),
    RUSSIAN(StandardTokenizer::new, Language::lower, RussianAnalyzer.getDefaultStopSet(), none(),
            ts -> new SnowballFilter(ts, new RussianStemmer())),
    SPANISH(StandardTokenizer::new, Language::lower, SpanishAnalyzer.getDefaultStopSet(), none(),
            SpanishLightStemFilter::new),
    SWEDISH(StandardTokenizer::new, Language::lower, SwedishAnalyzer.getDefaultStopSet(), none(),
            ts -> new SnowballFilter(ts, new SwedishStemmer())),
    TAMIL(StandardTokenizer::new,
            (ts, lower) -> new IndicNormalizationFilter(new DecimalDigitFilter(lower(ts, lower))),
            TamilAnalyzer.getDefaultStopSet(), none(), ts -> new SnowballFilter(ts, new TamilStemmer())),
    /**
     * Dictionary word segmentation (ICU's Thai break iterator, through Lucene's {@code ICUTokenizer}), then the
     * dictionary words inside compounds added ({@link ThaiCompoundFilter}). Revision 1: revision 0 used the JDK's
     * break iterator ({@code ThaiTokenizer}) and no compound splitting.
     */
    THAI(1, ICUTokenizer::new,
            (ts, lower) -> new ThaiRepeatFilter(new ThaiNormalizationFilter(new DecimalDigitFilter(
                    lower(new ThaiCompoundFilter(ts), lower)))),
            ThaiAnalyzer.getDefaultStopSet(), none(), none()),
    TURKISH(StandardTokenizer::new, (ts, lower) -> lower ? new TurkishLowerCaseFilter(new ApostropheFilter(ts))
            : new ApostropheFilter(ts), TurkishAnalyzer.getDefaultStopSet(), none(),
            ts -> new SnowballFilter(ts, new TurkishStemmer()));

    /** Lower-casing and other normalization before the stop-word filter. */
    @FunctionalInterface
    interface Normalizer {
        TokenStream apply(TokenStream in, boolean lowercase);
    }

    /**
     * Changes whenever this language's token stream changes, so that text indexes built with an older analysis are
     * recognised and rebuilt (see {@code SegmentTextFile.fingerprint}); 0 for the original analysis.
     */
    final int revision;
    final Supplier<Tokenizer> tokenizer;
    final Normalizer normalizer;
    final CharArraySet stopWords;
    final UnaryOperator<TokenStream> afterStop;
    final UnaryOperator<TokenStream> stemmer;

    Language(Supplier<Tokenizer> tokenizer, Normalizer normalizer, CharArraySet stopWords,
             UnaryOperator<TokenStream> afterStop, UnaryOperator<TokenStream> stemmer) {
        this(0, tokenizer, normalizer, stopWords, afterStop, stemmer);
    }

    Language(int revision, Supplier<Tokenizer> tokenizer, Normalizer normalizer, CharArraySet stopWords,
             UnaryOperator<TokenStream> afterStop, UnaryOperator<TokenStream> stemmer) {
        this.revision = revision;
        this.tokenizer = tokenizer;
        this.normalizer = normalizer;
        this.stopWords = stopWords;
        this.afterStop = afterStop;
        this.stemmer = stemmer;
    }

    /** The name in {@code full_text_search.language}. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The wire names, in declaration order. */
    static List<String> wireNames() {
        return Arrays.stream(values()).map(Language::wireName).toList();
    }

    /** The language named {@code name} (case-insensitive), or IllegalArgumentException naming the valid ones. */
    static Language parse(String name) {
        if (name != null) {
            for (Language l : values()) {
                if (l.wireName().equalsIgnoreCase(name)) return l;
            }
        }
        throw new IllegalArgumentException("unknown full-text language '" + name + "'; supported: "
                + String.join(", ", wireNames()));
    }

    private static TokenStream lower(TokenStream ts, boolean lowercase) {
        return lowercase ? new LowerCaseFilter(ts) : ts;
    }

    private static UnaryOperator<TokenStream> none() {
        return UnaryOperator.identity();
    }

    /** Italian elided articles (l'amico → amico), as Lucene's ItalianAnalyzer lists them. */
    private static final class Articles {
        static final CharArraySet ITALIAN = CharArraySet.unmodifiableSet(new CharArraySet(List.of(
                "c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl", "dagl", "degl", "negl",
                "sugl", "un", "m", "t", "s", "v", "d"), true));
    }
}
