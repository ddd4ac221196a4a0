package io.lodestone.segment;

import io.lodestone.codec.MappedFrame;
import io.lodestone.codec.ValueCodec;
import io.lodestone.doc.DocId;

import java.lang.foreign.MemorySegment;

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

    /** Every id a u64: fixed-width entries of the mapped region, each read when asked for. */
    record FixedU64(MemorySegment region, int size) implements SegmentIds {
        @Override
        public DocId id(int row) {
            return new DocId.U64(region.get(MappedFrame.LONG, (long) ValueCodec.U64_ID_BYTES * row + 1));
        }
    }
}
