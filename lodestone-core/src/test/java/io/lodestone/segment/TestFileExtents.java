package io.lodestone.segment;

import io.lodestone.cache.DiskTier;
import io.lodestone.cache.MemoryTier;
import io.lodestone.cache.PinnedFile;
import io.lodestone.cache.TieredCache;
import io.lodestone.doc.DocId;
import io.lodestone.store.MemoryObjectStore;
import io.lodestone.store.ObjectStore;
import io.lodestone.testing.ForwardingStore;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A segment file's extent (what its open reads, measured at build) lets a remote open fetch everything the reader
 * parses in its first round trip, also when that is more than the fixed 512 KiB end; manifests carry extents.
 */
@ExtendWith(Seeded.class)
class TestFileExtents {

    /** A remote store that counts reads. */
    static final class CountingStore extends ForwardingStore {
        final AtomicInteger reads = new AtomicInteger();

        CountingStore(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        public boolean local() {
            return false;
        }

        @Override
        public byte[] getRange(String key, long offset, int length) throws IOException {
            reads.incrementAndGet();
            return super.getRange(key, offset, length);
        }

        @Override
        public Tail getTail(String key, int length) throws IOException {
            reads.incrementAndGet();
            return super.getTail(key, length);
        }
    }

    /** A docs file of 40,000 rows with 32-character ids: ids and offsets (about 1.6 MB) outgrow a 512 KiB end. */
    private static Path bigDocsFile(Path dir, Random r) throws IOException {
        Path file = dir.resolve("docs");
        try (SegmentDocsFile.Writer w = new SegmentDocsFile.Writer(file)) {
            for (int i = 0; i < 40_000; i++) {
                String id = String.format("%016x%016x", r.nextLong(), i);
                w.add(DocId.of(id), Map.of("n", (long) i));
            }
            w.finish();
        }
        return file;
    }

    @Test
    void anOpenGivenTheExtentReadsNothingMoreThanItsFirstRound(Random r, @TempDir Path dir) throws IOException {
        Path file = bigDocsFile(dir, r);
        FileExtent extent = FileExtent.measure("docs", file, (f, res) -> SegmentDocsFile.open(f, res, "docs"));
        long size = Files.size(file);
        assertThat(extent.size()).isEqualTo(size);
        // 40,000 ids of 34 bytes each (1,360,000) end the file; the offset table (320,008) and attributes come before
        assertThat(extent.endBytes()).as("the ids, not the offsets or attributes").isGreaterThan(1_360_000).isLessThan(1_360_000 + 320_008);
        assertThat((size - extent.endBytes()) % io.lodestone.codec.BlockTable.DEFAULT_BLOCK_SIZE).isZero();
        assertThat(extent.headBytes()).as("the header").isEqualTo(io.lodestone.codec.BlockTable.DEFAULT_BLOCK_SIZE);

        MemoryObjectStore bucket = new MemoryObjectStore();
        bucket.putFile("seg/docs", file);
        List<DocId> expected;
        try (SegmentDocsFile local = SegmentDocsFile.open(file, io.lodestone.codec.Residency.COMPLETE, "docs")) {
            expected = TestSegmentIds.all(local.ids());
        }

        // with the extent: every read happens in the first open, none while the reader parses
        CountingStore store = new CountingStore(bucket);
        TieredCache cache = new TieredCache(store, new MemoryTier(0), new DiskTier(dir.resolve("c1"), 64 << 20));
        try (PinnedFile pin = cache.open("seg/docs", extent.size(), extent.headBytes(), extent.endBytes())) {
            int first = store.reads.get();
            try (SegmentDocsFile docs = SegmentDocsFile.open(pin.path(), pin.residency(), "docs")) {
                assertThat(TestSegmentIds.all(docs.ids())).isEqualTo(expected);
                assertThat(store.reads.get()).as("reads after the first round").isEqualTo(first);
                // a row's attributes: its offset entries, then its bytes, fetched when read
                assertThat(docs.attributes(12_345)).isEqualTo(Map.of("n", 12_345L));
                docs.ensureRows(new int[] {7, 39_999}, 2);
                assertThat(docs.attributes(39_999)).isEqualTo(Map.of("n", 39_999L));
                assertThat(docs.attributes(7)).isEqualTo(Map.of("n", 7L));
            }
        }

        // without it the reader needs a second round for the rest of the ids
        CountingStore plain = new CountingStore(bucket);
        TieredCache cold = new TieredCache(plain, new MemoryTier(0), new DiskTier(dir.resolve("c2"), 64 << 20));
        try (PinnedFile pin = cold.open("seg/docs")) {
            int first = plain.reads.get();
            try (SegmentDocsFile docs = SegmentDocsFile.open(pin.path(), pin.residency(), "docs")) {
                assertThat(TestSegmentIds.all(docs.ids())).isEqualTo(expected);
            }
            assertThat(plain.reads.get()).isGreaterThan(first);
        }
    }

    @Test
    void manifestsCarryExtentsAndRefuseImpossibleOnes() {
        var seg = new Manifest.SegmentInfo("s1", 10, 9, true, "", 1000, 1, 2,
                List.of(new FileExtent("docs", 600, 4, 100), new FileExtent("vectors", 400, 0, 400)));
        Manifest m = new Manifest(3, 2, 1, 2, 3, io.lodestone.vector.DistanceMetric.COSINE_DISTANCE, true, 4,
                io.lodestone.doc.Schema.EMPTY, io.lodestone.doc.IndexConfig.defaults(), List.of(seg));
        assertThat(Manifest.decode(m.encode(), "m").segments()).containsExactly(seg);
        assertThat(seg.withDeletes(8, "d").files()).isEqualTo(seg.files());
        assertThatThrownBy(() -> new FileExtent("docs", 100, 0, 101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileExtent("docs", 100, -1, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
