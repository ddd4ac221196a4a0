package io.lodestone.engine;

import io.lodestone.doc.AttributeSource;
import io.lodestone.doc.DocId;

import java.util.Map;

/** One row of a {@link DocSource} as filters see it; attributes are read once, on first use. */
final class SourceRow implements AttributeSource {
    private final DocSource source;
    private final int row;
    private Map<String, Object> attributes;

    SourceRow(DocSource source, int row) {
        this.source = source;
        this.row = row;
    }

    @Override
    public DocId id() {
        return source.id(row);
    }

    @Override
    public Object attribute(String name) {
        if (attributes == null) attributes = source.attributes(row);
        return attributes.get(name);
    }
}
