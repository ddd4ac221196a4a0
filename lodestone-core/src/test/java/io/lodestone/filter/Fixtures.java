package io.lodestone.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.doc.Schema;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A schema, documents and parse helpers shared by the filter tests. */
final class Fixtures {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static final Schema SCHEMA = new Schema(Map.ofEntries(
            Map.entry("name", AttributeSchema.of(AttributeType.STRING)),
            Map.entry("count", AttributeSchema.of(AttributeType.INT)),
            Map.entry("n", AttributeSchema.of(AttributeType.UINT)),
            Map.entry("price", AttributeSchema.of(AttributeType.FLOAT)),
            Map.entry("active", AttributeSchema.of(AttributeType.BOOL)),
            Map.entry("ts", AttributeSchema.of(AttributeType.DATETIME)),
            Map.entry("uid", AttributeSchema.of(AttributeType.UUID)),
            Map.entry("tags", AttributeSchema.of(AttributeType.STRING_ARRAY)),
            Map.entry("nums", AttributeSchema.of(AttributeType.INT_ARRAY)),
            Map.entry("dates", AttributeSchema.of(AttributeType.DATETIME_ARRAY)),
            Map.entry("uids", AttributeSchema.of(AttributeType.UUID_ARRAY)),
            Map.entry("body", new AttributeSchema(AttributeType.STRING, false, FullTextOptions.defaults()))));

    private Fixtures() {}

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a JSON filter against {@link #SCHEMA}. */
    static Filter jf(String jsonText) {
        return FilterParser.parse(json(jsonText), SCHEMA);
    }

    /** Parses a SQL filter against {@link #SCHEMA}. */
    static Filter sf(String sql) {
        return SqlFilterParser.parse(sql, SCHEMA);
    }

    /** A document with a numeric id and attributes given as alternating name, value. */
    static Document doc(long id, Object... nameValues) {
        return doc(DocId.of(id), nameValues);
    }

    static Document doc(DocId id, Object... nameValues) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) attrs.put((String) nameValues[i], nameValues[i + 1]);
        return new Document(id, null, attrs);
    }
}
