package io.lodestone.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;
import io.lodestone.doc.Schema;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Random filters, each rendered both as turbopuffer JSON and as SQL text, and random documents whose values come
 * from the same small domains, so that filters match some documents and not others.
 */
final class RandomFilters {

    static final Schema SCHEMA = new Schema(Map.of(
            "s", AttributeSchema.of(AttributeType.STRING), "i", AttributeSchema.of(AttributeType.INT),
            "f", AttributeSchema.of(AttributeType.FLOAT), "b", AttributeSchema.of(AttributeType.BOOL),
            "t", AttributeSchema.of(AttributeType.DATETIME), "u", AttributeSchema.of(AttributeType.UUID),
            "ss", AttributeSchema.of(AttributeType.STRING_ARRAY), "ii", AttributeSchema.of(AttributeType.INT_ARRAY)));

    static final String[] STRINGS = {"", "a", "ab", "b", "B", "a*b", "it's", "say \"hi\"", "é", "x y", "a\\b", "A b,c"};
    static final double[] FLOATS = {-1.5, 0.0, 0.5, 2.0, 3.0, 1e3};
    static final Instant[] INSTANTS = {Instant.parse("2024-03-01T00:00:00Z"), Instant.parse("2024-03-01T12:00:00Z"),
            Instant.parse("2023-12-31T23:59:59.999Z"), Instant.EPOCH};
    static final UUID[] UUIDS = {UUID.fromString("3d7a7296-3d6a-4796-8fb0-f90406b1f621"),
            UUID.fromString("92ef7c95-a212-43a4-ae4e-0ebc96a65764"), UUID.fromString("00000000-0000-0000-0000-000000000001")};
    static final String[] GLOB_PIECES = {"a", "b", "*", "?", "[ab]", "[!a]", "[a-c]", "{a,b}", "\\*", "é", "'", " "};
    static final String[] REGEXES = {"a", "^a", "b$", "^$", "a.b", "(?i)^A", "[ab]+", "\\s", "é|x", "'"};
    static final String[] WORDS = {"a", "b", "x", "y", "A", "it's", "é", "c"};

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A filter in both syntaxes. */
    record Spec(JsonNode json, String sql) {}

    private final Random r;

    RandomFilters(Random random) { this.r = random; }

