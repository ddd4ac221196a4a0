package io.lodestone.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.doc.Schema;
import io.lodestone.filter.Filter;
import io.lodestone.filter.FilterParser;
import io.lodestone.filter.SqlFilterParser;
import io.lodestone.text.TextAnalyzers;

/**
 * A filter as the user gave it: JSON tuple form or a SQL-like string. It is bound to a schema only
 * when it runs, because the schema may change until then.
 */
public record FilterSpec(JsonNode json, String sql) {

    public static FilterSpec json(JsonNode json) {
        return new FilterSpec(json, null);
    }

    public static FilterSpec sql(String sql) {
        return new FilterSpec(null, sql);
    }

    /** Parses against the schema; throws {@link io.lodestone.doc.InvalidInputException} on bad filters. */
    public Filter bind(Schema schema) {
        var tokens = TextAnalyzers.tokenAnalyzer(schema);
        return sql != null ? SqlFilterParser.parse(sql, schema, tokens) : FilterParser.parse(json, schema, tokens);
    }
}
