package io.lodestone.filter;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The value of a {@code ContainsAllTokens} or {@code ContainsAnyToken} condition: the query text, its tokens
 * (computed once, when the filter is parsed) and the analyzer that tokenizes documents the same way.
 * With {@code lastAsPrefix} (turbopuffer's {@code last_as_prefix} option) the last query token also matches
 * any document token it is a prefix of. A query without tokens matches no document.
 * Equality is by attribute, text, option and analyzer. Immutable and thread-safe.
 */
public final class TokenQuery {

    private final String attribute;
    private final String text;
    private final boolean lastAsPrefix;
    private final TokenAnalyzer analyzer;
    private final List<String> tokens;

    private TokenQuery(String attribute, String text, boolean lastAsPrefix, TokenAnalyzer analyzer) {
        this.attribute = Objects.requireNonNull(attribute, "attribute");
        this.text = Objects.requireNonNull(text, "text");
        this.lastAsPrefix = lastAsPrefix;
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.tokens = List.copyOf(analyzer.tokens(attribute, text));
    }

    public static TokenQuery of(String attribute, String text, boolean lastAsPrefix, TokenAnalyzer analyzer) {
        return new TokenQuery(attribute, text, lastAsPrefix, analyzer);
    }

    public String attribute() { return attribute; }

    public String text() { return text; }

    public boolean lastAsPrefix() { return lastAsPrefix; }

    public TokenAnalyzer analyzer() { return analyzer; }

    /** The query's tokens. */
    public List<String> tokens() { return tokens; }

    /** This query for another attribute (tokens are recomputed with that attribute's analysis). */
    TokenQuery forAttribute(String other) {
        return other.equals(attribute) ? this : new TokenQuery(other, text, lastAsPrefix, analyzer);
    }

    /** Whether a document value (a string or a list of strings) contains every query token. */
    public boolean matchesAll(Object value) {
        if (tokens.isEmpty()) return false;
        Set<String> docTokens = documentTokens(value);
        if (docTokens.isEmpty()) return false;
        int exact = lastAsPrefix ? tokens.size() - 1 : tokens.size();
        for (int i = 0; i < exact; i++) {
            if (!docTokens.contains(tokens.get(i))) return false;
        }
        return !lastAsPrefix || hasPrefix(docTokens, tokens.getLast());
    }

    /** Whether a document value (a string or a list of strings) contains at least one query token. */
    public boolean matchesAny(Object value) {
        if (tokens.isEmpty()) return false;
        Set<String> docTokens = documentTokens(value);
        for (String t : tokens) {
            if (docTokens.contains(t)) return true;
        }
        return lastAsPrefix && hasPrefix(docTokens, tokens.getLast());
    }

    private Set<String> documentTokens(Object value) {
        Set<String> out = new HashSet<>();
        if (value instanceof String s) {
            out.addAll(analyzer.tokens(attribute, s));
        } else if (value instanceof List<?> list) {
            for (Object e : list) {
                if (e instanceof String s) out.addAll(analyzer.tokens(attribute, s));
            }
        }
        return out;
    }

    private static boolean hasPrefix(Set<String> docTokens, String prefix) {
        for (String t : docTokens) {
            if (t.startsWith(prefix)) return true;
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenQuery q && q.attribute.equals(attribute) && q.text.equals(text)
                && q.lastAsPrefix == lastAsPrefix && q.analyzer.equals(analyzer);
    }

    @Override
    public int hashCode() { return Objects.hash(attribute, text, lastAsPrefix, analyzer); }

    @Override
    public String toString() { return lastAsPrefix ? text + " (last as prefix)" : text; }
}
