package io.lodestone.filter;

import java.util.regex.Pattern;

/**
 * A compiled Java regular expression, the value of a {@code Regex} condition. It matches a string when it is
 * found anywhere in it ({@link java.util.regex.Matcher#find()}), as turbopuffer's Rust {@code regex::is_match}
 * does; anchor with {@code ^…$} to match the whole string. Equality is by source text. Immutable and thread-safe.
 */
public final class RegexPattern {

    private final String source;
    private final Pattern pattern;

    private RegexPattern(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /** Compiles a regex; throws {@link java.util.regex.PatternSyntaxException} when it is invalid. */
    public static RegexPattern compile(String source) {
        return new RegexPattern(source, Pattern.compile(source));
    }

    public String source() { return source; }

    /** Whether the pattern occurs somewhere in {@code s}. */
    public boolean find(String s) { return pattern.matcher(s).find(); }

    @Override
    public boolean equals(Object o) { return o instanceof RegexPattern r && r.source.equals(source); }

    @Override
    public int hashCode() { return source.hashCode(); }

    @Override
    public String toString() { return source; }
}
