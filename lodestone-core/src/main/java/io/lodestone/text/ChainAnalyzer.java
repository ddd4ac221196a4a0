package io.lodestone.text;

import io.lodestone.doc.FullTextOptions;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A {@link TextAnalyzer} over a Lucene analysis chain built from a {@link Language} and the switches of
 * {@link FullTextOptions}: normalize (lower-case unless {@code case_sensitive}) → stop words (when
 * {@code remove_stopwords}; matched case-insensitively) → language normalization → stemmer (when {@code stemming})
 * → ASCII folding (when {@code ascii_folding}; last, so stemmers still see the accents they expect).
 * Lucene reuses one token stream per thread, so this is thread-safe and allocation-light.
 */
final class ChainAnalyzer implements TextAnalyzer {

    private static final String FIELD = "text";

    private final FullTextOptions options;
    private final Analyzer analyzer;

    ChainAnalyzer(Language language, FullTextOptions options) {
        this.options = options;
        boolean lowercase = !options.caseSensitive();
        CharArraySet stopWords = options.caseSensitive()
                ? CharArraySet.unmodifiableSet(new CharArraySet(language.stopWords, true)) : language.stopWords;
        this.analyzer = new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer source = language.tokenizer.get();
                TokenStream ts = language.normalizer.apply(source, lowercase);
                if (options.removeStopwords()) ts = new StopFilter(ts, stopWords);
                ts = language.afterStop.apply(ts);
                if (options.stemming()) ts = language.stemmer.apply(ts);
                if (options.asciiFolding()) ts = new ASCIIFoldingFilter(ts);
                return new TokenStreamComponents(source, ts);
            }
        };
    }

    @Override
    public void analyze(String text, TokenSink sink) {
        try (TokenStream ts = analyzer.tokenStream(FIELD, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) sink.token(term.buffer(), term.length());
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing a string cannot fail: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TextAnalyzer" + options;
    }
}
