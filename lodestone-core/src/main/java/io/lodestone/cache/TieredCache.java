package io.lodestone.cache;

import io.lodestone.codec.BlockTable;
import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Memory and local disk in front of an {@link ObjectStore}. Small immutable objects are read through the
 * {@link MemoryTier} ({@link #bytes}); files to memory-map through the {@link DiskTier} ({@link #file}), one
 * download per key at a time. A store that keeps its objects as local files ({@link ObjectStore#localPath})
 * is mapped directly, without a disk tier copy. Every lookup is recorded in the bound {@link CacheAccess}.
 * Thread-safe.
 */
public final class TieredCache {
    private final ObjectStore store;
    private final MemoryTier memory;
    private final DiskTier disk;
    private final ConcurrentHashMap<CacheKey, CompletableFuture<Void>> downloads = new ConcurrentHashMap<>();

    public TieredCache(ObjectStore store, MemoryTier memory, DiskTier disk) {
        this.store = store;
        this.memory = memory;
        this.disk = disk;
    }

    public ObjectStore store() {
        return store;
    }

    public MemoryTier memory() {
        return memory;
    }

    public DiskTier disk() {
        return disk;
    }

    /** A small immutable object's bytes (callers must not modify the array). */
    public byte[] bytes(String key) throws IOException {
        CacheKey k = CacheKey.whole(key);
        byte[] b = memory.get(k);
        if (b != null) {
            CacheAccess.record(Tier.MEMORY);
            return b;
        }
        b = store.get(key);
        memory.put(k, b, true);
        CacheAccess.record(Tier.STORE);
        return b;
    }

    /**
     * A local file with the whole object, pinned until the handle is closed (hold it while the file is mapped).
     *
     * @throws io.lodestone.store.ObjectNotFoundException when the object does not exist
     */
    public PinnedFile file(String key) throws IOException {
        PinnedFile f = open(key);
        try {
            f.residency().ensure(0, Long.MAX_VALUE);
            return f;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /**
     * A local file for the object, pinned until the handle is closed, that may hold only part of it: read a range
     * after {@link PinnedFile#residency() ensuring} it. On a remote store the first open reads the object's tail
     * (trailer and block table) and creates a sparse file of the object's size; blocks arrive by ranged reads as
     * readers ensure them. An object in the older whole-file framing is downloaded whole.
     *
     * @throws io.lodestone.store.ObjectNotFoundException when the object does not exist
     */
    public PinnedFile open(String key) throws IOException {
        return open(key, -1, BlockTable.DEFAULT_BLOCK_SIZE, SparseFile.TAIL_BYTES);
    }

    /**
     * {@link #open(String)} for an object whose size and open extent are known (from a manifest): on a remote store
     * the first open reads its first {@code headBytes} and last {@code endBytes} (at least the first block and the
     * usual 512 KiB end) in parallel ranged reads of at most 4 MiB, so whatever its reader parses on open is
     * present after one round trip.
     *
     * @param size      the object's size in bytes, or -1 when not known (then the end is read by a suffix read)
     * @param headBytes bytes at its start to read on first open
     * @param endBytes  bytes at its end to read on first open
     */
    public PinnedFile open(String key, long size, long headBytes, long endBytes) throws IOException {
        Optional<Path> direct = store.localPath(key);
        if (direct.isPresent()) {
            CacheAccess.record(Tier.DISK);
            return PinnedFile.unmanaged(direct.get());
        }
        CacheKey k = CacheKey.whole(key);
        while (true) {
            PinnedFile hit = disk.pinIfPresent(k, store);
            if (hit != null) {
                CacheAccess.record(Tier.DISK);
                return hit;
            }
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> running = downloads.putIfAbsent(k, mine);
            if (running != null) {
                awaitOther(running);
                continue; // the other download finished: look again
            }
            try {
                PinnedFile fetched = fetchEnds(key, k, size, headBytes, endBytes);
                CacheAccess.record(Tier.STORE);
                return fetched;
            } finally {
                downloads.remove(k, mine);
                mine.complete(null);
            }
        }
    }

    private PinnedFile fetchEnds(String key, CacheKey k, long size, long headBytes, long endBytes) throws IOException {
        // On a remote store the start (the header every reader parses first) is asked for beside the end: one round
        // trip, not two. A local store's calls cost no round trip: the header is read when needed.
        ObjectStore.Tail tail;
        byte[] head;
        if (size >= 0 && !store.local()) {
            long end = Math.min(size, Math.max(endBytes, SparseFile.TAIL_BYTES));
            long start = Math.min(size - end, Math.max(headBytes, BlockTable.DEFAULT_BLOCK_SIZE));
            byte[][] read = readRanges(key, new long[] {0, size - end}, new long[] {start, end});
            head = read[0];
            tail = new ObjectStore.Tail(read[1], size);
        } else {
            List<ObjectStore.Tail> ends = ParallelReads.map(store.local() ? List.of(true) : List.of(true, false), !store.local(), isTail -> isTail
                    ? store.getTail(key, Math.toIntExact(endBytes))
                    : new ObjectStore.Tail(store.getRange(key, 0, Math.toIntExact(headBytes)), -1));
            tail = ends.get(0);
            head = ends.size() > 1 ? ends.get(1).bytes() : new byte[0];
        }
        disk.stats().bytesFetched.add(tail.bytes().length + head.length);
        Path target = disk.sparseFile(k);
        SparseFile sparse;
        try {
            sparse = SparseFile.create(target, key, tail, head, store);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(target);
            throw e;
        }
        if (sparse == null) {
            Files.deleteIfExists(target);
            if (tail.bytes().length < tail.objectSize()) return download(key, k);
            Path part = disk.partFile(k); // the tail was the whole object
            try {
                Files.write(part, tail.bytes());
                return disk.insert(k, part, store);
            } finally {
                Files.deleteIfExists(part);
            }
        }
        return disk.insertSparse(k, sparse, store);
    }

    /** Byte ranges of an object, each read by ranged reads of at most 4 MiB, all in parallel. */
    private byte[][] readRanges(String key, long[] offsets, long[] lengths) throws IOException {
        List<long[]> pieces = new java.util.ArrayList<>(); // {range, offset, length}
        for (int r = 0; r < offsets.length; r++) {
            for (long at = offsets[r]; at < offsets[r] + lengths[r]; at += SparseFile.MAX_REQUEST_BYTES) {
                pieces.add(new long[] {r, at, Math.min(SparseFile.MAX_REQUEST_BYTES, offsets[r] + lengths[r] - at)});
            }
        }
        List<byte[]> parts = ParallelReads.map(pieces, true, p -> {
            byte[] part = store.getRange(key, p[1], (int) p[2]);
            if (part.length != p[2]) throw new IOException(key + ": a ranged read returned " + part.length + " of " + p[2] + " bytes");
            return part;
        });
        byte[][] out = new byte[offsets.length][];
        for (int r = 0; r < offsets.length; r++) out[r] = new byte[Math.toIntExact(lengths[r])];
        for (int i = 0; i < parts.size(); i++) {
            long[] p = pieces.get(i);
            System.arraycopy(parts.get(i), 0, out[(int) p[0]], Math.toIntExact(p[1] - offsets[(int) p[0]]), parts.get(i).length);
        }
        return out;
    }

    private PinnedFile download(String key, CacheKey k) throws IOException {
        Path part = disk.partFile(k);
        try {
            store.getToFile(key, part);
            disk.stats().bytesFetched.add(Files.size(part));
            return disk.insert(k, part, store);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static void awaitOther(CompletableFuture<Void> running) throws IOException {
        try {
            running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a download");
        } catch (ExecutionException e) {
            // the other download failed; this caller tries itself and reports its own error
        }
    }

    /**
     * Takes a file this server just built and uploaded as the cached copy of {@code key} (moved, not copied),
     * so it is not downloaded again. Does nothing when the store maps its own files. A file that cannot be
     * moved in (another file system) is left where it is: the object is then fetched when first opened.
     */
    public void adopt(String key, Path built) throws IOException {
        if (store.localPath(key).isPresent()) return;
        try {
            disk.insert(CacheKey.whole(key), built, store).close();
        } catch (java.nio.file.AtomicMoveNotSupportedException elsewhere) {
            // an optimization only: the upload succeeded
        }
    }

    /** Drops every cached entry of objects whose key starts with {@code prefix} (dead objects). */
    public void forget(String prefix) {
        Predicate<CacheKey> dead = k -> k.objectKey().startsWith(prefix);
        disk.invalidate(dead);
        memory.invalidate(dead);
    }

    /**
     * Fetches the objects into the disk tier in the background (one virtual thread per object, I/O only) and
     * returns at once; objects already cached whole, absent or failing are skipped, and the missing blocks of
     * objects cached in part by ranged reads are fetched. A prefetch only fills free room:
     * an object is fetched when its size (asked first) fits in the budget beside the unpinned files and the
     * other prefetches in flight and the bytes open segments pin, so hints never evict what queries use, nor
     * download what would not be kept, nor grow the directory past the budget.
     * Fetched files stay unpinned.
     */
    public CompletableFuture<Void> prefetch(Collection<String> keys) {
        var threads = Executors.newVirtualThreadPerTaskExecutor();
        CompletableFuture<?>[] all = keys.stream().map(key -> CompletableFuture.runAsync(() -> {
            if (disk.holdsWhole(CacheKey.whole(key))) return;
            try {
                long size = DiskTier.charged(store.size(key));
                if (!reserve(size)) return;
                try {
                    // a read section that reads nothing: what it fetches into an open file may be evicted; its fetches
                    // yield to queries
                    FetchPriority.background(() -> ReadSections.read(() -> {
                        file(key).close();
                        return null;
                    }));
                } finally {
                    release(size);
                }
            } catch (IOException | RuntimeException e) {
                // a hint: a failed prefetch only means the query fetches the object itself
            }
        }, threads)).toArray(CompletableFuture[]::new);
        threads.shutdown();
        return CompletableFuture.allOf(all);
    }

    /** Bytes reserved by prefetches in flight (guarded by {@code this}). */
    private long prefetching;

    private synchronized boolean reserve(long size) {
        // free room is the budget less the pinned and the unpinned files
        if (size > disk.freeBytes() - prefetching) return false;
        prefetching += size;
        return true;
    }

    private synchronized void release(long size) {
        prefetching -= size;
    }
}
