package io.lodestone.codec;

import io.lodestone.doc.IndexConfig;

/**
 * The one encoding of {@link IndexConfig}, shared by the log and the manifest:
 * {@code varint m | varint efConstruction | string quantization}, then (from the formats that carry it)
 * {@code string type}. Formats older than the type field mean HNSW.
 */
public final class IndexConfigCodec {
    private IndexConfigCodec() {
    }

    public static void write(BytesWriter w, IndexConfig index) {
        w.writeVarInt(index.m()).writeVarInt(index.efConstruction()).writeString(index.quantization()).writeString(index.type());
    }

    /** Reads a config; {@code withType} false for formats written before the type field (HNSW). */
    public static IndexConfig read(BytesReader r, boolean withType) {
        int m = r.readVarInt();
        int efc = r.readVarInt();
        String quantization = r.readString();
        String type = withType ? r.readString() : IndexConfig.HNSW;
        try {
            return new IndexConfig(m, efc, quantization, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("index settings: " + e.getMessage(), e);
        }
    }
}
