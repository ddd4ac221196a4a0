package io.lodestone.filter;

import java.util.List;

/**
 * Splits text into the tokens that {@code ContainsAllTokens} and {@code ContainsAnyToken} compare. The attribute
 * name lets an implementation apply that attribute's full-text settings (language, stemming, case). Both the
 * query string and the document's value go through the same analyzer. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface TokenAnalyzer {

    /** The tokens of {@code text} as the attribute {@code attribute} indexes them, in order. */
    List<String> tokens(String attribute, String text);

    /** The default: lower-cases and splits on every character that is not a letter or digit. */
    static TokenAnalyzer standard() {
        return SimpleTokenAnalyzer.INSTANCE;
    }
}
