package io.lodestone.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.lodestone.doc.InvalidInputException;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL-like filter text into tokens. Positions in errors are 1-based character positions.
 * Words are {@code [A-Za-z_][A-Za-z0-9_.-]*} (keywords are words, told apart by the parser); a name in
 * backquotes may hold any character ({@code ``} is a backquote). Strings are in single or double quotes; a
 * backslash escapes a quote, a backslash or a slash, or writes n, t, r, b, f or u and four hex digits as in JSON,
 * and a doubled quote stands for itself.
 * Numbers are {@code -?digits[.digits][(e|E)[+-]digits]}.
 */
final class SqlLexer {

    enum Kind { WORD, NAME, STRING, NUMBER, OP, LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, EOF }

    /**
     * One token. {@code raw} is its source text, {@code value} the decoded text of a WORD, NAME or STRING,
     * {@code number} the value of a NUMBER, and {@code start} its 0-based offset.
     */
    record Token(Kind kind, String raw, String value, JsonNode number, int start) {
        int position() { return start + 1; }

        String display() {
            if (kind == Kind.EOF) return "end of input";
            return "'" + (raw.length() <= 40 ? raw : raw.substring(0, 40) + "…") + "'";
        }

        boolean isWord(String keyword) { return kind == Kind.WORD && value.equalsIgnoreCase(keyword); }
    }

    private final String text;
    private int i;

    private SqlLexer(String text) { this.text = text; }

    static List<Token> tokenize(String text) {
        return new SqlLexer(text).all();
    }

    private List<Token> all() {
        List<Token> out = new ArrayList<>();
        while (true) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
            if (i >= text.length()) {
                out.add(new Token(Kind.EOF, "", "", null, text.length()));
                return out;
            }
            out.add(next());
        }
    }

    private Token next() {
        int start = i;
        char c = text.charAt(i);
        switch (c) {
            case '(' -> { return single(Kind.LPAREN); }
            case ')' -> { return single(Kind.RPAREN); }
            case '[' -> { return single(Kind.LBRACKET); }
            case ']' -> { return single(Kind.RBRACKET); }
            case ',' -> { return single(Kind.COMMA); }
            case '=' -> { i += text.startsWith("==", i) ? 2 : 1; return op("=", start); }
            case '!' -> {
                if (!text.startsWith("!=", i)) throw unexpected(start);
                i += 2;
                return op("!=", start);
            }
            case '<' -> {
                if (text.startsWith("<=", i) || text.startsWith("<>", i)) {
                    i += 2;
                    return op(text.startsWith("<=", start) ? "<=" : "!=", start);
                }
                i++;
                return op("<", start);
            }
            case '>' -> {
                i += text.startsWith(">=", i) ? 2 : 1;
                return op(i - start == 2 ? ">=" : ">", start);
            }
            case '\'', '"' -> { return string(c); }
            case '`' -> { return name(); }
            default -> { }
        }
        if (isDigit(c) || c == '-' && i + 1 < text.length() && isDigit(text.charAt(i + 1))) return number();
        if (isWordStart(c)) {
            while (i < text.length() && isWordPart(text.charAt(i))) i++;
            String w = text.substring(start, i);
            return new Token(Kind.WORD, w, w, null, start);
        }
        throw unexpected(start);
    }

    private Token single(Kind kind) {
        i++;
        return new Token(kind, text.substring(i - 1, i), null, null, i - 1);
    }

    private Token op(String normalized, int start) {
        return new Token(Kind.OP, text.substring(start, i), normalized, null, start);
    }

    private Token string(char quote) {
        int start = i++;
        StringBuilder sb = new StringBuilder();
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) { // doubled quote, SQL style
                    sb.append(quote);
                    i += 2;
                    continue;
                }
                i++;
                return new Token(Kind.STRING, text.substring(start, i), sb.toString(), null, start);
            }
            if (c == '\\') {
                escape(sb);
            } else {
                sb.append(c);
                i++;
            }
        }
        throw new InvalidInputException("unterminated string starting at position " + (start + 1));
    }

    private void escape(StringBuilder sb) {
        int at = i;
        if (i + 1 >= text.length()) throw new InvalidInputException("unterminated string escape at position " + (at + 1));
        char e = text.charAt(i + 1);
        i += 2;
        switch (e) {
            case '\'', '"', '\\', '/' -> sb.append(e);
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'u' -> {
                if (i + 4 > text.length() || !isHex(text.substring(i, i + 4))) {
                    throw new InvalidInputException("invalid \\u escape at position " + (at + 1)
                            + "; expected four hex digits");
                }
                sb.append((char) Integer.parseInt(text.substring(i, i + 4), 16));
                i += 4;
            }
            default -> throw new InvalidInputException("invalid escape '\\" + e + "' at position " + (at + 1)
                    + "; expected one of \\' \\\" \\\\ \\/ \\n \\t \\r \\b \\f \\uXXXX");
        }
    }

    private Token name() {
        int start = i++;
        StringBuilder sb = new StringBuilder();
        while (i < text.length()) {
            char c = text.charAt(i++);
            if (c == '`') {
                if (i < text.length() && text.charAt(i) == '`') {
                    sb.append('`');
                    i++;
                    continue;
                }
                if (sb.isEmpty()) throw new InvalidInputException("empty quoted name at position " + (start + 1));
                return new Token(Kind.NAME, text.substring(start, i), sb.toString(), null, start);
            }
            sb.append(c);
        }
        throw new InvalidInputException("unterminated quoted name starting at position " + (start + 1));
    }

    private Token number() {
        int start = i;
        if (text.charAt(i) == '-') i++;
        digits();
        boolean integral = true;
        if (i < text.length() && text.charAt(i) == '.') {
            i++;
            if (digits() == 0) throw invalidNumber(start);
            integral = false;
        }
        if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) i++;
            if (digits() == 0) throw invalidNumber(start);
            integral = false;
        }
        if (i < text.length() && (isWordPart(text.charAt(i)) || text.charAt(i) == '`')) throw invalidNumber(start);
        String raw = text.substring(start, i);
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonNode n;
        if (!integral) {
            n = f.numberNode(Double.parseDouble(raw));
        } else {
            BigInteger b = new BigInteger(raw);
            n = b.bitLength() < 64 ? f.numberNode(b.longValue()) : f.numberNode(b);
        }
        return new Token(Kind.NUMBER, raw, raw, n, start);
    }

    private int digits() {
        int from = i;
        while (i < text.length() && isDigit(text.charAt(i))) i++;
        return i - from;
    }

    private InvalidInputException invalidNumber(int start) {
        while (i < text.length() && isWordPart(text.charAt(i))) i++;
        return new InvalidInputException("invalid number '" + text.substring(start, i) + "' at position " + (start + 1));
    }

    private InvalidInputException unexpected(int at) {
        return new InvalidInputException("unexpected character '" + text.charAt(at) + "' at position " + (at + 1));
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static boolean isWordStart(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_';
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || isDigit(c) || c == '.' || c == '-';
    }

    private static boolean isHex(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (Character.digit(s.charAt(k), 16) < 0) return false;
        }
        return true;
    }
}
