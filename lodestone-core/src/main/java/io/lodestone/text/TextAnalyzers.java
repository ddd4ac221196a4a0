package io.lodestone.text;

import io.lodestone.doc.FullTextOptions;
import io.lodestone.doc.Schema;
import io.lodestone.filter.TokenAnalyzer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the {@link TextAnalyzer} of a full-text attribute from its {@link FullTextOptions}, with Lucene's
 * analysis modules doing the language work (Lucene is used for analysis only; the index and scoring are ours).
 *
 * <ul>
 *   <li>Tokenizers {@code word_v0}, {@code word_v1}, {@code word_v2}: Unicode word segmentation (UAX #29, Lucene's
 *       {@code StandardTokenizer}: letters/digits runs, one token per ideograph); for {@code thai}, dictionary
 *       word segmentation instead (ICU's, through Lucene's {@code ICUTokenizer}), with the dictionary words
 *       inside compounds added ({@link ThaiCompoundFilter}).
 *       {@code pre_tokenized_array}: each value is one token, taken as is.</li>
 *   <li>Languages: {@link #languages()}; each with its Lucene stop words and stemmer (English: Porter, as
 *       {@code EnglishAnalyzer}; Snowball or Lucene's light stemmers for the others).</li>
 *   <li>{@code stemming}, {@code remove_stopwords}, {@code case_sensitive}, {@code ascii_folding} switch the
 *       corresponding steps on or off.</li>
 * </ul>
 *
 * Analyzers are cached per options and are thread-safe.
 */
public final class TextAnalyzers {

    /** The {@code tokenizer} values accepted. */
    public static final List<String> TOKENIZERS = List.of("word_v0", "word_v1", "word_v2", "pre_tokenized_array");

    private static final Map<FullTextOptions, TextAnalyzer> CACHE = new ConcurrentHashMap<>();

    private TextAnalyzers() {
    }

    /**
     * The analyzer for these options.
     *
     * @throws IllegalArgumentException for an unknown language or tokenizer; the message lists the valid ones
     */
    public static TextAnalyzer forOptions(FullTextOptions options) {
        TextAnalyzer cached = CACHE.get(options);
        if (cached != null) return cached;
        TextAnalyzer created = create(options);
        if (CACHE.size() < 1024) CACHE.putIfAbsent(options, created);
        return created;
    }

    /**
     * Lucene's {@code EnglishAnalyzer} exactly: standard tokenizer, English possessive filter, lower case,
     * Lucene's 33 English stop words, Porter stemmer. The analyzer of the BM25 benchmark.
     */
    public static TextAnalyzer english() {
        return forOptions(new FullTextOptions("english", true, true, false, false, 1.2, 0.75, "word_v2"));
    }

    /**
     * The revision of the analysis these options select: it changes when a release changes the tokens the same
     * options produce (Thai: 1 since compounds are split), so indexes built before are recognised and rebuilt.
     * 0 for analyses that never changed; unknown languages and tokenizers are 0 (they are refused elsewhere).
     */
    public static int revision(FullTextOptions options) {
        if ("pre_tokenized_array".equals(options.tokenizer())) return 0;
        try {
            return Language.parse(options.language() == null ? "english" : options.language()).revision;
        } catch (IllegalArgumentException unknown) {
            return 0;
        }
    }

    /** The {@code language} values accepted, lower-case. */
    public static List<String> languages() {
        return Language.wireNames();
    }

    /**
     * The token analyzer that {@code ContainsAllTokens}/{@code ContainsAnyToken} filters use for this schema:
     * each attribute analyzed with its own full-text options (the defaults for attributes without any).
     */
    public static TokenAnalyzer tokenAnalyzer(Schema schema) {
        return new SchemaTokenAnalyzer(schema);
    }

    private static TextAnalyzer create(FullTextOptions options) {
        String tokenizer = options.tokenizer() == null ? "word_v2" : options.tokenizer();
        Language language = Language.parse(options.language() == null ? "english" : options.language());
        if (!TOKENIZERS.contains(tokenizer)) {
            throw new IllegalArgumentException("unknown full-text tokenizer '" + tokenizer + "'; supported: "
                    + String.join(", ", TOKENIZERS));
        }
        if (tokenizer.equals("pre_tokenized_array")) return PreTokenizedAnalyzer.INSTANCE;
        return new ChainAnalyzer(language, options);
    }
}