    Spec filter(int depth) {
        int kind = depth >= 4 ? 0 : r.nextInt(6);
        if (kind <= 2) return condition();
        if (kind == 3) {
            Spec child = filter(depth + 1);
            return new Spec(JSON.arrayNode().add("Not").add(child.json()), keyword("NOT") + " " + child.sql());
        }
        String name = kind == 4 ? "And" : "Or";
        int n = 2 + r.nextInt(3);
        ArrayNode children = JSON.arrayNode();
        List<String> sql = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Spec c = filter(depth + 1);
            children.add(c.json());
            sql.add(c.sql());
        }
        return new Spec(JSON.arrayNode().add(name).add(children),
                "(" + String.join(" " + keyword(name.toUpperCase(Locale.ROOT)) + " ", sql) + ")");
    }

    private Spec condition() {
        String attr = pick(new String[]{"s", "i", "f", "b", "t", "u", "ss", "ii", "x", "id"});
        return switch (attr) {
            case "s" -> stringCondition(attr, false);
            case "ss" -> stringCondition(attr, true);
            case "i", "f" -> scalarCondition(attr, this::number, true);
            case "b" -> scalarCondition(attr, () -> JSON.booleanNode(r.nextBoolean()), false);
            case "t" -> scalarCondition(attr, this::datetime, true);
            case "u" -> scalarCondition(attr, () -> JSON.textNode(uuidText()), true);
            case "ii" -> arrayCondition(attr, this::number);
            case "id" -> scalarCondition(attr, () -> r.nextBoolean() ? JSON.numberNode(r.nextInt(6))
                    : JSON.textNode(pick(new String[]{"a", "b", "doc-1"})), true);
            default -> scalarCondition(attr, this::number, true); // "x": in no schema and no document
        };
    }

    private Spec scalarCondition(String attr, Supplier<JsonNode> value, boolean ordered) {
        int k = r.nextInt(ordered ? 4 : 3);
        if (k == 0) return cond(attr, r.nextBoolean() ? FilterOp.EQ : FilterOp.NOT_EQ, r.nextInt(5) == 0 ? JSON.nullNode() : value.get());
        if (k == 1 || k == 2) {
            ArrayNode list = JSON.arrayNode();
            for (int n = r.nextInt(4); n > 0; n--) list.add(r.nextInt(6) == 0 ? JSON.nullNode() : value.get());
            return cond(attr, k == 1 ? FilterOp.IN : FilterOp.NOT_IN, list);
        }
        return cond(attr, pick(new FilterOp[]{FilterOp.LT, FilterOp.LTE, FilterOp.GT, FilterOp.GTE}), value.get());
    }

    private Spec arrayCondition(String attr, Supplier<JsonNode> element) {
        Supplier<JsonNode> array = () -> {
            ArrayNode a = JSON.arrayNode();
            for (int n = r.nextInt(3); n > 0; n--) a.add(element.get());
            return a;
        };
        return switch (r.nextInt(4)) {
            case 0 -> cond(attr, r.nextBoolean() ? FilterOp.EQ : FilterOp.NOT_EQ, r.nextInt(5) == 0 ? JSON.nullNode() : array.get());
            case 1 -> {
                ArrayNode list = JSON.arrayNode();
                for (int n = r.nextInt(3); n > 0; n--) list.add(array.get());
                yield cond(attr, r.nextBoolean() ? FilterOp.IN : FilterOp.NOT_IN, list);
            }
            case 2 -> cond(attr, r.nextBoolean() ? FilterOp.CONTAINS : FilterOp.NOT_CONTAINS, element.get());
            default -> cond(attr, r.nextBoolean() ? FilterOp.CONTAINS_ANY : FilterOp.NOT_CONTAINS_ANY, array.get());
        };
    }

    private Spec stringCondition(String attr, boolean array) {
        int k = r.nextInt(5);
        if (k == 0) return array ? arrayCondition(attr, this::string) : scalarCondition(attr, this::string, true);
        if (k == 1) {
            StringBuilder g = new StringBuilder();
            for (int n = 1 + r.nextInt(4); n > 0; n--) g.append(pick(GLOB_PIECES));
            FilterOp op = pick(new FilterOp[]{FilterOp.GLOB, FilterOp.NOT_GLOB, FilterOp.IGLOB, FilterOp.NOT_IGLOB});
            return cond(attr, op, JSON.textNode(g.toString()));
        }
        if (k == 2) return cond(attr, FilterOp.REGEX, JSON.textNode(pick(REGEXES)));
        if (k == 3) {
            String prefix = pick(new String[]{"", "a", "a*", "it", "x y", "\\"});
            String sql = attr + " " + keyword("STARTSWITH") + " " + sqlString(prefix);
            return new Spec(JSON.arrayNode().add(attr).add("Glob").add(GlobPattern.escape(prefix) + "*"), sql);
        }
        List<String> words = new ArrayList<>();
        for (int n = r.nextInt(3); n > 0; n--) words.add(pick(WORDS));
        FilterOp op = r.nextBoolean() ? FilterOp.CONTAINS_ALL_TOKENS : FilterOp.CONTAINS_ANY_TOKEN;
        return cond(attr, op, JSON.textNode(String.join(pick(new String[]{" ", ", ", "-"}), words)));
    }

    private Spec cond(String attr, FilterOp op, JsonNode value) {
        String name = r.nextInt(4) == 0 ? "`" + attr + "`" : attr;
        String sqlValue = sql(value);
        String sql = switch (op) {
            case EQ -> value.isNull() && r.nextBoolean() ? keyword("IS NULL") : (r.nextBoolean() ? "= " : "== ") + sqlValue;
            case NOT_EQ -> value.isNull() && r.nextBoolean() ? keyword("IS NOT NULL") : (r.nextBoolean() ? "!= " : "<> ") + sqlValue;
            case LT -> "< " + sqlValue;
            case LTE -> "<= " + sqlValue;
            case GT -> "> " + sqlValue;
            case GTE -> ">= " + sqlValue;
            case IN -> keyword("IN") + " " + sqlValue;
            case NOT_IN -> keyword("NOT IN") + " " + sqlValue;
            case CONTAINS -> keyword("CONTAINS") + " " + sqlValue;
            case NOT_CONTAINS -> keyword("NOT CONTAINS") + " " + sqlValue;
            case CONTAINS_ANY -> keyword("CONTAINS ANY") + " " + sqlValue;
            case NOT_CONTAINS_ANY -> keyword("NOT CONTAINS ANY") + " " + sqlValue;
            case GLOB -> keyword("GLOB") + " " + sqlValue;
            case NOT_GLOB -> keyword("NOT GLOB") + " " + sqlValue;
            case IGLOB -> keyword("IGLOB") + " " + sqlValue;
            case NOT_IGLOB -> keyword("NOT IGLOB") + " " + sqlValue;
            case REGEX -> keyword("REGEX") + " " + sqlValue;
            case CONTAINS_ALL_TOKENS -> keyword("CONTAINS ALL TOKENS") + " " + sqlValue;
            case CONTAINS_ANY_TOKEN -> keyword("CONTAINS ANY TOKEN") + " " + sqlValue;
        };
        return new Spec(JSON.arrayNode().add(attr).add(op.wireName()).add(value), name + " " + sql);
    }

    /** SQL text of a JSON literal. */
    private String sql(JsonNode v) {
        if (v.isNull()) return keyword("NULL");
        if (v.isBoolean()) return keyword(v.booleanValue() ? "TRUE" : "FALSE");
        if (v.isTextual()) return sqlString(v.textValue());
        if (v.isNumber()) return v.toString();
        boolean brackets = r.nextBoolean();
        List<String> parts = new ArrayList<>();
        for (JsonNode e : v) parts.add(sql(e));
        String joined = String.join(r.nextBoolean() ? ", " : ",", parts);
        return brackets ? "[" + joined + "]" : "(" + joined + ")";
    }

    private String sqlString(String s) {
        char q = r.nextBoolean() ? '\'' : '"';
        StringBuilder sb = new StringBuilder().append(q);
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == q) {
                sb.append(r.nextBoolean() ? "\\" + q : "" + q + q);
            } else if (c == '\\') {
                sb.append("\\\\");
            } else if (r.nextInt(10) == 0) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(q).toString();
    }

    /** A keyword in random letter case. */
    private String keyword(String k) {
        return switch (r.nextInt(3)) {
            case 0 -> k;
            case 1 -> k.toLowerCase(Locale.ROOT);
            default -> k.charAt(0) + k.substring(1).toLowerCase(Locale.ROOT);
        };
    }

    private JsonNode number() {
        return r.nextBoolean() ? JSON.numberNode(r.nextInt(7) - 3L) : JSON.numberNode(pick(FLOATS));
    }

    private JsonNode string() { return JSON.textNode(pick(STRINGS)); }

    private JsonNode datetime() {
        Instant t = pick(INSTANTS);
        return switch (r.nextInt(4)) {
            case 0 -> JSON.numberNode(t.toEpochMilli());
            case 1 -> JSON.textNode(t.toString());
            case 2 -> JSON.textNode(t.atOffset(ZoneOffset.ofHours(-4)).toString());
            default -> JSON.textNode(t.toString().replace('T', ' ').replace("Z", ""));
        };
    }

    private String uuidText() {
        String u = pick(UUIDS).toString();
        return r.nextBoolean() ? u : u.toUpperCase(Locale.ROOT);
    }

    /** A document whose attributes are each present with probability 0.7. */
    Document document() {
        Map<String, Object> a = new LinkedHashMap<>();
        maybe(a, "s", () -> pick(STRINGS));
        maybe(a, "i", () -> (long) (r.nextInt(7) - 3));
        maybe(a, "f", () -> r.nextBoolean() ? pick(FLOATS) : (double) (r.nextInt(7) - 3));
        maybe(a, "b", r::nextBoolean);
        maybe(a, "t", () -> pick(INSTANTS));
        maybe(a, "u", () -> pick(UUIDS));
        maybe(a, "ss", () -> list(() -> pick(STRINGS)));
        maybe(a, "ii", () -> list(() -> (long) (r.nextInt(7) - 3)));
        DocId id = r.nextInt(4) == 0 ? DocId.of(pick(new String[]{"a", "b", "doc-1", "zz"})) : DocId.of(r.nextInt(6));
        return new Document(id, null, a);
    }

    private void maybe(Map<String, Object> attrs, String name, Supplier<Object> value) {
        if (r.nextInt(10) < 7) attrs.put(name, value.get());
    }

    private List<Object> list(Supplier<Object> element) {
        List<Object> out = new ArrayList<>();
        for (int n = r.nextInt(4); n > 0; n--) out.add(element.get());
        return out;
    }

    private <T> T pick(T[] options) { return options[r.nextInt(options.length)]; }

    private double pick(double[] options) { return options[r.nextInt(options.length)]; }
}
