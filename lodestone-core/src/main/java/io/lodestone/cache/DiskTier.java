package io.lodestone.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Objects as local files within a byte budget: whole files, or {@link SparseFile}s that hold only the blocks
 * ranged reads have fetched (an entry weighs the bytes it holds). Pinned entries (files mapped by open segments)
 * stay; unpinned ones are evicted by W-TinyLFU within the budget less what the pinned files hold. When the pinned
 * files alone hold more, blocks of pinned sparse files that no reader keeps are evicted inside them, their holes
 * punched once no read section that may read them runs ({@link BlockReclaimer}, {@link ReadSections}). After
 * each fetch the bytes present are thus within the budget, unless the bytes that cannot be evicted
 * ({@link #pinnedBytes}: whole pinned files, blocks readers keep) exceed it. On top of the budget the directory
 * holds, for a while, evicted blocks waiting for older read sections to end and blocks being fetched by ensures
 * in flight. Without hole punching (off Linux) nothing is evicted inside open files. Entries are rebuilt from the
 * directory on start: whole files are verified against their checksum before first use (an entry that fails is
 * deleted and the caller fetches the object again), sparse files keep the blocks that match their checksums
 * (a punched block reads as zeros: absent). Thread-safe.
 */
public final class DiskTier {
    private static final int WEIGHT_UNIT = 1024;

    private final DiskLayout layout;
    private final long budgetBytes;
    private final Cache<CacheKey, DiskEntry> cache;
    private final TierStats stats = new TierStats();
    private final AtomicLong resident = new AtomicLong();
    private final AtomicLong generations = new AtomicLong();
    private final BlockReclaimer reclaimer = new BlockReclaimer(this);
    /** Orders changes of the unpinned files' room with the unpins that weigh a file again. */
    private final Object roomLock = new Object();

    /** Opens the tier in {@code dir}, keeping the complete entries a previous process left there. */
    public DiskTier(Path dir, long budgetBytes) throws IOException {
        if (budgetBytes < 0) throw new IllegalArgumentException("disk budget must be >= 0; got " + budgetBytes);
        this.layout = new DiskLayout(dir);
        this.budgetBytes = budgetBytes;
        // Weights are whole KiB rounded up against a budget rounded down, so bytes never exceed the budget.
        this.cache = Caffeine.newBuilder()
                .maximumWeight(budgetBytes / WEIGHT_UNIT)
                .weigher((CacheKey k, DiskEntry e) -> e.pins() > 0 ? 0
                        : (int) Math.min(Integer.MAX_VALUE, (e.heldBytes() + WEIGHT_UNIT - 1) / WEIGHT_UNIT))
                .executor(Runnable::run)
                .evictionListener((CacheKey k, DiskEntry e, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (e != null) removeFiles(e);
                    if (cause.wasEvicted()) stats.evictions.increment();
                })
                .build();
        Files.createDirectories(dir);
        for (DiskLayout.Found f : layout.scan()) {
            if (cache.asMap().containsKey(f.key())) { // a whole copy and a sparse one of the same object: keep one
                DiskLayout.delete(f.file());
                continue;
            }
            if (f.sparse()) {
                SparseFile sparse = SparseFile.reopen(f.file(), f.key().objectKey());
                if (sparse == null) {
                    DiskLayout.delete(f.file());
                    continue;
                }
                cache.put(f.key(), new DiskEntry(f.file(), sparse.objectSize(), 0, 0, true, generations.incrementAndGet(), sparse));
            } else {
                cache.put(f.key(), new DiskEntry(f.file(), f.size(), f.crc(), 0, false, generations.incrementAndGet(), null));
                resident.addAndGet(f.size());
            }
        }
        cache.cleanUp();
    }

    /**
     * The entry pinned and verified, or null when absent (or found corrupt, then dropped); counts a hit or miss.
     * A sparse entry fetches its missing blocks from {@code store}.
     */
    PinnedFile pinIfPresent(CacheKey key, io.lodestone.store.ObjectStore store) {
        cache.getIfPresent(key); // an access for the frequency sketch
        DiskEntry e = cache.asMap().computeIfPresent(key, (k, old) -> old.withPins(old.pins() + 1));
        if (e == null) {
            stats.misses.increment();
            return null;
        }
        if (!e.verified() && e.sparse() == null && !verify(key, e)) {
            unpin(key, e.generation());
            drop(key, e.generation());
            stats.corruptions.increment();
            stats.misses.increment();
            return null;
        }
        stats.hits.increment();
        return pinned(key, e, store);
    }

    private boolean verify(CacheKey key, DiskEntry e) {
        try {
            if (Files.size(e.file()) != e.size() || DiskLayout.crc(e.file()) != e.crc()) return false;
        } catch (IOException io) {
            return false;
        }
        cache.asMap().computeIfPresent(key, (k, cur) -> cur.generation() == e.generation() ? cur.asVerified() : cur);
        return true;
    }

    /** A temporary file to download {@code key} into before {@link #insert}. */
    Path partFile(CacheKey key) throws IOException {
        return layout.partFile(key);
    }

    /**
     * Moves a complete file into the tier (a download's part file, or a file this server built) and returns it
     * pinned. When the key is already present the new file is deleted and the present entry is pinned.
     */
    PinnedFile insert(CacheKey key, Path file, io.lodestone.store.ObjectStore store) throws IOException {
        long size = Files.size(file);
        long crc = DiskLayout.crc(file);
        Path data = layout.dataFile(key);
        Files.createDirectories(data.getParent());
        boolean[] added = {false};
        DiskEntry e;
        try {
            e = cache.asMap().compute(key, (k, old) -> {
            if (old != null) return old.withPins(old.pins() + 1);
            try {
                Files.move(file, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                DiskLayout.writeChecksum(data, crc, size);
            } catch (IOException io) {
                DiskLayout.delete(data);
                throw new java.io.UncheckedIOException(io);
            }
            added[0] = true;
            return new DiskEntry(data, size, crc, 1, true, generations.incrementAndGet(), null);
            });
        } catch (java.io.UncheckedIOException io) {
            throw io.getCause();
        }
        if (added[0]) resident.addAndGet(size);
        else Files.deleteIfExists(file);
        PinnedFile pin = pinned(key, e, store);
        reclaimer.evictSoon();
        return pin;
    }

    /** Where a sparse file for the key is created before {@link #insertSparse}. */
    Path sparseFile(CacheKey key) throws IOException {
        Path f = layout.sparseFile(key);
        Files.createDirectories(f.getParent());
        return f;
    }

    /** Adds a new sparse file (created at {@link #sparseFile}) and returns it pinned. */
    PinnedFile insertSparse(CacheKey key, SparseFile sparse, io.lodestone.store.ObjectStore store) {
        DiskEntry e = cache.asMap().compute(key, (k, old) -> {
            if (old != null) {
                sparse.close();
                return old.withPins(old.pins() + 1);
            }
            return new DiskEntry(sparse.file(), sparse.objectSize(), 0, 1, true, generations.incrementAndGet(), sparse);
        });
        PinnedFile pin = pinned(key, e, store);
        reclaimer.evictSoon();
        return pin;
    }

    private PinnedFile pinned(CacheKey key, DiskEntry e, io.lodestone.store.ObjectStore store) {
        io.lodestone.codec.Residency residency = e.sparse() == null ? io.lodestone.codec.Residency.COMPLETE
                : new SparseResidency(e.sparse(), store, stats, reclaimer::evictSoon);
        return new PinnedFile(e.file(), residency, () -> unpin(key, e.generation()));
    }

    private void unpin(CacheKey key, long generation) {
        synchronized (roomLock) {
            DiskEntry last = cache.asMap().get(key);
            if (last != null && last.generation() == generation && last.pins() == 1) {
                // room for it among the unpinned files before it is weighed, so that it is not evicted for what it held
                var eviction = cache.policy().eviction().orElseThrow();
                eviction.setMaximum(Math.min(budgetBytes / WEIGHT_UNIT, eviction.getMaximum() + charged(last.heldBytes()) / WEIGHT_UNIT));
            }
            cache.asMap().computeIfPresent(key, (k, cur) -> {
                if (cur.generation() != generation) return cur;
                if (cur.pins() == 1 && cur.sparse() != null) cur.sparse().released();
                return cur.withPins(cur.pins() - 1);
            });
        }
    }

    /** Deletes the entry if it is still the given generation. */
    private void drop(CacheKey key, long generation) {
        cache.asMap().computeIfPresent(key, (k, cur) -> {
            if (cur.generation() != generation) return cur;
            removeFiles(cur);
            return null;
        });
    }

    /**
     * Deletes the entries whose keys match, pinned or not (objects that are dead: a file still mapped stays
     * readable through its mapping, and its disk space returns when it is unmapped).
     */
    void invalidate(Predicate<CacheKey> which) {
        for (CacheKey k : cache.asMap().keySet()) {
            if (!which.test(k)) continue;
            cache.asMap().computeIfPresent(k, (kk, cur) -> {
                removeFiles(cur);
                return null;
            });
        }
    }

    private void removeFiles(DiskEntry e) {
        if (e.sparse() != null) e.sparse().close();
        DiskLayout.delete(e.file());
        if (e.sparse() == null) resident.addAndGet(-e.size());
    }

    /** Runs pending eviction now, and the punches no read section holds back (tests check budgets after it). */
    public void cleanUp() {
        cache.cleanUp();
        reclaimer.runNow();
    }

    /**
     * Bytes of the files in the tier, pinned included (for sparse files, the blocks they hold, evicted blocks
     * waiting for their punch included).
     */
    public long residentBytes() {
        long n = resident.get();
        for (DiskEntry e : cache.asMap().values()) {
            if (e.sparse() != null) n += e.sparse().residentBytes() + e.sparse().retiredBytes();
        }
        return n;
    }

    /**
     * Gives the unpinned files the budget less the bytes the pinned files hold and evicts unpinned files beyond
     * it; returns the bytes present beyond the budget after that (what eviction inside pinned files must free).
     */
    long rebalance() {
        synchronized (roomLock) {
            long pinned = 0;
            for (DiskEntry e : cache.asMap().values()) if (e.pins() > 0) pinned += charged(e.heldBytes());
            var eviction = cache.policy().eviction().orElseThrow();
            eviction.setMaximum(Math.max(0, budgetBytes - pinned) / WEIGHT_UNIT);
            cache.cleanUp();
            return pinned + eviction.weightedSize().orElse(0) * WEIGHT_UNIT - budgetBytes;
        }
    }

    /** The sparse files of pinned entries, oldest entry first (the eviction clock's order). */
    List<SparseFile> pinnedSparseFiles() {
        List<DiskEntry> pinned = new ArrayList<>();
        for (DiskEntry e : cache.asMap().values()) if (e.pins() > 0 && e.sparse() != null) pinned.add(e);
        pinned.sort(java.util.Comparator.comparingLong(DiskEntry::generation));
        List<SparseFile> out = new ArrayList<>(pinned.size());
        for (DiskEntry e : pinned) out.add(e.sparse());
        return out;
    }

    /** Room left in the budget beside the pinned and unpinned files, in the units eviction counts (whole KiB). */
    long freeBytes() {
        return Math.max(0, -rebalance()) / WEIGHT_UNIT * WEIGHT_UNIT;
    }

    /** What a file of {@code size} bytes counts against the budget once unpinned. */
    static long charged(long size) {
        return (size + WEIGHT_UNIT - 1) / WEIGHT_UNIT * WEIGHT_UNIT;
    }

    /**
     * Bytes of pinned files (those of open segments) that eviction cannot free, which the budget does not bound:
     * whole files, and of sparse files the blocks their readers keep (all of one a reader was told is complete).
     */
    public long pinnedBytes() {
        long n = 0;
        for (DiskEntry e : cache.asMap().values()) {
            if (e.pins() > 0) n += e.sparse() == null ? e.size() : e.sparse().keptBytes();
        }
        return n;
    }

    /** Whether the key's whole object is present: a whole file, or a sparse one with every block (no access recorded). */
    boolean holdsWhole(CacheKey key) {
        DiskEntry e = cache.asMap().get(key);
        return e != null && (e.sparse() == null || e.sparse().complete());
    }

    /** Whether an entry for the key is present (no access recorded). */
    public boolean contains(CacheKey key) {
        return cache.asMap().containsKey(key);
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    public Path directory() {
        return layout.root();
    }

    public TierStats stats() {
        return stats;
    }
}
