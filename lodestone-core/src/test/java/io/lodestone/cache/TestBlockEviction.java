package io.lodestone.cache;

import io.lodestone.codec.BlockTable;
import io.lodestone.codec.FrameOutput;
import io.lodestone.store.MemoryObjectStore;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Eviction of blocks inside open sparse files: the directory's allocated bytes stay within the budget, reads
 * return the objects' exact bytes, and a block is punched only once no read section that may read it runs.
 */
@ExtendWith(Seeded.class)
class TestBlockEviction {
    private static final int BLOCK = BlockTable.DEFAULT_BLOCK_SIZE;
    /**
     * What the file system may allocate beyond the bytes the tier counts, per sparse file: the partly written
     * 4 KiB blocks where its block table begins and where its last data block ends.
     */
    private static final long SLACK_PER_FILE = 2L * BLOCK;

    @BeforeEach
    void needsHolePunching() {
        assumeTrue(HolePunch.AVAILABLE, "no hole punching on this platform: blocks of open files are not evicted");
    }

    /** A block-framed object holding {@code bytes} random bytes, as the store holds it. */
    private static byte[] framed(Random r, int bytes, Path scratch) throws IOException {
        Path f = Files.createTempFile(scratch, "object", ".frame");
        byte[] data = new byte[bytes];
        r.nextBytes(data);
        try (FrameOutput out = FrameOutput.create(f, "test.blocks", 1)) {
            out.write(data, 0, data.length);
            out.finish();
        }
        byte[] all = Files.readAllBytes(f);
        Files.delete(f);
        return all;
    }

    /** Bytes the file system allocated to the regular files under {@code dir} (their st_blocks, as find reports them). */
    private static long allocatedBytes(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("find", dir.toString(), "-type", "f", "-printf", "%b\\n").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(p.waitFor()).as("find: %s", out).isZero();
        long sectors = 0;
        for (String line : out.split("\n")) if (!line.isBlank()) sectors += Long.parseLong(line.trim());
        return sectors * 512;
    }

    /** An object opened through the cache as a reader does: pinned and mapped. */
    private record Open(PinnedFile pin, MemorySegment map, byte[] expected, Arena arena) implements AutoCloseable {
        static Open of(TieredCache cache, String key, byte[] expected) throws IOException {
            PinnedFile pin = cache.open(key, expected.length, BLOCK, BLOCK);
            Arena arena = Arena.ofShared();
            try (FileChannel ch = FileChannel.open(pin.path(), StandardOpenOption.READ)) {
                return new Open(pin, ch.map(FileChannel.MapMode.READ_ONLY, 0, expected.length, arena), expected, arena);
            }
        }

