package io.lodestone.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The default {@link TokenAnalyzer}: lower-cases (root locale) and splits on every code point that is not a
 * letter or digit, for every attribute alike. No stemming and no stop words.
 */
public final class SimpleTokenAnalyzer implements TokenAnalyzer {

    public static final SimpleTokenAnalyzer INSTANCE = new SimpleTokenAnalyzer();

    private SimpleTokenAnalyzer() {}

    @Override
    public List<String> tokens(String attribute, String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            boolean word = Character.isLetterOrDigit(cp);
            if (word && start < 0) start = i;
            if (!word && start >= 0) {
                out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) out.add(text.substring(start).toLowerCase(Locale.ROOT));
        return out;
    }

    @Override
    public String toString() { return "SimpleTokenAnalyzer"; }
}
