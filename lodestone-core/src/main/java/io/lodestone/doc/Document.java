package io.lodestone.doc;

import java.util.Map;

/**
 * One document: id, optional vector and flat attributes (values as described in {@link AttributeType}).
 * Attribute maps are not copied; callers must not change them after handing them over.
 */
public record Document(DocId id, float[] vector, Map<String, Object> attributes) implements AttributeSource {

    public Document {
        if (id == null) throw new IllegalArgumentException("document id is required");
        attributes = attributes == null ? Map.of() : attributes;
    }

    /** Value of an attribute, or null when absent. {@code "id"} is the id itself. */
    @Override
    public Object attribute(String name) {
        return attributes.get(name);
    }
}
