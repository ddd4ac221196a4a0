package io.lodestone.doc;

/**
 * Full-text search options of a string attribute, as turbopuffer names them.
 */
public record FullTextOptions(String language, boolean stemming, boolean removeStopwords, boolean caseSensitive,
                              boolean asciiFolding, double k1, double b, String tokenizer) {

    /** The options {@code full_text_search: true} stands for. */
    public static FullTextOptions defaults() {
        return new FullTextOptions("english", false, true, false, false, 1.2, 0.75, "word_v2");
    }
}
