package io.lodestone.codec;

import io.lodestone.doc.DocId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Binary encoding of ids and attribute values, tagged by value class. Tags are part of the WAL format. */
public final class ValueCodec {
    private static final int NULL = 0, STRING = 1, LONG = 2, DOUBLE = 3, UUID_TAG = 4, INSTANT = 5, BOOL = 6, LIST = 7;
    private static final int ID_U64 = 1, ID_UUID = 2, ID_STR = 3;
    /** Bytes of an encoded u64 id: its tag, then the value (little-endian). */
    public static final int U64_ID_BYTES = 9;
    private static final java.lang.invoke.VarHandle LE_LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * Whether {@code ids}, a sequence of encoded ids {@link #U64_ID_BYTES} bytes apart, holds u64 ids only: the first
     * starts with the u64 tag, so it ends where the second starts, and so on, so every tag checked is an id's.
     */
    public static boolean allU64Ids(byte[] ids) {
        if (ids.length % U64_ID_BYTES != 0) return false;
        for (int at = 0; at < ids.length; at += U64_ID_BYTES) {
            if (ids[at] != ID_U64) return false;
        }
        return true;
    }

    /** The value of the u64 id encoded at {@code offset} of {@code ids} (its tag checked by {@link #allU64Ids}). */
    public static long u64IdAt(byte[] ids, int offset) {
        return (long) LE_LONG.get(ids, offset + 1);
    }


    private ValueCodec() {
    }

    public static void writeId(BytesWriter w, DocId id) {
        switch (id) {
            case DocId.U64 u -> w.writeByte(ID_U64).writeLong(u.value());
            case DocId.Uuid u -> w.writeByte(ID_UUID).writeLong(u.value().getMostSignificantBits())
                    .writeLong(u.value().getLeastSignificantBits());
            case DocId.Str s -> w.writeByte(ID_STR).writeString(s.value());
        }
    }

    public static DocId readId(BytesReader r) {
        int tag = r.readByte();
        return switch (tag) {
            case ID_U64 -> new DocId.U64(r.readLong());
            case ID_UUID -> new DocId.Uuid(new UUID(r.readLong(), r.readLong()));
            case ID_STR -> new DocId.Str(r.readString());
            default -> throw new CorruptObjectException(r.source(), "unknown id tag " + tag + " at " + r.position());
        };
    }

    public static void writeValue(BytesWriter w, Object v) {
        switch (v) {
            case null -> w.writeByte(NULL);
            case String s -> w.writeByte(STRING).writeString(s);
            case Long l -> w.writeByte(LONG).writeLong(l);
            case Double d -> w.writeByte(DOUBLE).writeDouble(d);
            case UUID u -> w.writeByte(UUID_TAG).writeLong(u.getMostSignificantBits()).writeLong(u.getLeastSignificantBits());
            case Instant t -> w.writeByte(INSTANT).writeLong(t.getEpochSecond()).writeVarInt(t.getNano());
            case Boolean b -> w.writeByte(BOOL).writeByte(b ? 1 : 0);
            case List<?> list -> {
                w.writeByte(LIST).writeVarInt(list.size());
                for (Object e : list) writeValue(w, e);
            }
            default -> throw new IllegalArgumentException("unsupported attribute value class " + v.getClass().getName());
        }
    }

    public static Object readValue(BytesReader r) {
        int tag = r.readByte();
        return switch (tag) {
            case NULL -> null;
            case STRING -> r.readString();
            case LONG -> r.readLong();
            case DOUBLE -> r.readDouble();
            case UUID_TAG -> new UUID(r.readLong(), r.readLong());
            case INSTANT -> Instant.ofEpochSecond(r.readLong(), r.readVarInt());
            case BOOL -> r.readByte() != 0;
            case LIST -> {
                int n = r.readVarInt();
                List<Object> list = new ArrayList<>(Math.min(n, 1 << 16));
                for (int i = 0; i < n; i++) list.add(readValue(r));
                yield List.copyOf(list);
            }
            default -> throw new CorruptObjectException(r.source(), "unknown value tag " + tag + " at " + r.position());
        };
    }

    public static void writeAttributes(BytesWriter w, Map<String, Object> attrs) {
        w.writeVarInt(attrs.size());
        for (Map.Entry<String, Object> e : attrs.entrySet()) {
            w.writeString(e.getKey());
            writeValue(w, e.getValue());
        }
    }

    public static Map<String, Object> readAttributes(BytesReader r) {
        int n = r.readVarInt();
        Map<String, Object> attrs = new LinkedHashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            String k = r.readString();
            attrs.put(k, readValue(r));
        }
        return attrs;
    }
}