        /** Ensures the range (in the caller's section or scope); returns null or what went wrong. */
        void ensure(long offset, int length) {
            try {
                pin.residency().ensure(offset, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Reads the mapped range; returns null when it holds the object's bytes, else where it differs. */
        String check(long offset, int length) {
            byte[] got = new byte[length];
            MemorySegment.copy(map, ValueLayout.JAVA_BYTE, offset, got, 0, length);
            int at = java.util.Arrays.mismatch(got, 0, length, expected, (int) offset, (int) offset + length);
            return at < 0 ? null : pin.path().getFileName() + ": byte " + (offset + at) + " is " + got[at] + ", expected "
                    + expected[(int) offset + at];
        }

        /** Ensures and reads a range in a read section, as a query does. */
        String read(long offset, int length) {
            return new CacheAccess().during(() -> {
                ensure(offset, length);
                return check(offset, length);
            });
        }

        @Override
        public void close() {
            arena.close();
            pin.close();
        }
    }

    @Test
    void theBudgetHoldsWhileOpenFilesReadMoreThanItAndEveryReadReturnsTheObjectsBytes(Random r, @TempDir Path dir)
            throws Exception {
        MemoryObjectStore store = new MemoryObjectStore();
        int files = 3 + r.nextInt(3);
        List<byte[]> objects = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < files; i++) {
            objects.add(framed(r, 150 * 1024 + r.nextInt(250 * 1024), dir));
            store.put("ns/seg/file-" + i, objects.get(i));
            total += objects.get(i).length;
        }
        long budget = 192 * 1024 + r.nextInt(64 * 1024);
        Path cacheDir = dir.resolve("cache");
        DiskTier disk = new DiskTier(cacheDir, budget);
        TieredCache cache = new TieredCache(store, new MemoryTier(0), disk);
        List<Open> open = new ArrayList<>();
        for (int i = 0; i < files; i++) open.add(Open.of(cache, "ns/seg/file-" + i, objects.get(i)));
        int ops = Seeded.atLeast(r, 300);
        for (int op = 0; op < ops; op++) {
            Open o = open.get(r.nextInt(files));
            int offset = r.nextInt(o.expected().length);
            int length = 1 + r.nextInt(Math.min(32 * 1024, o.expected().length - offset));
            assertThat(o.read(offset, length)).as("op %d", op).isNull();
            if (op % 10 == 0) {
                disk.cleanUp();
                assertThat(disk.residentBytes()).as("op %d: bytes the tier counts", op).isLessThanOrEqualTo(budget);
                assertThat(allocatedBytes(cacheDir)).as("op %d: bytes the file system allocated", op)
                        .isLessThanOrEqualTo(budget + files * SLACK_PER_FILE);
            }
        }
        assertThat(disk.stats().evictions()).as("blocks were evicted").isPositive();
        assertThat(disk.stats().bytesFetched()).as("evicted blocks were fetched again").isGreaterThan(total);
        for (Open o : open) o.close();

        // A restart trusts only blocks that match their checksums: a punched block reads as zeros, so it is absent.
        DiskTier again = new DiskTier(cacheDir, budget);
        assertThat(again.residentBytes()).isLessThanOrEqualTo(budget + files * SLACK_PER_FILE);
        TieredCache restarted = new TieredCache(store, new MemoryTier(0), again);
        for (int i = 0; i < files; i++) {
            try (Open o = Open.of(restarted, "ns/seg/file-" + i, objects.get(i))) {
                for (int at = 0; at < o.expected().length; at += 64 * 1024) {
                    int length = Math.min(64 * 1024, o.expected().length - at);
                    assertThat(o.read(at, length)).as("file %d after the restart", i).isNull();
                }
            }
        }
    }

    /** One object in a memory store, opened through a cache over {@code disk}. */
    private static Open openOne(DiskTier disk, byte[] object) throws IOException {
        MemoryObjectStore store = new MemoryObjectStore();
        store.put("k", object);
        return Open.of(new TieredCache(store, new MemoryTier(0), disk), "k", object);
    }

    @Test
    void anEvictedBlockIsPunchedOnlyAfterTheSectionsThatMayReadItHaveEnded(Random r, @TempDir Path dir) throws Exception {
        long budget = 8 * BLOCK;
        DiskTier disk = new DiskTier(dir.resolve("cache"), budget);
        try (Open o = openOne(disk, framed(r, 64 * BLOCK, dir))) {
            int length = 48 * BLOCK;
            String seen = new CacheAccess().during(() -> {
                o.ensure(0, length); // fetches 48 blocks
                disk.cleanUp(); // evicts to meet the budget: blocks this section ensured among them
                assertThat(disk.stats().evictions()).as("blocks this section ensured were evicted").isPositive();
                try {
                    assertThat(allocatedBytes(disk.directory())).as("evicted, not yet punched").isGreaterThan(budget + 20L * BLOCK);
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
                return o.check(0, length); // the section still reads them: their bytes are intact
            });
            assertThat(seen).isNull();
            disk.cleanUp(); // the punches the section's end asked for, if they have not run yet
            assertThat(allocatedBytes(disk.directory())).as("punched once the section ended")
                    .isLessThanOrEqualTo(budget + SLACK_PER_FILE);
            assertThat(o.read(0, length)).as("read again: fetched again and verified").isNull();
        }
    }

    @Test
    void whatReadersKeepIsNeverEvictedCountsAsPinnedAndLeavesWithTheLastPin(Random r, @TempDir Path dir) throws Exception {
        long budget = 4 * BLOCK;
        DiskTier disk = new DiskTier(dir.resolve("cache"), budget);
        try (Open o = openOne(disk, framed(r, 32 * BLOCK, dir))) {
            ReadSections.keeping(() -> {
                o.ensure(0, 8 * BLOCK); // more than the budget: kept all the same
                return null;
            });
            for (int i = 0; i < 40; i++) {
                int offset = 8 * BLOCK + r.nextInt(24 * BLOCK - 1);
                assertThat(o.read(offset, 1 + r.nextInt(24 * BLOCK - (offset - 8 * BLOCK)))).isNull();
            }
            disk.cleanUp();
            assertThat(o.check(0, 8 * BLOCK)).as("kept blocks, read without ensuring").isNull();
            assertThat(disk.pinnedBytes()).as("what eviction cannot free: the kept blocks and the table")
                    .isBetween(8L * BLOCK, 8L * BLOCK + BLOCK);
            assertThat(disk.residentBytes()).as("everything else was evicted").isEqualTo(disk.pinnedBytes());
            assertThat(allocatedBytes(disk.directory())).isLessThanOrEqualTo(disk.pinnedBytes() + SLACK_PER_FILE);
        }
        disk.cleanUp();
        assertThat(disk.pinnedBytes()).isZero();
        assertThat(disk.residentBytes()).as("unpinned, the file is evicted whole to meet the budget").isZero();
    }

    @Test
    void readersNeverSeeAPunchedBlockWhileEvictionRuns(Random r, @TempDir Path dir) throws Exception {
        MemoryObjectStore store = new MemoryObjectStore();
        List<byte[]> objects = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            objects.add(framed(r, 96 * BLOCK + r.nextInt(64 * BLOCK), dir));
            store.put("c/" + i, objects.get(i));
        }
        DiskTier disk = new DiskTier(dir.resolve("cache"), 24 * BLOCK);
        TieredCache cache = new TieredCache(store, new MemoryTier(0), disk);
        List<Open> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) open.add(Open.of(cache, "c/" + i, objects.get(i)));
        // a reader that keeps what it ensured when it opened, and reads it ever after without ensuring again
        int keptAt = r.nextInt(64) * BLOCK;
        ReadSections.keeping(() -> {
            open.getFirst().ensure(keptAt, 4 * BLOCK);
            return null;
        });
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread evictor = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                disk.cleanUp();
                Thread.yield();
            }
        });
        List<Thread> readers = new ArrayList<>();
        int iterations = Seeded.atLeast(r, 300);
        for (int t = 0; t < 4; t++) {
            Random mine = new Random(r.nextLong());
            readers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < iterations && failures.isEmpty(); i++) {
                    Open o = open.get(mine.nextInt(2));
                    int offset = mine.nextInt(o.expected().length - 1);
                    int length = 1 + mine.nextInt(Math.min(6 * BLOCK, o.expected().length - offset));
                    String wrong = new CacheAccess().during(() -> {
                        o.ensure(offset, length);
                        for (int spin = mine.nextInt(50); spin > 0; spin--) Thread.yield(); // others evict meanwhile
                        return o.check(offset, length);
                    });
                    if (wrong != null) failures.add("read " + i + ": " + wrong);
                    String kept = open.getFirst().check(keptAt, 4 * BLOCK);
                    if (kept != null) failures.add("kept range, read " + i + ": " + kept);
                }
            }));
        }
        for (Thread t : readers) assertThat(t.join(java.time.Duration.ofMinutes(2))).as("reader finished").isTrue();
        done.set(true);
        evictor.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(failures).isEmpty();
        assertThat(disk.stats().evictions()).as("blocks were evicted while readers read").isPositive();
        for (Open o : open) o.close();
    }
}
