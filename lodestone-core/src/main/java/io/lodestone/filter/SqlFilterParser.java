package io.lodestone.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.doc.Schema;
import io.lodestone.filter.SqlLexer.Kind;
import io.lodestone.filter.SqlLexer.Token;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a SQL-like filter into the same {@link Filter} tree as {@link FilterParser}, with the same literal
 * conversion, semantics and value errors. Grammar (keywords case-insensitive, precedence NOT > AND > OR):
 * <pre>
 * filter     := or
 * or         := and (OR and)*
 * and        := not (AND not)*
 * not        := NOT not | '(' or ')' | comparison
 * comparison := name op value | name IS [NOT] NULL
 * op         := = | == | != | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;= | IN | NOT IN | CONTAINS | NOT CONTAINS
 *             | CONTAINS ANY | NOT CONTAINS ANY | STARTSWITH | GLOB | NOT GLOB | IGLOB | NOT IGLOB | REGEX
 *             | CONTAINS ALL TOKENS | CONTAINS ANY TOKEN
 * value      := string | number | TRUE | FALSE | NULL | '[' [value (',' value)*] ']' | '(' [value (',' value)*] ')'
 * name       := [A-Za-z_][A-Za-z0-9_.-]* | `any text`
 * </pre>
 * {@code a = null} is {@code Eq null} (missing) and {@code a != null} is {@code NotEq null}. {@code STARTSWITH 'ab'}
 * is a {@code Glob} of the prefix with its glob metacharacters escaped, followed by {@code *}. Several ANDs (ORs)
 * in a row make one And (Or) node; parentheses keep their own node. Example:
 * {@code category = 'tech' AND (score >= 40 OR tag IN ['a','b']) AND NOT archived = true}.
 * Errors give the 1-based character position and what was expected.
 */
public final class SqlFilterParser {

    private static final String OPERATORS = "=, !=, <, <=, >, >=, IN, NOT IN, CONTAINS, NOT CONTAINS, CONTAINS ANY, "
            + "NOT CONTAINS ANY, STARTSWITH, GLOB, NOT GLOB, IGLOB, NOT IGLOB, REGEX, CONTAINS ALL TOKENS, "
            + "CONTAINS ANY TOKEN, IS NULL, IS NOT NULL";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final List<Token> tokens;
    private final Schema schema;
    private final TokenAnalyzer analyzer;
    private int next;

    private SqlFilterParser(String text, Schema schema, TokenAnalyzer analyzer) {
        this.tokens = SqlLexer.tokenize(text);
        this.schema = schema == null ? Schema.EMPTY : schema;
        this.analyzer = analyzer;
    }

    /** Parses a filter with the {@link TokenAnalyzer#standard() standard} token analyzer. */
    public static Filter parse(String text, Schema schema) {
        return parse(text, schema, TokenAnalyzer.standard());
    }

    public static Filter parse(String text, Schema schema, TokenAnalyzer analyzer) {
        return new SqlFilterParser(text, schema, analyzer).all();
    }

    private Filter all() {
        if (peek().kind() == Kind.EOF) throw expected("a filter expression", peek());
        Filter f = or(0);
        Token t = peek();
        if (t.kind() == Kind.RPAREN) throw new InvalidInputException("unbalanced ')' at position " + t.position());
        if (t.kind() != Kind.EOF) {
            throw new InvalidInputException("unexpected " + t.display() + " at position " + t.position()
                    + "; expected AND, OR or end of input");
        }
        if (depth(f) > FilterParser.MAX_DEPTH) {
            throw new InvalidInputException("filter nesting depth exceeds " + FilterParser.MAX_DEPTH);
        }
        return f;
    }

    private Filter or(int depth) {
        List<Filter> parts = new ArrayList<>();
        parts.add(and(depth));
        while (peek().isWord("OR")) {
            take();
            parts.add(and(depth));
        }
        return parts.size() == 1 ? parts.getFirst() : new Filter.Or(parts);
    }

    private Filter and(int depth) {
        List<Filter> parts = new ArrayList<>();
        parts.add(not(depth));
        while (peek().isWord("AND")) {
            take();
            parts.add(not(depth));
        }
        return parts.size() == 1 ? parts.getFirst() : new Filter.And(parts);
    }

    private Filter not(int depth) {
        Token t = peek();
        if (t.isWord("NOT")) {
            take();
            guard(depth + 1, t);
            return new Filter.Not(not(depth + 1));
        }
        if (t.kind() == Kind.LPAREN) {
            take();
            guard(depth + 1, t);
            Filter inner = or(depth + 1);
            Token close = take();
            if (close.kind() != Kind.RPAREN) {
                throw new InvalidInputException("expected ')' at position " + close.position() + " to close the '(' at "
                        + "position " + t.position() + "; found " + close.display());
            }
            return inner;
        }
        return comparison();
    }

