package io.lodestone.segment;

import io.lodestone.codec.MappedFrame;
import io.lodestone.codec.ValueCodec;
import io.lodestone.doc.DocId;

import java.lang.foreign.MemorySegment;

/** The ids of a segment's rows, by row number ({@link SegmentDocsFile#ids()}). Thread-safe. */
public sealed interface SegmentIds {

    /** The id of {@code row}. */
    DocId id(int row);

    /** Rows. */
    int size();

    /** The first and last id of rows whose ids ascend with them. */
    record Range(DocId first, DocId last) {
    }

    /** The first and last id when every row's id is greater than the one before, else null. */
    default Range ascendingRange() {
        int n = size();
        if (n == 0) return null;
        DocId prev = id(0);
        for (int r = 1; r < n; r++) {
            DocId id = id(r);
            if (prev.compareTo(id) >= 0) return null;
            prev = id;
        }
        return new Range(id(0), prev);
    }

    /** Makes every id present (a reader about to read them all; ids held in memory always are). */
    default void ensureAll() {
    }

    /** Ids decoded into objects (any mix of kinds). */
    record Decoded(DocId[] ids) implements SegmentIds {
        @Override
        public DocId id(int row) {
            return ids[row];
        }

        @Override
        public int size() {
            return ids.length;
        }
    }

    /** Every id a u64: the encoded ids, fixed-width, each read when asked for (9 bytes a row on the heap). */
    record FixedU64(byte[] encoded) implements SegmentIds {
        @Override
        public DocId id(int row) {
            return new DocId.U64(ValueCodec.u64IdAt(encoded, ValueCodec.U64_ID_BYTES * row));
        }

        @Override
        public int size() {
            return encoded.length / ValueCodec.U64_ID_BYTES;
        }
    }

    /**
     * Every id a u64, each beside its row's offset in a docs file's row table (v4), read in place from the mapped file:
     * over ranged reads each is fetched when first read, or with the rows a query reads (the docs file's
     * {@code ensureIds} and {@code ensureOffsets}). Nothing is held on the heap.
     *
     * @param frame the docs file
     * @param body  its body
     * @param table where the row table starts in the body: row r's id is the int64 at {@code table + 16r + 8}
     * @param rows  rows
     * @param range the first and last id when the file says they ascend, else null
     */
    record Mapped(MappedFrame frame, MemorySegment body, long table, int rows, Range range) implements SegmentIds {
        @Override
        public DocId id(int row) {
            long at = idAt(java.util.Objects.checkIndex(row, rows));
            frame.ensure(at, 8);
            return new DocId.U64(body.get(MappedFrame.LONG, at));
        }

        private long idAt(int row) {
            return table + 16L * row + 8;
        }

        @Override
        public int size() {
            return rows;
        }

        @Override
        public Range ascendingRange() {
            return range;
        }

        @Override
        public void ensureAll() {
            frame.ensure(table, 16L * rows);
        }
    }
}
