package io.lodestone.doc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The attribute schema of a namespace: immutable, attribute name → {@link AttributeSchema}. */
public record Schema(Map<String, AttributeSchema> attributes) {

    public static final Schema EMPTY = new Schema(Map.of());

    public Schema {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public AttributeSchema get(String name) {
        return attributes.get(name);
    }

    /** A copy with {@code name} set to {@code attribute}. */
    public Schema with(String name, AttributeSchema attribute) {
        return withAll(Map.of(name, attribute));
    }

    /** A copy with every entry of {@code changes} set: one copy, whatever the number of changes. */
    public Schema withAll(Map<String, AttributeSchema> changes) {
        if (changes.isEmpty()) return this;
        Map<String, AttributeSchema> copy = new LinkedHashMap<>(attributes);
        copy.putAll(changes);
        return new Schema(copy);
    }
}