    private Filter comparison() {
        Token name = take();
        boolean isName = name.kind() == Kind.NAME
                || name.kind() == Kind.WORD && !name.isWord("AND") && !name.isWord("OR") && !name.isWord("NOT");
        if (!isName) throw expected("an attribute name", name);
        int opIndex = next;
        Token opToken = take();
        FilterOp op;
        JsonNode value;
        if (opToken.kind() == Kind.OP) {
            op = switch (opToken.value()) {
                case "=" -> FilterOp.EQ;
                case "!=" -> FilterOp.NOT_EQ;
                case "<" -> FilterOp.LT;
                case "<=" -> FilterOp.LTE;
                case ">" -> FilterOp.GT;
                default -> FilterOp.GTE;
            };
            value = value(opToken.raw(), 0);
        } else if (opToken.isWord("IS")) {
            op = take(peek().isWord("NOT")) ? FilterOp.NOT_EQ : FilterOp.EQ;
            Token nul = take();
            if (!nul.isWord("NULL")) throw expected("NULL after IS" + (op == FilterOp.NOT_EQ ? " NOT" : ""), nul);
            value = JSON.nullNode();
        } else if (opToken.isWord("STARTSWITH")) {
            op = FilterOp.GLOB;
            Token prefix = take();
            if (prefix.kind() != Kind.STRING) throw expected("a string after STARTSWITH", prefix);
            value = JSON.textNode(GlobPattern.escape(prefix.value()) + "*");
        } else {
            op = keywordOp(opToken, name);
            value = value(wordsFrom(opIndex), 0);
        }
        try {
            return ConditionBuilder.build(name.value(), op, value, null, schema, analyzer);
        } catch (FilterProblem p) {
            throw p.at("at position " + name.position());
        }
    }

    /** The operators spelled with keywords, starting at {@code first} (already taken). */
    private FilterOp keywordOp(Token first, Token name) {
        if (first.isWord("IN")) return FilterOp.IN;
        if (first.isWord("GLOB")) return FilterOp.GLOB;
        if (first.isWord("IGLOB")) return FilterOp.IGLOB;
        if (first.isWord("REGEX")) return FilterOp.REGEX;
        if (first.isWord("CONTAINS")) {
            if (take(peek().isWord("ALL"))) {
                Token t = take();
                if (!t.isWord("TOKENS")) throw expected("TOKENS after CONTAINS ALL", t);
                return FilterOp.CONTAINS_ALL_TOKENS;
            }
            if (take(peek().isWord("ANY"))) {
                return take(peek().isWord("TOKEN")) ? FilterOp.CONTAINS_ANY_TOKEN : FilterOp.CONTAINS_ANY;
            }
            return FilterOp.CONTAINS;
        }
        if (first.isWord("NOT")) {
            Token t = take();
            if (t.isWord("IN")) return FilterOp.NOT_IN;
            if (t.isWord("GLOB")) return FilterOp.NOT_GLOB;
            if (t.isWord("IGLOB")) return FilterOp.NOT_IGLOB;
            if (t.isWord("CONTAINS")) return take(peek().isWord("ANY")) ? FilterOp.NOT_CONTAINS_ANY : FilterOp.NOT_CONTAINS;
            throw expected("IN, CONTAINS, CONTAINS ANY, GLOB or IGLOB after NOT", t);
        }
        throw new InvalidInputException("expected an operator after '" + name.value() + "' at position "
                + first.position() + "; found " + first.display() + "; operators are " + OPERATORS);
    }

    /** The tokens from {@code from} up to the next one, as written, for "expected a value after ..." messages. */
    private String wordsFrom(int from) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < next; k++) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(tokens.get(k).raw());
        }
        return sb.toString();
    }

    private JsonNode value(String after, int depth) {
        Token t = take();
        return switch (t.kind()) {
            case STRING -> JSON.textNode(t.value());
            case NUMBER -> t.number();
            case LBRACKET, LPAREN -> list(t, depth + 1);
            case WORD -> {
                if (t.isWord("TRUE")) yield JSON.booleanNode(true);
                if (t.isWord("FALSE")) yield JSON.booleanNode(false);
                if (t.isWord("NULL")) yield JSON.nullNode();
                throw expected("a value after '" + after + "'", t);
            }
            default -> throw expected("a value after '" + after + "'", t);
        };
    }

    private JsonNode list(Token open, int depth) {
        guard(depth, open);
        Kind close = open.kind() == Kind.LBRACKET ? Kind.RBRACKET : Kind.RPAREN;
        String closeText = close == Kind.RBRACKET ? "']'" : "')'";
        ArrayNode out = JSON.arrayNode();
        if (take(peek().kind() == close)) return out;
        String after = open.raw();
        while (true) {
            out.add(value(after, depth));
            Token t = take();
            if (t.kind() == close) return out;
            if (t.kind() != Kind.COMMA) throw expected("',' or " + closeText, t);
            after = ",";
        }
    }

    private void guard(int depth, Token at) {
        if (depth > FilterParser.MAX_DEPTH) {
            throw new InvalidInputException("filter nesting depth exceeds " + FilterParser.MAX_DEPTH
                    + " at position " + at.position());
        }
    }

    private static int depth(Filter f) {
        return switch (f) {
            case Filter.Condition c -> 1;
            case Filter.Not n -> 1 + depth(n.filter());
            case Filter.And a -> 1 + a.filters().stream().mapToInt(SqlFilterParser::depth).max().orElse(0);
            case Filter.Or o -> 1 + o.filters().stream().mapToInt(SqlFilterParser::depth).max().orElse(0);
        };
    }

    private Token peek() { return tokens.get(next); }

    private Token take() {
        Token t = tokens.get(next);
        if (t.kind() != Kind.EOF) next++;
        return t;
    }

    /** Takes the next token when {@code condition} holds; returns the condition. */
    private boolean take(boolean condition) {
        if (condition) take();
        return condition;
    }

    private static InvalidInputException expected(String what, Token found) {
        return new InvalidInputException("expected " + what + " at position " + found.position()
                + "; found " + found.display());
    }
}
