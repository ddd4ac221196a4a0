package io.lodestone.cache;

import io.lodestone.store.MemoryObjectStore;
import io.lodestone.store.ObjectNotFoundException;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Budgets, verification, restarts and eviction of the tiered cache, on a memory store with seeded random data. */
@ExtendWith(Seeded.class)
class TestTieredCache {

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] read(PinnedFile f) throws IOException {
        return Files.readAllBytes(f.path());
    }

    /** Sum of the data files the tier keeps on disk (checksum files excluded). */
    private static long dataBytesOnDisk(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".crc")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void budgetsHoldUnderSeededRandomAccess(Random r, @TempDir Path dir) throws IOException {
        MemoryObjectStore store = new MemoryObjectStore();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String key = "ns/" + (i % 4) + "/obj-" + i;
            store.put(key, randomBytes(r, 1 + r.nextInt(40_000)));
            keys.add(key);
        }
        long diskBudget = 100_000 + r.nextInt(100_000);
        long memoryBudget = 30_000 + r.nextInt(60_000);
        TieredCache cache = new TieredCache(store, new MemoryTier(memoryBudget), new DiskTier(dir, diskBudget));
        List<PinnedFile> held = new ArrayList<>();
        for (int op = 0; op < 600; op++) {
            String key = keys.get(r.nextInt(keys.size()));
            switch (r.nextInt(6)) {
                case 0, 1 -> {
                    PinnedFile f = cache.file(key);
                    assertThat(read(f)).as("op %d: file of %s", op, key).isEqualTo(store.get(key));
                    if (held.size() < 3 && r.nextBoolean()) held.add(f);
                    else f.close();
                }
                case 2 -> assertThat(cache.bytes(key)).as("op %d", op).isEqualTo(store.get(key));
                case 3 -> {
                    if (!held.isEmpty()) held.remove(r.nextInt(held.size())).close();
                }
                case 4 -> {
                    String built = "ns/built/" + op;
                    byte[] data = randomBytes(r, 1 + r.nextInt(30_000));
                    store.put(built, data);
                    Path file = Files.createTempFile(dir.getParent(), "built", ".tmp");
                    Files.write(file, data);
                    cache.adopt(built, file);
                    assertThat(file).as("adopted files are moved, not copied").doesNotExist();
                }
                default -> cache.forget("ns/" + r.nextInt(4) + "/");
            }
            cache.disk().cleanUp();
            cache.memory().cleanUp();
            DiskTier disk = cache.disk();
            assertThat(disk.residentBytes() - disk.pinnedBytes()).as("op %d: unpinned disk bytes", op)
                    .isLessThanOrEqualTo(diskBudget);
            assertThat(cache.memory().residentBytes()).as("op %d: memory bytes", op).isLessThanOrEqualTo(memoryBudget);
            if (op % 25 == 0) {
                assertThat(dataBytesOnDisk(dir)).as("op %d: files on disk match the accounting", op)
                        .isEqualTo(disk.residentBytes());
            }
        }
        held.forEach(PinnedFile::close);
        cache.disk().cleanUp();
        assertThat(cache.disk().pinnedBytes()).isZero();
        assertThat(dataBytesOnDisk(dir)).isLessThanOrEqualTo(diskBudget);
        assertThat(cache.disk().stats().evictions()).as("the budget forced evictions").isPositive();
    }

    @Test
    void evictedEntriesAreFetchedAgainWithIdenticalBytes(Random r, @TempDir Path dir) throws IOException {
        MemoryObjectStore store = new MemoryObjectStore();
        byte[] a = randomBytes(r, 30_000);
        byte[] b = randomBytes(r, 30_000);
        store.put("a", a);
        store.put("b", b);
        TieredCache cache = new TieredCache(store, new MemoryTier(0), new DiskTier(dir, 40_000));
        try (PinnedFile f = cache.file("a")) {
            assertThat(read(f)).isEqualTo(a);
        }
        for (int i = 0; i < 3; i++) {
            try (PinnedFile f = cache.file("b")) { // b becomes the more frequent: a is the victim
                assertThat(read(f)).isEqualTo(b);
            }
        }
        cache.disk().cleanUp();
        assertThat(cache.disk().contains(CacheKey.whole("a")) && cache.disk().contains(CacheKey.whole("b"))).isFalse();
        assertThat(cache.disk().stats().evictions()).isPositive();
        try (PinnedFile f = cache.file("a"); PinnedFile g = cache.file("b")) {
            assertThat(read(f)).isEqualTo(a);
            assertThat(read(g)).isEqualTo(b);
        }
        assertThat(cache.disk().stats().bytesFetched()).as("an evicted object is fetched again").isGreaterThan(60_000);
        assertThatThrownBy(() -> cache.file("absent")).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void pinnedFilesStayUntilReleased(@TempDir Path dir) throws IOException {
        MemoryObjectStore store = new MemoryObjectStore();
        store.put("big", new byte[50_000]);
        TieredCache cache = new TieredCache(store, new MemoryTier(0), new DiskTier(dir, 10_000));
        PinnedFile f = cache.file("big");
        cache.disk().cleanUp();
        assertThat(f.path()).as("pinned beyond the budget").exists();
        assertThat(cache.disk().pinnedBytes()).isEqualTo(50_000);
        f.close();
        cache.disk().cleanUp();
        assertThat(f.path()).as("released: evicted to meet the budget").doesNotExist();
        assertThat(cache.disk().residentBytes()).isZero();
    }

    @Test
    void theDiskTierSurvivesARestartAndRefetchesACorruptEntry(Random r, @TempDir Path dir) throws IOException {
        MemoryObjectStore store = new MemoryObjectStore();
        byte[] good = randomBytes(r, 20_000);
        byte[] bad = randomBytes(r, 20_000);
        store.put("seg/good", good);
        store.put("seg/bad", bad);
        TieredCache first = new TieredCache(store, new MemoryTier(0), new DiskTier(dir, 1 << 20));
        Path badFile;
        first.file("seg/good").close();
        try (PinnedFile f = first.file("seg/bad")) {
            badFile = f.path();
        }
        byte[] flipped = Files.readAllBytes(badFile);
        flipped[r.nextInt(flipped.length)] ^= 0x10;
        Files.write(badFile, flipped);

        TieredCache second = new TieredCache(store, new MemoryTier(0), new DiskTier(dir, 1 << 20));
        try (PinnedFile f = second.file("seg/good")) {
            assertThat(read(f)).isEqualTo(good);
        }
        assertThat(second.disk().stats().bytesFetched()).as("an intact entry is served after a restart").isZero();
        try (PinnedFile f = second.file("seg/bad")) {
            assertThat(read(f)).as("the corrupt entry is dropped and fetched again").isEqualTo(bad);
        }
        assertThat(second.disk().stats().corruptions()).isEqualTo(1);
        assertThat(second.disk().stats().bytesFetched()).isEqualTo(bad.length);
    }

    @Test
    void aDirectoryLeftByAKilledProcessRestartsClean(@TempDir Path dir) throws IOException {
        MemoryObjectStore store = new MemoryObjectStore();
        store.put("ns/complete", new byte[1000]);
        new TieredCache(store, new MemoryTier(0), new DiskTier(dir, 1 << 20)).file("ns/complete").close();
        // What a process killed mid-download or mid-insert leaves behind:
        Files.write(dir.resolve("ns/torn.whole.1234abcd.part"), new byte[500]);             // download in progress
        Files.write(dir.resolve("ns/nosum.whole"), new byte[700]);                          // renamed, checksum not written
        Files.writeString(dir.resolve("ns/orphan.whole.crc"), "0000000000000000 10\n");      // checksum of a deleted file
        Files.write(dir.resolve("ns/short.whole"), new byte[10]);                           // length disagrees with its checksum
        Files.writeString(dir.resolve("ns/short.whole.crc"), "0000000000000000 99\n");
        Files.writeString(dir.resolve("ns/complete.whole.crc.part"), "partial checksum");

        DiskTier disk = new DiskTier(dir, 1 << 20);
        try (Stream<Path> s = Files.walk(dir)) {
            assertThat(s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList())
                    .containsExactly("ns/complete.whole", "ns/complete.whole.crc");
        }
        assertThat(disk.residentBytes()).isEqualTo(1000);
        TieredCache cache = new TieredCache(store, new MemoryTier(0), disk);
        cache.file("ns/complete").close();
        assertThat(disk.stats().hits()).isEqualTo(1);
        assertThat(disk.stats().bytesFetched()).isZero();
    }

    @Test
    void lookupsAreRecordedByTier(@TempDir Path dir) throws IOException {
        MemoryObjectStore store = new MemoryObjectStore();
        store.put("x", new byte[100]);
        TieredCache cache = new TieredCache(store, new MemoryTier(1 << 20), new DiskTier(dir, 1 << 20));
        CacheAccess access = new CacheAccess();
        access.during(() -> {
            try {
                cache.file("x").close();
                cache.file("x").close();
                cache.bytes("x");
                cache.bytes("x");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
        assertThat(access.served(Tier.STORE)).isEqualTo(2);
        assertThat(access.served(Tier.DISK)).isEqualTo(1);
        assertThat(access.served(Tier.MEMORY)).isEqualTo(1);
    }

    @Test
    void prefetchFillsTheDiskTierWithinItsBudget(@TempDir Path dir) throws IOException {
        MemoryObjectStore store = new MemoryObjectStore();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            store.put("p/" + i, new byte[10_000]);
            keys.add("p/" + i);
        }
        keys.add("p/absent");
        TieredCache cache = new TieredCache(store, new MemoryTier(0), new DiskTier(dir, 50_000));
        cache.prefetch(keys).join();
        // Again: a reservation refused while another prefetch's file counted both as reserved and as cached (between
        // its unpin and its release) leaves room the first round did not use.
        cache.prefetch(keys).join();
        cache.disk().cleanUp();
        assertThat(cache.disk().residentBytes()).isBetween(10_000L, 50_000L);
        assertThat(cache.disk().pinnedBytes()).isZero();
        assertThat(cache.disk().stats().bytesFetched()).as("no more fetched than the budget holds").isLessThanOrEqualTo(50_000);
        long fetched = cache.disk().stats().bytesFetched();
        List<String> more = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            store.put("q/" + i, new byte[10_000]);
            more.add("q/" + i);
        }
        cache.prefetch(more).join();
        assertThat(cache.disk().stats().bytesFetched()).as("a full tier takes no more prefetches").isEqualTo(fetched);
        assertThat(cache.disk().stats().evictions()).as("prefetches never evict").isZero();
    }

    @Test
    void aWholeFileFetchHasAFewSlicesOfRequestsInFlightAtATime(Random r, @TempDir Path dir) throws Exception {
        // 192 MiB: 48 requests of 4 MiB, more than the 32 of the slices one call has in flight
        int blocks = SparseFile.SLICE_BLOCKS * (SparseFile.SLICES_IN_FLIGHT + 1);
        MemoryObjectStore memory = storeWithObject(r, dir, "big", blocks);
        var inFlight = new java.util.concurrent.atomic.AtomicInteger();
        var most = new java.util.concurrent.atomic.AtomicInteger();
        io.lodestone.store.ObjectStore slow = new io.lodestone.testing.ForwardingStore(memory) {
            @Override
            public byte[] getRange(String key, long offset, int length) throws IOException {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(20); // a round trip, so that the requests of one call overlap
                    return super.getRange(key, offset, length);
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        };
        TieredCache cache = new TieredCache(slow, new MemoryTier(0), new DiskTier(dir.resolve("cache"), 1L << 30));
        try (PinnedFile f = cache.file("big")) {
            assertThat(f.residency().complete()).isTrue();
        }
        long perSlice = (long) SparseFile.SLICE_BLOCKS * 4096 / SparseFile.MAX_REQUEST_BYTES;
        assertThat(most.get()).as("ranged reads in flight at once").isBetween(2, (int) perSlice * SparseFile.SLICES_IN_FLIGHT);
    }

    /** An object of {@code blocks} 4 KiB blocks of random data in a block-framed file, stored under {@code key}. */
    private static MemoryObjectStore storeWithObject(Random r, Path dir, String key, int blocks) throws IOException {
        Path scratch = Files.createTempFile(dir, "object", ".frame");
        byte[] data = new byte[blocks * 4096];
        r.nextBytes(data);
        try (io.lodestone.codec.FrameOutput out = io.lodestone.codec.FrameOutput.create(scratch, "test.blocks", 1)) {
            out.write(data, 0, data.length);
            out.finish();
        }
        MemoryObjectStore memory = new MemoryObjectStore();
        memory.put(key, Files.readAllBytes(scratch));
        Files.delete(scratch);
        return memory;
    }

    /** A store that counts the bytes its ranged and suffix reads return. */
    private static io.lodestone.store.ObjectStore counting(MemoryObjectStore memory, java.util.concurrent.atomic.AtomicLong bytes) {
        return new io.lodestone.testing.ForwardingStore(memory) {
            @Override
            public byte[] getRange(String key, long offset, int length) throws IOException {
                byte[] b = super.getRange(key, offset, length);
                bytes.addAndGet(b.length);
                return b;
            }

            @Override
            public Tail getTail(String key, int length) throws IOException {
                Tail t = super.getTail(key, length);
                bytes.addAndGet(t.bytes().length);
                return t;
            }
        };
    }

    /** A thread running a query's read section: counts {@code running} down once in it, then waits for {@code done}. */
    private static Thread queryUntil(java.util.concurrent.CountDownLatch running, java.util.concurrent.CountDownLatch done) {
        return Thread.ofVirtual().start(() -> new CacheAccess().during(() -> {
            running.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
    }

    @Test
    void aBackgroundPrefetchWaitsWhileAQueryRuns(Random r, @TempDir Path dir) throws Exception {
        int blocks = 2_048; // 8 MiB: what the open's ends leave is one background slice
        var firstSliceRead = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        io.lodestone.store.ObjectStore store = new io.lodestone.testing.ForwardingStore(storeWithObject(r, dir, "obj", blocks)) {
            @Override
            public byte[] getRange(String key, long offset, int length) throws IOException {
                if (length >= (1 << 20)) firstSliceRead.accumulateAndGet(System.nanoTime(), Math::min); // not the open's ends
                return super.getRange(key, offset, length);
            }
        };
        TieredCache cache = new TieredCache(store, new MemoryTier(0), new DiskTier(dir.resolve("cache"), 1L << 30));
        var running = new java.util.concurrent.CountDownLatch(1);
        var done = new java.util.concurrent.CountDownLatch(1);
        Thread query = queryUntil(running, done);
        running.await();
        long asked = System.nanoTime();
        var warm = cache.prefetch(java.util.List.of("obj"));
        Thread.sleep(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(3 * FetchPriority.MAX_YIELD_NANOS));
        done.countDown();
        query.join();
        warm.get(30, java.util.concurrent.TimeUnit.SECONDS);
        // the slice waited for the query as long as a slice may wait (delays only make it later)
        assertThat(firstSliceRead.get() - asked).isGreaterThanOrEqualTo(FetchPriority.MAX_YIELD_NANOS);
        try (PinnedFile f = cache.file("obj")) {
            assertThat(f.residency().complete()).isTrue();
        }
    }

    @Test
    void aBackgroundPrefetchStillAdvancesUnderAQueryThatNeverEnds(Random r, @TempDir Path dir) throws Exception {
        int blocks = 2_048;
        var bytes = new java.util.concurrent.atomic.AtomicLong();
        TieredCache cache = new TieredCache(counting(storeWithObject(r, dir, "obj", blocks), bytes), new MemoryTier(0),
                new DiskTier(dir.resolve("cache"), 1L << 30));
        var running = new java.util.concurrent.CountDownLatch(1);
        var done = new java.util.concurrent.CountDownLatch(1);
        Thread query = queryUntil(running, done);
        try {
            running.await();
            // each slice waits at most FetchPriority.MAX_YIELD_NANOS: liveness only, a generous bound
            cache.prefetch(java.util.List.of("obj")).get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(bytes.get()).isGreaterThanOrEqualTo((long) blocks * 4096);
            assertThat(FetchPriority.queriesRunning()).as("the query still runs").isPositive();
        } finally {
            done.countDown();
            query.join();
        }
    }
}
