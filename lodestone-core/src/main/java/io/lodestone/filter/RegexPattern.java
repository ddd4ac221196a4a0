package io.lodestone.filter;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.lodestone.doc.Unicode;

import java.util.List;

/**
 * A compiled regular expression in RE2 syntax, the value of a {@code Regex} condition. It matches a string when it
 * is found anywhere in it, as turbopuffer's Rust {@code regex::is_match} does; anchor with {@code ^…$} to match the
 * whole string. RE2 (through RE2J) runs in time linear in the string, so no pattern can backtrack catastrophically;
 * the price is that backreferences, lookaround, atomic groups and possessive quantifiers are refused at compile
 * time, as Rust's regex refuses them. Equality is by source text. Immutable and thread-safe.
 */
public final class RegexPattern {

    private final String source;
    private final Pattern pattern;

    private RegexPattern(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /**
     * Compiles a regex; throws {@link IllegalArgumentException} saying what is wrong with it, naming the construct
     * RE2 does not support (e.g. "lookahead {@code (?=} is not supported").
     */
    public static RegexPattern compile(String source) {
        int bad = Unicode.unpairedSurrogate(source);
        if (bad >= 0) throw new IllegalArgumentException("unpaired UTF-16 surrogate at index " + bad);
        try {
            return new RegexPattern(source, Pattern.compile(source));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(describe(e), e);
        }
    }

    public String source() { return source; }

    /** Whether the pattern occurs somewhere in {@code s}. */
    public boolean find(String s) { return pattern.matcher(s).find(); }

    /** RE2J's error, with the unsupported construct named when it is one that backtracking engines accept. */
    private static String describe(PatternSyntaxException e) {
        String snippet = e.getPattern() == null ? "" : e.getPattern();
        if (snippet.matches("\\\\[1-9][0-9]*")) return notSupported("backreference", snippet);
        for (Unsupported u : UNSUPPORTED) {
            if (snippet.startsWith(u.prefix)) return notSupported(u.name, u.whole ? snippet : u.prefix);
        }
        return e.getDescription() + (snippet.isEmpty() ? "" : ": `" + snippet + "`");
    }

    private static String notSupported(String construct, String shown) {
        return construct + " `" + shown + "` is not supported (RE2 syntax: matching is linear-time, so no "
                + "backreferences, lookaround, atomic groups or possessive quantifiers)";
    }

    /** A construct that needs backtracking: the start of RE2J's error snippet; whole: show the whole snippet. */
    private record Unsupported(String prefix, String name, boolean whole) {
    }

    private static final List<Unsupported> UNSUPPORTED = List.of(
            new Unsupported("(?=", "lookahead", false), new Unsupported("(?!", "negative lookahead", false),
            new Unsupported("(?<=", "lookbehind", false), new Unsupported("(?<!", "negative lookbehind", false),
            new Unsupported("(?>", "atomic group", false), new Unsupported("\\k", "named backreference", true),
            new Unsupported("*+", "possessive quantifier", true), new Unsupported("++", "possessive quantifier", true),
            new Unsupported("?+", "possessive quantifier", true), new Unsupported("}+", "possessive quantifier", true));

    @Override
    public boolean equals(Object o) { return o instanceof RegexPattern r && r.source.equals(source); }

    @Override
    public int hashCode() { return source.hashCode(); }

    @Override
    public String toString() { return source; }
}
