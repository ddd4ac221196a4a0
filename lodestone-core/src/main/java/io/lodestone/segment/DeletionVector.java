package io.lodestone.segment;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.BytesWriter;
import io.lodestone.codec.CorruptObjectException;
import io.lodestone.codec.Frame;

import java.util.BitSet;

/**
 * The rows of a segment that newer writes replaced or deleted. Format {@code lodestone.segment.deletes} v1:
 * body {@code int32 rowCount | varint longCount | int64 words[longCount]} (a BitSet's words).
 */
public final class DeletionVector {
    static final String FORMAT = "lodestone.segment.deletes";

    private DeletionVector() {
    }

    public static byte[] encode(BitSet deleted, int rowCount) {
        long[] words = deleted.toLongArray();
        BytesWriter w = Frame.begin(FORMAT, 1, 16 + words.length * 8);
        w.writeInt(rowCount).writeVarInt(words.length);
        for (long x : words) w.writeLong(x);
        return Frame.finish(w);
    }

    public static BitSet decode(byte[] bytes, String source, int expectedRows) {
        BytesReader r = Frame.open(bytes, source, FORMAT, 1, 1).body();
        int rows = r.readInt();
        if (rows != expectedRows) throw new CorruptObjectException(source, "deletes for " + rows + " rows; segment has " + expectedRows);
        long[] words = new long[r.readVarInt()];
        for (int i = 0; i < words.length; i++) words[i] = r.readLong();
        return BitSet.valueOf(words);
    }
}
