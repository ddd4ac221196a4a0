package io.lodestone.engine;

import io.lodestone.doc.AttributeSource;
import io.lodestone.doc.DocId;

/** A row of a {@link DocTable} seen as an {@link AttributeSource}, without copying it. */
record RowSource(DocTable table, int row) implements AttributeSource {
    @Override
    public DocId id() {
        return table.id(row);
    }

    @Override
    public Object attribute(String name) {
        return table.attributes(row).get(name);
    }
}
