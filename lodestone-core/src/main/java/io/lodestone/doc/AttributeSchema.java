package io.lodestone.doc;

/**
 * Schema of one attribute.
 *
 * @param type            value type
 * @param filterable      whether filters may use it (turbopuffer default: true, false for full-text attributes)
 * @param fullTextSearch  full-text options, or null when the attribute is not full-text indexed
 */
public record AttributeSchema(AttributeType type, boolean filterable, FullTextOptions fullTextSearch) {

    public static AttributeSchema of(AttributeType type) {
        return new AttributeSchema(type, true, null);
    }
}
