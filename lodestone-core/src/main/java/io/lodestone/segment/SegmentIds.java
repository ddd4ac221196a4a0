package io.lodestone.segment;

import io.lodestone.codec.ValueCodec;
import io.lodestone.doc.DocId;

/** The ids of a segment's rows, by row number ({@link SegmentDocsFile#ids()}). Thread-safe. */
sealed interface SegmentIds {

    /** The id of {@code row}. */
    DocId id(int row);

    /** Rows. */
    int size();

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
}
