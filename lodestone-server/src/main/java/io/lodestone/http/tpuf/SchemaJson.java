package io.lodestone.http.tpuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.doc.Schema;
import io.lodestone.http.JsonValues;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The turbopuffer schema shape: {@code {attr: "type" | {type, filterable, full_text_search}}}. */
final class SchemaJson {
    private static final Set<String> ATTRIBUTE_KEYS = Set.of("type", "filterable", "full_text_search");
    private static final Set<String> FTS_KEYS = Set.of("language", "stemming", "remove_stopwords", "case_sensitive",
            "ascii_folding", "k1", "b", "tokenizer");

    private SchemaJson() {
    }

    static Map<String, AttributeSchema> parse(JsonNode n) {
        JsonValues.object(n, "schema");
        Map<String, AttributeSchema> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) out.put(e.getKey(), attribute(e.getKey(), e.getValue()));
        return out;
    }

    private static AttributeSchema attribute(String name, JsonNode n) {
        if (n.isTextual()) return AttributeSchema.of(type(name, n.textValue()));
        JsonValues.object(n, "schema of '" + name + "'");
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!ATTRIBUTE_KEYS.contains(e.getKey())) {
                throw new InvalidInputException("schema of '" + name + "': unknown key '" + e.getKey() + "'; expected " + ATTRIBUTE_KEYS);
            }
        }
        JsonNode t = n.get("type");
        if (t == null || !t.isTextual()) throw new InvalidInputException("schema of '" + name + "' needs a \"type\" string");
        FullTextOptions fts = fullText(name, n.get("full_text_search"));
        JsonNode f = n.get("filterable");
        if (f != null && !f.isBoolean()) throw new InvalidInputException("schema of '" + name + "': filterable must be true or false");
        boolean filterable = f != null ? f.booleanValue() : fts == null;
        return new AttributeSchema(type(name, t.textValue()), filterable, fts);
    }

    private static AttributeType type(String name, String t) {
        try {
            return AttributeType.parse(t);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("schema of '" + name + "': " + e.getMessage());
        }
    }

    private static FullTextOptions fullText(String name, JsonNode n) {
        if (n == null || n.isNull() || (n.isBoolean() && !n.booleanValue())) return null;
        FullTextOptions d = FullTextOptions.defaults();
        if (n.isBoolean()) return d;
        JsonValues.object(n, "full_text_search of '" + name + "'");
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!FTS_KEYS.contains(e.getKey())) {
                throw new InvalidInputException("full_text_search of '" + name + "': unknown key '" + e.getKey() + "'; expected " + FTS_KEYS);
            }
        }
        return new FullTextOptions(text(n, "language", d.language()), bool(n, "stemming", d.stemming()),
                bool(n, "remove_stopwords", d.removeStopwords()), bool(n, "case_sensitive", d.caseSensitive()),
                bool(n, "ascii_folding", d.asciiFolding()), number(n, "k1", d.k1()), number(n, "b", d.b()),
                text(n, "tokenizer", d.tokenizer()));
    }

    private static String text(JsonNode n, String key, String dflt) {
        JsonNode v = n.get(key);
        if (v == null) return dflt;
        if (!v.isTextual()) throw new InvalidInputException("full_text_search." + key + " must be a string; got " + v);
        return v.textValue();
    }

    private static boolean bool(JsonNode n, String key, boolean dflt) {
        JsonNode v = n.get(key);
        if (v == null) return dflt;
        if (!v.isBoolean()) throw new InvalidInputException("full_text_search." + key + " must be true or false; got " + v);
        return v.booleanValue();
    }

    private static double number(JsonNode n, String key, double dflt) {
        JsonNode v = n.get(key);
        if (v == null) return dflt;
        if (!v.isNumber() || v.doubleValue() < 0) throw new InvalidInputException("full_text_search." + key + " must be a non-negative number; got " + v);
        return v.doubleValue();
    }

    /** Renders a schema as turbopuffer does, with the vector attribute ({@code [dims]f32}) when there is one. */
    static ObjectNode render(Schema schema, int dims) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (dims > 0) out.putObject("vector").put("type", "[" + dims + "]f32").put("ann", true);
        schema.attributes().forEach((name, s) -> {
            ObjectNode a = out.putObject(name);
            a.put("type", s.type().wireName());
            a.put("filterable", s.filterable());
            FullTextOptions f = s.fullTextSearch();
            if (f == null) {
                a.put("full_text_search", false);
            } else {
                ObjectNode o = a.putObject("full_text_search");
                o.put("language", f.language()).put("stemming", f.stemming()).put("remove_stopwords", f.removeStopwords())
                        .put("case_sensitive", f.caseSensitive()).put("ascii_folding", f.asciiFolding())
                        .put("k1", f.k1()).put("b", f.b()).put("tokenizer", f.tokenizer());
            }
        });
        return out;
    }
}
