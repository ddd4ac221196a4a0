package io.lodestone.codec;

import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.doc.Schema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary form of attribute schemas, shared by the log and the manifest:
 * <pre>
 * attribute: string type | byte filterable | byte hasFts [string language | byte stemming | byte stopwords
 *            | byte caseSensitive | byte asciiFolding | double k1 | double b | string tokenizer]
 * schema:    varint count | (string name | attribute)*
 * </pre>
 */
public final class SchemaCodec {
    private SchemaCodec() {
    }

    public static void write(BytesWriter w, Schema schema) {
        w.writeVarInt(schema.attributes().size());
        for (Map.Entry<String, AttributeSchema> e : schema.attributes().entrySet()) {
            w.writeString(e.getKey());
            writeAttribute(w, e.getValue());
        }
    }

    public static Schema read(BytesReader r) {
        int n = r.readVarInt();
        Map<String, AttributeSchema> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) m.put(r.readString(), readAttribute(r));
        return new Schema(m);
    }

    public static void writeAttribute(BytesWriter w, AttributeSchema s) {
        w.writeString(s.type().wireName()).writeByte(s.filterable() ? 1 : 0);
        FullTextOptions f = s.fullTextSearch();
        w.writeByte(f == null ? 0 : 1);
        if (f != null) {
            w.writeString(f.language()).writeByte(f.stemming() ? 1 : 0).writeByte(f.removeStopwords() ? 1 : 0)
                    .writeByte(f.caseSensitive() ? 1 : 0).writeByte(f.asciiFolding() ? 1 : 0)
                    .writeDouble(f.k1()).writeDouble(f.b()).writeString(f.tokenizer());
        }
    }

    public static AttributeSchema readAttribute(BytesReader r) {
        AttributeType type = AttributeType.parse(r.readString());
        boolean filterable = r.readByte() == 1;
        FullTextOptions fts = null;
        if (r.readByte() == 1) {
            fts = new FullTextOptions(r.readString(), r.readByte() == 1, r.readByte() == 1, r.readByte() == 1,
                    r.readByte() == 1, r.readDouble(), r.readDouble(), r.readString());
        }
        return new AttributeSchema(type, filterable, fts);
    }
}
