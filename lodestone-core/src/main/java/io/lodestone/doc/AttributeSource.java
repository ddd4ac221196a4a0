package io.lodestone.doc;

/** Read access to a document's id and attributes, as filters and ordering see it. */
public interface AttributeSource {

    DocId id();

    /** Value of the attribute (see {@link AttributeType} for classes), or null when absent. */
    Object attribute(String name);
}
