package io.lodestone.wal;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.BytesWriter;
import io.lodestone.codec.CorruptObjectException;
import io.lodestone.codec.Frame;
import io.lodestone.codec.SchemaCodec;
import io.lodestone.codec.ValueCodec;
import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.Document;
import io.lodestone.codec.IndexConfigCodec;
import io.lodestone.doc.IndexConfig;
import io.lodestone.vector.DistanceMetric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes {@link WalEntry} objects, format {@code lodestone.wal} versions 1 to 3 (2 adds the
 * index settings to each batch, 3 the index type).
 *
 * <pre>
 * body:  varlong seq | int64 timestampMillis | varint batchCount | batch*
 * batch: byte hasMetric [string metric] | varint schemaCount (string name | schema)* | varint opCount | op*
 *        | v2: byte hasIndex [varint m | varint efConstruction | string quantization | v3: string type]
 * schema: attribute schema as SchemaCodec writes it
 * op:    byte kind, then
 *        1 upsert: id | varint dims [float32 * dims] | attributes
 *        2 patch:  id | attributes
 *        3 delete: id
 *        4 delete-by-filter: string filterJson
 *        5 patch-by-filter:  string filterJson | attributes
 * </pre>
 * An entry with no batches marks the namespace deleted ({@link WalEntry#namespaceDeleted}).
 * Ids and values use {@link ValueCodec}'s tags. Metric names are their wire names, never ordinals.
 */
public final class WalCodec {
    static final String FORMAT = "lodestone.wal";
    static final int VERSION_START = 1;
    static final int VERSION_CURRENT = 3;
    private static final int UPSERT = 1, PATCH = 2, DELETE = 3, DELETE_BY_FILTER = 4, PATCH_BY_FILTER = 5;

    private WalCodec() {
    }

    public static byte[] encode(WalEntry entry) {
        BytesWriter w = Frame.begin(FORMAT, VERSION_CURRENT, estimate(entry));
        w.writeVarLong(entry.seq()).writeLong(entry.timestampMillis()).writeVarInt(entry.batches().size());
        for (WriteBatch b : entry.batches()) writeBatch(w, b);
        return Frame.finish(w);
    }

    public static WalEntry decode(byte[] bytes, String source) {
        Frame.Opened opened = Frame.open(bytes, source, FORMAT, VERSION_START, VERSION_CURRENT);
        BytesReader r = opened.body();
        int version = opened.version();
        long seq = r.readVarLong();
        long ts = r.readLong();
        int n = r.readVarInt();
        List<WriteBatch> batches = new ArrayList<>(n);
        for (int i = 0; i < n; i++) batches.add(readBatch(r, version));
        if (r.hasRemaining()) throw new CorruptObjectException(source, "trailing bytes at offset " + r.position());
        return new WalEntry(seq, ts, batches);
    }

    private static int estimate(WalEntry e) {
        long bytes = 64;
        for (WriteBatch b : e.batches()) {
            for (WriteOp op : b.ops()) {
                bytes += 48;
                if (op instanceof WriteOp.Upsert u && u.document().vector() != null) bytes += 4L * u.document().vector().length;
            }
        }
        return (int) Math.min(bytes, Integer.MAX_VALUE / 2);
    }

    private static void writeBatch(BytesWriter w, WriteBatch b) {
        w.writeByte(b.metric() == null ? 0 : 1);
        if (b.metric() != null) w.writeString(b.metric().wireName());
        w.writeVarInt(b.schemaChanges().size());
        for (Map.Entry<String, AttributeSchema> e : b.schemaChanges().entrySet()) {
            w.writeString(e.getKey());
            SchemaCodec.writeAttribute(w, e.getValue());
        }
        w.writeVarInt(b.ops().size());
        for (WriteOp op : b.ops()) writeOp(w, op);
        w.writeByte(b.index() == null ? 0 : 1);
        if (b.index() != null) {
            IndexConfigCodec.write(w, b.index());
        }
    }

    private static WriteBatch readBatch(BytesReader r, int version) {
        DistanceMetric metric = r.readByte() == 1 ? DistanceMetric.parse(r.readString()) : null;
        int ns = r.readVarInt();
        Map<String, AttributeSchema> schema = new LinkedHashMap<>();
        for (int i = 0; i < ns; i++) schema.put(r.readString(), SchemaCodec.readAttribute(r));
        int nOps = r.readVarInt();
        List<WriteOp> ops = new ArrayList<>(nOps);
        for (int i = 0; i < nOps; i++) ops.add(readOp(r));
        IndexConfig index = version >= 2 && r.readByte() == 1 ? IndexConfigCodec.read(r, version >= 3) : null;
        return new WriteBatch(metric, schema, ops, index);
    }

    private static void writeOp(BytesWriter w, WriteOp op) {
        switch (op) {
            case WriteOp.Upsert u -> {
                Document d = u.document();
                w.writeByte(UPSERT);
                ValueCodec.writeId(w, d.id());
                if (d.vector() == null) {
                    w.writeVarInt(0);
                } else {
                    w.writeVarInt(d.vector().length).writeFloats(d.vector());
                }
                ValueCodec.writeAttributes(w, d.attributes());
            }
            case WriteOp.Patch p -> {
                w.writeByte(PATCH);
                ValueCodec.writeId(w, p.id());
                ValueCodec.writeAttributes(w, p.attributes());
            }
            case WriteOp.Delete d -> {
                w.writeByte(DELETE);
                ValueCodec.writeId(w, d.id());
            }
            case WriteOp.DeleteByFilter f -> w.writeByte(DELETE_BY_FILTER).writeString(f.filterJson());
            case WriteOp.PatchByFilter f -> {
                w.writeByte(PATCH_BY_FILTER).writeString(f.filterJson());
                ValueCodec.writeAttributes(w, f.attributes());
            }
        }
    }

    private static WriteOp readOp(BytesReader r) {
        int kind = r.readByte();
        return switch (kind) {
            case UPSERT -> {
                var id = ValueCodec.readId(r);
                int dims = r.readVarInt();
                float[] vector = dims == 0 ? null : r.readFloats(dims);
                yield new WriteOp.Upsert(new Document(id, vector, ValueCodec.readAttributes(r)));
            }
            case PATCH -> new WriteOp.Patch(ValueCodec.readId(r), ValueCodec.readAttributes(r));
            case DELETE -> new WriteOp.Delete(ValueCodec.readId(r));
            case DELETE_BY_FILTER -> new WriteOp.DeleteByFilter(r.readString());
            case PATCH_BY_FILTER -> new WriteOp.PatchByFilter(r.readString(), ValueCodec.readAttributes(r));
            default -> throw new CorruptObjectException(r.source(), "unknown op kind " + kind + " at " + r.position());
        };
    }
}
