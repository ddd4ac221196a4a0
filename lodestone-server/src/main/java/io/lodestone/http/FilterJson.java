package io.lodestone.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.engine.FilterSpec;

/** A filter field of a request: JSON tuple form, or a string in the SQL-like syntax. */
public final class FilterJson {
    private FilterJson() {
    }

    public static FilterSpec spec(JsonNode n, String field) {
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return FilterSpec.sql(n.textValue());
        if (n.isArray()) return FilterSpec.json(n);
        throw new InvalidInputException(field + " must be a filter array like [\"attr\", \"Eq\", value] or a string; got "
                + JsonValues.abbreviate(n));
    }
}
