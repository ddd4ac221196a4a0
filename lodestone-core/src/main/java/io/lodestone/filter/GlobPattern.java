package io.lodestone.filter;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.lodestone.doc.Unicode;

/**
 * A compiled Unix glob, the value of a {@code Glob}/{@code NotGlob}/{@code IGlob}/{@code NotIGlob} condition.
 * The whole string must match. Syntax (a subset of Rust's globset, which turbopuffer uses):
 * <ul>
 *   <li>{@code *} any run of characters, including none and including {@code /}; {@code **} is the same</li>
 *   <li>{@code ?} exactly one character</li>
 *   <li>{@code [abc]}, {@code [a-z]} one character of the set; {@code [!x]} or {@code [^x]} one character not in it;
 *       a {@code ]} right after the opening {@code [} (or {@code [!}) is a literal</li>
 *   <li>{@code {a,b}} either alternative (not nested)</li>
 *   <li>{@code \x} the character {@code x} literally</li>
 * </ul>
 * A glob compiles to an RE2 automaton (RE2J), so matching takes time linear in the string whatever the
 * pattern: no backtracking, even for {@code *a*a*a*…b}. Globs and strings work on code points; a glob with an
 * unpaired surrogate is refused. Equality is by source text and case sensitivity. Immutable and thread-safe.
 */
public final class GlobPattern {

    private final String glob;
    private final boolean caseInsensitive;
    private final Pattern regex;

    private GlobPattern(String glob, boolean caseInsensitive, Pattern regex) {
        this.glob = glob;
        this.caseInsensitive = caseInsensitive;
        this.regex = regex;
    }

    /** Compiles a glob; throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static GlobPattern compile(String glob, boolean caseInsensitive) {
        int bad = Unicode.unpairedSurrogate(glob);
        if (bad >= 0) throw new IllegalArgumentException("unpaired UTF-16 surrogate at index " + bad);
        int flags = Pattern.DOTALL | (caseInsensitive ? Pattern.CASE_INSENSITIVE : 0);
        String regex = toRegex(glob);
        try {
            return new GlobPattern(glob, caseInsensitive, Pattern.compile(regex, flags));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getDescription()); // not expected: toRegex checks the syntax
        }
    }

    /** The glob that matches exactly {@code literal}: every metacharacter is escaped with a backslash. */
    public static String escape(String literal) {
        StringBuilder sb = new StringBuilder(literal.length() + 8);
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if ("*?[]{}\\".indexOf(c) >= 0) sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }

    public String glob() { return glob; }

    public boolean caseInsensitive() { return caseInsensitive; }

    /** Whether the whole of {@code s} matches. */
    public boolean matches(String s) { return regex.matcher(s).matches(); }

    private static String toRegex(String glob) {
        StringBuilder re = new StringBuilder(glob.length() * 2);
        boolean inAlternation = false;
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    while (i + 1 < glob.length() && glob.charAt(i + 1) == '*') i++;
                    re.append(".*");
                }
                case '?' -> re.append('.');
                case '[' -> i = appendClass(glob, i, re) - 1;
                case '{' -> {
                    if (inAlternation) throw new IllegalArgumentException("nested '{' at index " + i);
                    inAlternation = true;
                    re.append("(?:");
                }
                case '}' -> {
                    if (!inAlternation) throw new IllegalArgumentException("unmatched '}' at index " + i);
                    inAlternation = false;
                    re.append(')');
                }
                case ',' -> re.append(inAlternation ? "|" : ",");
                case '\\' -> {
                    if (i + 1 >= glob.length()) throw new IllegalArgumentException("dangling '\\' at the end");
                    i++;
                    i += appendLiteral(glob.codePointAt(i), re) - 1;
                }
                default -> i += appendLiteral(glob.codePointAt(i), re) - 1;
            }
            i++;
        }
        if (inAlternation) throw new IllegalArgumentException("unclosed '{'");
        return re.toString();
    }

    /** Appends the character class starting at {@code start} (a '['); returns the index after its ']'. */
    private static int appendClass(String glob, int start, StringBuilder re) {
        int i = start + 1;
        re.append('[');
        if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
            re.append('^');
            i++;
        }
        boolean first = true;
        while (i < glob.length()) {
            int lo = glob.codePointAt(i);
            if (lo == ']' && !first) {
                re.append(']');
                return i + 1;
            }
            i += Character.charCount(lo);
            // "x-y" is a range unless the '-' is last ("[a-]" holds a literal '-').
            if (i + 1 < glob.length() && glob.charAt(i) == '-' && glob.charAt(i + 1) != ']') {
                int hi = glob.codePointAt(i + 1);
                if (hi < lo) {
                    throw new IllegalArgumentException("invalid range '" + glob.substring(i - Character.charCount(lo),
                            i + 1 + Character.charCount(hi)) + "' at index " + (i - Character.charCount(lo)));
                }
                appendLiteral(lo, re);
                re.append('-');
                appendLiteral(hi, re);
                i += 1 + Character.charCount(hi);
            } else {
                appendLiteral(lo, re);
            }
            first = false;
        }
        throw new IllegalArgumentException("unclosed '[' at index " + start);
    }

    /**
     * Appends one code point so that RE2 matches it literally, in or out of a class: ASCII letters and digits
     * as they are, everything else as {@code \x{hex}} (RE2 refuses a backslash before a letter it does not know,
     * so escaping by backslash alone is not safe). Returns the number of chars the code point takes.
     */
    private static int appendLiteral(int codePoint, StringBuilder re) {
        if (codePoint < 128 && Character.isLetterOrDigit(codePoint)) {
            re.append((char) codePoint);
        } else {
            re.append("\\x{").append(Integer.toHexString(codePoint)).append('}');
        }
        return Character.charCount(codePoint);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GlobPattern g && g.glob.equals(glob) && g.caseInsensitive == caseInsensitive;
    }

    @Override
    public int hashCode() { return glob.hashCode() * 31 + Boolean.hashCode(caseInsensitive); }

    @Override
    public String toString() { return glob; }
}
