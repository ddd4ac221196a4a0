package io.lodestone.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.lodestone.doc.AttributeSource;

import java.util.List;
import java.util.Objects;

/**
 * An immutable filter tree: {@link And}, {@link Or}, {@link Not} and {@link Condition} leaves. Build one with
 * {@link FilterParser} (turbopuffer JSON) or {@link SqlFilterParser} (SQL-like text), or directly.
 * Trees are values: equal trees are {@code equals}, and {@code FilterParser.parse(f.toJson(), schema)} equals
 * {@code f} for a tree parsed with the same schema (and the same {@link TokenAnalyzer} instance, when one was
 * given). Thread-safe.
 */
public sealed interface Filter permits Filter.And, Filter.Or, Filter.Not, Filter.Condition {

    /** Whether the document passes this filter. */
    boolean matches(AttributeSource doc);

    /** The canonical turbopuffer JSON form, e.g. {@code ["And", [["a", "Eq", 1], ["Not", ["b", "In", [2]]]]]}. */
    JsonNode toJson();

    static Filter and(Filter... filters) { return new And(List.of(filters)); }

    static Filter or(Filter... filters) { return new Or(List.of(filters)); }

    static Filter not(Filter filter) { return new Not(filter); }

    /** Matches when every filter matches; an empty And matches every document. */
    record And(List<Filter> filters) implements Filter {
        public And {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean matches(AttributeSource doc) {
            for (Filter f : filters) {
                if (!f.matches(doc)) return false;
            }
            return true;
        }

        @Override
        public JsonNode toJson() { return connective("And", filters); }
    }

    /** Matches when at least one filter matches; an empty Or matches no document. */
    record Or(List<Filter> filters) implements Filter {
        public Or {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean matches(AttributeSource doc) {
            for (Filter f : filters) {
                if (f.matches(doc)) return true;
            }
            return false;
        }

        @Override
        public JsonNode toJson() { return connective("Or", filters); }
    }

    /** Matches when {@code filter} does not. */
    record Not(Filter filter) implements Filter {
        public Not {
            Objects.requireNonNull(filter, "filter");
        }

        @Override
        public boolean matches(AttributeSource doc) { return !filter.matches(doc); }

        @Override
        public JsonNode toJson() {
            ArrayNode a = JsonNodeFactory.instance.arrayNode(2);
            a.add("Not");
            a.add(filter.toJson());
            return a;
        }
    }

    /**
     * One test of one attribute; {@code "id"} is the document id. The value is already converted to the
     * attribute's type: String, Long, Double, Boolean, UUID, Instant, {@link io.lodestone.doc.DocId} (for id),
     * a List of those (null elements allowed in In/NotIn), a {@link GlobPattern}, a {@link RegexPattern} or a
     * {@link TokenQuery}. The constructor accepts convenient forms (Integer, a String for a pattern or token
     * query, a long or String for an id) and converts them; it throws {@link IllegalArgumentException} for a
     * value the operator cannot take. See {@link FilterParser} for the semantics of each operator.
     */
    record Condition(String attribute, FilterOp op, Object value) implements Filter {
        public Condition {
            Objects.requireNonNull(attribute, "attribute");
            Objects.requireNonNull(op, "op");
            value = ConditionValues.normalize(attribute, op, value);
        }

        @Override
        public boolean matches(AttributeSource doc) { return ConditionValues.matches(this, doc); }

        @Override
        public JsonNode toJson() {
            ArrayNode a = JsonNodeFactory.instance.arrayNode(4);
            a.add(attribute);
            a.add(op.wireName());
            a.add(Values.toJson(value));
            if (value instanceof TokenQuery q && q.lastAsPrefix()) {
                a.addObject().put("last_as_prefix", true);
            }
            return a;
        }
    }

    private static JsonNode connective(String name, List<Filter> filters) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode(2);
        a.add(name);
        ArrayNode children = a.addArray();
        for (Filter f : filters) children.add(f.toJson());
        return a;
    }
}
