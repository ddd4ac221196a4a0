package io.lodestone.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into the terms that are indexed and searched. Documents and queries of one attribute go through the
 * same analyzer, so a query term matches exactly the document tokens it should. Get one from
 * {@link TextAnalyzers#forOptions}. Implementations are thread-safe.
 */
public interface TextAnalyzer {

    /** Receives tokens one at a time; the buffer is reused, so copy what you keep. */
    @FunctionalInterface
    interface TokenSink {
        /** One token: the first {@code length} chars of {@code buffer}. */
        void token(char[] buffer, int length);
    }

    /** Streams the tokens of {@code text}, in order, to {@code sink} (the allocation-free path indexing uses). */
    void analyze(String text, TokenSink sink);

    /** The tokens of {@code text}, in order, repeats included. */
    default List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        analyze(text, (buffer, length) -> out.add(new String(buffer, 0, length)));
        return out;
    }

    /**
     * The tokens of every value of a multi-valued ({@code []string}) attribute, in order. For
     * {@code pre_tokenized_array} each value is one token.
     */
    default List<String> tokens(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) analyze(v, (buffer, length) -> out.add(new String(buffer, 0, length)));
        return out;
    }

    /** The distinct tokens of {@code text} in first-occurrence order: the terms of a BM25 query. */
    default List<String> queryTerms(String text) {
        return tokens(text).stream().distinct().toList();
    }
}
