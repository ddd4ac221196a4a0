package io.lodestone.segment;

import io.lodestone.codec.Residency;
import io.lodestone.doc.DocId;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(Seeded.class)
class TestSegmentIds {

    /** Every id of {@code ids}, in row order. */
    static List<DocId> all(SegmentIds ids) {
        List<DocId> out = new ArrayList<>(ids.size());
        for (int r = 0; r < ids.size(); r++) out.add(ids.id(r));
        return out;
    }

    /** Writes {@code ids} (row i with attribute n = i), reopens the file and checks the ids read back and their kind. */
    private static void assertReadBack(Path dir, List<DocId> ids, Class<? extends SegmentIds> kind) throws IOException {
        assertReadBack(dir, ids, kind, SegmentDocsFile.VERSION);
    }

    private static void assertReadBack(Path dir, List<DocId> ids, Class<? extends SegmentIds> kind, int version) throws IOException {
        Path file = dir.resolve("docs-v" + version);
        try (SegmentDocsFile.Writer w = new SegmentDocsFile.Writer(file, version)) {
            for (int i = 0; i < ids.size(); i++) w.add(ids.get(i), Map.of("n", (long) i));
            w.finish();
        }
        try (SegmentDocsFile docs = SegmentDocsFile.open(file, Residency.COMPLETE, "docs")) {
            SegmentIds read = docs.ids();
            assertThat(read).isInstanceOf(kind);
            assertThat(all(read)).isEqualTo(ids);
            assertThat(docs.attributes(ids.size() - 1)).isEqualTo(Map.of("n", ids.size() - 1L)); // attributes where they were
        }
    }

    @Test
    void u64IdsAreReadInPlaceAndEqualWhatWasWritten(Random r, @TempDir Path dir) throws IOException {
        List<DocId> ids = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) ids.add(DocId.of(r.nextLong() & Long.MAX_VALUE));
        ids.add(DocId.of(Long.MAX_VALUE));
        ids.add(DocId.of(0));
        assertReadBack(dir, ids, SegmentIds.Mapped.class);
        assertReadBack(dir, ids, SegmentIds.FixedU64.class, 3);
    }

    /** Writes {@code ids} as a docs file of the current version and returns its path. */
    private static Path written(Path dir, String name, List<DocId> ids) throws IOException {
        Path file = dir.resolve(name);
        try (SegmentDocsFile.Writer w = new SegmentDocsFile.Writer(file)) {
            for (int i = 0; i < ids.size(); i++) w.add(ids.get(i), Map.of("n", (long) i));
            w.finish();
        }
        return file;
    }

    @Test
    void anOpenOverRangesReadsNoU64IdAndEachIdIsFetchedWhenRead(Random r, @TempDir Path dir) throws IOException {
        List<DocId> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) ids.add(DocId.of(r.nextLong() & Long.MAX_VALUE));
        Path file = written(dir, "docs", ids);
        FileExtent extent = FileExtent.measure("docs", file, (f, residency) -> SegmentDocsFile.open(f, residency, "docs"));
        assertThat(extent.endBytes()).as("the open reads the trailer, not 320 KB of offsets and ids").isLessThan(16 * 1024);
        // a residency that serves only what was ensured: an id read without its bytes would read zeros
        RecordingResidency recording = new RecordingResidency();
        try (SegmentDocsFile docs = SegmentDocsFile.open(file, recording, "docs")) {
            SegmentIds read = docs.ids();
            recording.asked.clear();
            int row = r.nextInt(ids.size());
            assertThat(read.id(row)).isEqualTo(ids.get(row));
            assertThat(recording.asked).singleElement().satisfies(range -> assertThat(range[1]).isEqualTo(8));
        }
    }

    @Test
    void ascendingIdsAreKnownFromTheTrailer(Random r, @TempDir Path dir) throws IOException {
        List<DocId> ascending = new ArrayList<>();
        long next = 0;
        for (int i = 0; i < 3_000; i++) ascending.add(DocId.of(next += 1 + r.nextInt(10)));
        List<DocId> shuffled = new ArrayList<>(ascending);
        java.util.Collections.shuffle(shuffled, r);
        List<DocId> strings = new ArrayList<>();
        for (int i = 0; i < 100; i++) strings.add(DocId.of(String.format("row%04d", i)));
        try (SegmentDocsFile a = SegmentDocsFile.open(written(dir, "a", ascending), Residency.COMPLETE, "a");
             SegmentDocsFile b = SegmentDocsFile.open(written(dir, "b", shuffled), Residency.COMPLETE, "b");
             SegmentDocsFile c = SegmentDocsFile.open(written(dir, "c", strings), Residency.COMPLETE, "c")) {
            assertThat(a.ids().ascendingRange()).isEqualTo(new SegmentIds.Range(ascending.getFirst(), ascending.getLast()));
            assertThat(b.ids().ascendingRange()).isNull();
            assertThat(c.ids().ascendingRange()).isEqualTo(new SegmentIds.Range(strings.getFirst(), strings.getLast()));
        }
    }

    @Test
    void aVersionTwoFileStillReads(Random r, @TempDir Path dir) throws IOException {
        List<DocId> u64 = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) u64.add(DocId.of(r.nextLong() & Long.MAX_VALUE));
        assertReadBack(dir, u64, SegmentIds.FixedU64.class, 2);
        List<DocId> strings = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) strings.add(DocId.of("doc-" + r.nextInt()));
        assertReadBack(dir, strings, SegmentIds.Decoded.class, 2);
    }

    @Test
    void mixedIdsAreDecoded(Random r, @TempDir Path dir) throws IOException {
        List<DocId> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            ids.add(switch (r.nextInt(3)) {
                case 0 -> DocId.of(r.nextLong() & Long.MAX_VALUE);
                case 1 -> DocId.of(new UUID(r.nextLong(), r.nextLong()));
                default -> DocId.of("id-" + r.nextInt(1_000_000));
            });
        }
        assertReadBack(dir, ids, SegmentIds.Decoded.class);
    }

    @Test
    void stringIdsOfSevenBytesAreNotMistakenForU64(@TempDir Path dir) throws IOException {
        // a string id of 7 bytes encodes in 9 (tag, length, bytes) like a u64: only the tags tell them apart
        List<DocId> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) ids.add(DocId.of(String.format("row%04d", i)));
        assertReadBack(dir, ids, SegmentIds.Decoded.class);
    }

    @Test
    void oneStringIdAmongU64sIsDecoded(Random r, @TempDir Path dir) throws IOException {
        List<DocId> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) ids.add(DocId.of(r.nextLong() & Long.MAX_VALUE));
        ids.set(r.nextInt(1_000), DocId.of("row0001"));
        assertReadBack(dir, ids, SegmentIds.Decoded.class);
    }
}
