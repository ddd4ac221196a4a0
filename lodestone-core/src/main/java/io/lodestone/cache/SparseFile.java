package io.lodestone.cache;

import io.lodestone.codec.BlockTable;
import io.lodestone.codec.CorruptObjectException;
import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An object cached block by block: a local file of the object's full size, sparse until filled, holding the
 * object's block table and trailer from the start and each data block once a ranged read has fetched and
 * verified it against its checksum. Readers map the whole file and call {@link #ensure} before reading a range;
 * a block that arrives wrong is fetched again, and if still wrong reported and never served. Concurrent callers
 * fetch each block once: a caller claims the missing blocks it fetches and waits for blocks others claimed.
 * While the file is pinned, blocks its readers do not keep may be evicted: {@link #sweep} clears their present
 * bits and, once no read section that may read them runs ({@link ReadSections}), {@link #punch} frees them. A
 * block's present bit and its bytes change only under its claim, so a fetch and a punch of the same block exclude
 * each other. Nothing here is forced to the device: after a restart, a block is present exactly when its bytes
 * match its checksum ({@link #reopen}; a punched block reads as zeros, so it is absent). Thread-safe.
 */
final class SparseFile implements AutoCloseable {
    /**
     * Bytes asked for at the end of an object on first use: the trailer and the block table (whole for files up to
     * 512 MiB), and often what readers need next (a vectors file's norms, a docs file's offsets).
     */
    static final int TAIL_BYTES = 512 * 1024;
    /** The most one ranged read asks for, so a large range is fetched by several requests at once. */
    static final long MAX_REQUEST_BYTES = 4L << 20;

    private final Path file;
    private final String key;
    private final long objectSize;
    private final BlockTable table;
    private final FileChannel channel;
    /** Blocks readers may read; changed only by the holder of the block's claim. */
    private final BlockBits present;
    /** Blocks a caller is fetching, reviving, retiring or punching (one at a time per block). */
    private final BlockBits claimed;
    /** Blocks ensured by work that keeps reading them while the file is pinned: never evicted until unpinned. */
    private final BlockBits kept;
    /** Blocks ensured since the eviction clock last passed (its second chance). */
    private final BlockBits referenced;
    /** Blocks evicted whose bytes are still on disk: punched once no read section that may read them runs. */
    private final BlockBits retired;
    /**
     * Blocks in an eviction whose punch has not run yet (guarded by the tier's reclaimer). Such a block is not
     * evicted again before that punch: the punch, checking only that the block is evicted, would otherwise free it
     * under a section that revived it after the first eviction's tag.
     */
    private final BlockBits listed;
    private final AtomicLong resident = new AtomicLong();
    private final AtomicLong retiredBytes = new AtomicLong();
    /** Set once a reader was told the file is complete (it may then skip ensures): nothing is evicted until unpinned. */
    private volatile boolean whole;
    /** The eviction clock's position (guarded by the tier's reclaimer). */
    private int hand;
    /** Descriptor for punching, opened on first use; -1 when none (guarded by this). */
    private int punchFd = -1;
    private boolean closed;

    private SparseFile(Path file, String key, long objectSize, BlockTable table, FileChannel channel) {
        ReadSections.sparseFileOpened();
        this.file = file;
        this.key = key;
        this.objectSize = objectSize;
        this.table = table;
        this.channel = channel;
        int blocks = table.blockCount();
        this.present = new BlockBits(blocks);
        this.claimed = new BlockBits(blocks);
        this.kept = new BlockBits(blocks);
        this.referenced = new BlockBits(blocks);
        this.retired = new BlockBits(blocks);
        this.listed = new BlockBits(blocks);
        resident.set(objectSize - table.dataEnd());
    }

    /**
     * Writes a new sparse file for {@code key} at {@code target} from the object's tail (fetching the rest of the
     * block table when the tail does not hold it all) and its first bytes ({@code head}: the whole blocks in it that
     * match their checksums are kept). Returns null when the object is not block-framed (an older
     * whole-file frame): such an object is cached whole.
     */
    static SparseFile create(Path target, String key, ObjectStore.Tail tail, byte[] head, ObjectStore store) throws IOException {
        long size = tail.objectSize();
        byte[] end = tail.bytes();
        if (size < end.length) throw new CorruptObjectException(key, "a tail of " + end.length + " bytes from " + size);
        if (end.length < BlockTable.TRAILER_BYTES + 4) return null;
        BlockTable.Trailer trailer;
        try {
            trailer = BlockTable.trailer(java.util.Arrays.copyOfRange(end, end.length - BlockTable.TRAILER_BYTES, end.length), size, key);
        } catch (CorruptObjectException notBlockFramed) {
            return null; // not a block-framed file: cached whole, and its reader judges its bytes
        }
        if (!trailer.blocks()) return null;
        long tailStart = size - end.length;
        long tableBytes = trailer.tableBytes(size);
        byte[] tableBytesArray = tailStart <= trailer.dataEnd()
                ? java.util.Arrays.copyOfRange(end, (int) (trailer.dataEnd() - tailStart), (int) (trailer.dataEnd() - tailStart + tableBytes))
                : store.getRange(key, trailer.dataEnd(), Math.toIntExact(tableBytes));
        BlockTable table = BlockTable.parse(tableBytesArray, trailer, key);
        FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            SparseFile f = new SparseFile(target, key, size, table, ch);
            writeFully(ch, tableBytesArray, 0, tableBytesArray.length, trailer.dataEnd());
            writeFully(ch, end, end.length - BlockTable.TRAILER_BYTES, BlockTable.TRAILER_BYTES, size - BlockTable.TRAILER_BYTES);
            // data blocks the tail happens to hold whole, and the first block when it was read beside the tail
            for (int b = table.blockCount() - 1; b >= 0 && table.blockStart(b) >= tailStart; b--) {
                int from = (int) (table.blockStart(b) - tailStart);
                if (table.matches(b, end, from)) f.storeKept(b, end, from);
            }
            for (int b = 0; b < table.blockCount() && table.blockStart(b) + table.blockLength(b) <= head.length; b++) {
                if (!f.isPresent(b) && table.matches(b, head, (int) table.blockStart(b))) f.storeKept(b, head, (int) table.blockStart(b));
            }
            return f;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Opens a sparse file a previous process left, or returns null when its table is unreadable (then the file is
     * deleted and refetched). Every block whose bytes match its checksum counts as present.
     */
    static SparseFile reopen(Path file, String key) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = ch.size();
            if (size < BlockTable.TRAILER_BYTES + 4) throw new CorruptObjectException(key, "cached file truncated");
            byte[] last = readFully(ch, size - BlockTable.TRAILER_BYTES, BlockTable.TRAILER_BYTES);
            BlockTable.Trailer trailer = BlockTable.trailer(last, size, key);
            if (!trailer.blocks()) throw new CorruptObjectException(key, "not block-framed");
            BlockTable table = BlockTable.parse(readFully(ch, trailer.dataEnd(), Math.toIntExact(trailer.tableBytes(size))), trailer, key);
            SparseFile f = new SparseFile(file, key, size, table, ch);
            for (int b = 0; b < table.blockCount(); b++) {
                byte[] bytes = readFully(ch, table.blockStart(b), table.blockLength(b));
                if (table.matches(b, bytes, 0)) f.markPresent(b);
            }
            return f;
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the file is deleted next
                }
            }
            return null;
        }
    }

    Path file() {
        return file;
    }

    long objectSize() {
        return objectSize;
    }

    /** Bytes of the object present locally (table and trailer included; evicted blocks awaiting their punch not). */
    long residentBytes() {
        return resident.get();
    }

    /** Bytes of evicted blocks still on disk until their punch. */
    long retiredBytes() {
        return retiredBytes.get();
    }

    boolean complete() {
        return resident.get() == objectSize;
    }

    /**
     * {@link #complete()} for a reader, which may then skip ensures: from a true answer on, no block is evicted
     * until the file is unpinned. The flag is set before the second look, and eviction looks at it after clearing
     * a block, so one of them sees the other.
     */
    boolean completeForReader() {
        if (!complete()) return false;
        if (!whole) whole = true; // written once: readers ask on every ensure
        return complete();
    }

    /** Bytes eviction cannot take while the file is pinned: kept blocks, table and trailer; all of a whole file. */
    long keptBytes() {
        if (whole) return resident.get();
        long n = objectSize - table.dataEnd();
        for (int w = 0; w < kept.words(); w++) {
            long bits = kept.word(w) & present.word(w);
            while (bits != 0) {
                n += table.blockLength(w * 64 + Long.numberOfTrailingZeros(bits));
                bits &= bits - 1;
            }
        }
        return n;
    }

    /** The file's last pin was released: what its readers kept may be evicted with it. */
    void released() {
        kept.clearAll();
        whole = false;
    }

    /**
     * Most missing blocks one call claims and fetches at once: 16 requests of {@link #MAX_REQUEST_BYTES} at the default
     * block size, more than a query's reads or an open's extents take (a 1M × 768 open: 50 MB), far less than a file.
     */
    static final int SLICE_BLOCKS = 16_384;
    /**
     * Slices of one call in flight at once: 128 MiB, so that a 3 GB file takes about 24 round trips rather than 48
     * (or one, all at once, when a query waiting for any block waited for all of it).
     */
    static final int SLICES_IN_FLIGHT = 2;
    /**
     * Slices of a background fetch in flight at once: one, each after the queries running have finished
     * ({@link FetchPriority}). Measured on 1M × 768 (docs/benchmarks.md): 16 MiB slices with a 1 s wait starved the
     * warm under back-to-back queries (ANN p50 123 → 414 ms); one 64 MiB slice with 250 ms halved the p99 and kept
     * the p50.
     */
    static final int BACKGROUND_SLICES_IN_FLIGHT = 1;

    /**
     * Makes the {@code n} ranges present: the missing blocks of all of them are fetched at once, contiguous ones by
     * one request (up to {@link #MAX_REQUEST_BYTES}), the requests in parallel. Returns the bytes fetched.
     *
     * @param keep whether the blocks stay present until the file is unpinned (else they may be evicted once the
     *             caller's read section has ended)
     */
    long ensure(long[] offsets, long[] lengths, int n, boolean keep, ObjectStore store, TierStats stats) throws IOException {
        if (whole) return 0; // complete, and nothing is evicted until unpinned
        int[] blocks = mark(offsets, lengths, n, keep);
        boolean background = FetchPriority.inBackground();
        if (!background && blocks.length <= SLICE_BLOCKS) return ensureBlocks(blocks, store, stats);
        // A whole-file fetch (a cache warm, an exact scan) claims its blocks a slice at a time, at most
        // SLICES_IN_FLIGHT slices at once: a query that needs some of them then waits for its slice, not for the whole
        // file, whose requests would otherwise all be in flight at once and share the bandwidth to the end. A
        // background fetch (even of less than a slice) takes its slices one at a time, each after the running
        // queries have finished.
        List<IoTask> slices = new ArrayList<>();
        for (int from = 0; from < blocks.length; from += SLICE_BLOCKS) {
            int[] slice = java.util.Arrays.copyOfRange(blocks, from, Math.min(blocks.length, from + SLICE_BLOCKS));
            slices.add(() -> {
                if (background) FetchPriority.yieldToQueries();
                return ensureBlocks(slice, store, stats);
            });
        }
        return sumInParallel(slices, background ? BACKGROUND_SLICES_IN_FLIGHT : SLICES_IN_FLIGHT);
    }

    /** A fetch that returns the bytes it read. */
    private interface IoTask {
        long run() throws IOException;
    }

    /**
     * Runs the tasks on virtual threads, at most {@code atOnce} at a time, and returns the sum of their results; the
     * first failure is thrown once all started ones have ended. Every task starts even after a failure (a fetch
     * releases the claims its caller took for it, which waiting readers need); with fewer than the tasks at once, an
     * interrupt stops starting more.
     */
    private long sumInParallel(List<IoTask> tasks, int atOnce) throws IOException {
        long total = 0;
        IOException failure = null;
        var window = atOnce < tasks.size() ? new java.util.concurrent.Semaphore(atOnce) : null;
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> started = new ArrayList<>();
            for (IoTask task : tasks) {
                // Without a window every task starts, interrupted or not (a run's claims are released by its fetch);
                // slices claim their blocks in their task, so an interrupted caller may leave later ones unstarted.
                if (window != null) {
                    try {
                        window.acquire();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        failure = new java.io.InterruptedIOException("interrupted while fetching " + key);
                        break;
                    }
                }
                started.add(threads.submit(() -> {
                    try {
                        return task.run();
                    } finally {
                        if (window != null) window.release();
                    }
                }));
            }
            for (Future<Long> f : started) {
                try {
                    total += f.get();
                } catch (ExecutionException e) {
                    if (failure == null) failure = asIo(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    if (failure == null) failure = new java.io.InterruptedIOException("interrupted while fetching " + key);
                }
            }
        }
        if (failure != null) throw failure;
        return total;
    }

    /** Fetches the missing ones of {@code blocks} (ascending), or waits for the callers that fetch them; returns the bytes fetched. */
    private long ensureBlocks(int[] blocks, ObjectStore store, TierStats stats) throws IOException {
        long fetched = 0;
        while (blocks.length > 0) {
            List<int[]> mine = new ArrayList<>();
            boolean othersFetching = false;
            int runStart = -1;
            int previous = -2;
            for (int b : blocks) {
                boolean claimedNow = !isPresent(b) && tryClaim(b);
                if (claimedNow && retired.get(b) && revive(b)) claimedNow = false; // evicted, not yet punched: kept
                else if (!claimedNow && !isPresent(b)) othersFetching = true;
                boolean extends_ = claimedNow && runStart >= 0 && b == previous + 1
                        && table.blockStart(b + 1) - table.blockStart(runStart) <= MAX_REQUEST_BYTES;
                if (runStart >= 0 && !extends_) {
                    mine.add(new int[]{runStart, previous + 1});
                    runStart = -1;
                }
                if (claimedNow) {
                    if (runStart < 0) runStart = b;
                    previous = b;
                }
            }
            if (runStart >= 0) mine.add(new int[]{runStart, previous + 1});
            if (!mine.isEmpty()) fetched += fetchRuns(mine, store, stats);
            if (!othersFetching) return fetched;
            awaitOthers(blocks);
            blocks = stillMissing(blocks);
        }
        return fetched;
    }

    /**
     * Marks the blocks of the ranges below the data end kept or referenced, then returns those not present,
     * ascending and distinct. The mark comes before the look at the present bit: eviction clears that bit
     * before it looks at the kept bit, so a kept block is never evicted unseen.
     */
    private int[] mark(long[] offsets, long[] lengths, int n, boolean keep) {
        java.util.BitSet wanted = new java.util.BitSet();
        for (int i = 0; i < n; i++) {
            if (lengths[i] <= 0 || offsets[i] >= table.dataEnd()) continue;
            long end = lengths[i] >= table.dataEnd() - offsets[i] ? table.dataEnd() : offsets[i] + lengths[i];
            int last = table.blockOf(end - 1);
            for (int b = table.blockOf(Math.max(0, offsets[i])); b <= last; b++) {
                if (keep) kept.set(b);
                else referenced.set(b);
                if (!isPresent(b)) wanted.set(b);
            }
        }
        return wanted.stream().toArray();
    }

    private int[] stillMissing(int[] blocks) {
        return java.util.Arrays.stream(blocks).filter(b -> !isPresent(b)).toArray();
    }
    private long fetchRuns(List<int[]> runs, ObjectStore store, TierStats stats) throws IOException {
        if (runs.size() == 1) return fetchRun(runs.getFirst(), store, stats);
        List<IoTask> fetches = new ArrayList<>(runs.size());
        for (int[] run : runs) fetches.add(() -> fetchRun(run, store, stats));
        return sumInParallel(fetches, runs.size());
    }

    private static IOException asIo(Throwable t) {
        if (t instanceof IOException io) return io;
        if (t instanceof RuntimeException r) throw r;
        return new IOException(t);
    }

    /** Fetches blocks {@code [run[0], run[1])}, verifies and stores them; releases the claims whatever happens. */
    private long fetchRun(int[] run, ObjectStore store, TierStats stats) throws IOException {
        try {
            long start = table.blockStart(run[0]);
            int length = (int) (table.blockStart(run[1] - 1) + table.blockLength(run[1] - 1) - start);
            byte[] bytes = store.getRange(key, start, length);
            stats.bytesFetched.add(bytes.length);
            if (bytes.length != length) {
                throw new java.io.EOFException(key + ": ranged read of " + length + " bytes at " + start + " returned " + bytes.length);
            }
            int verified = -1; // first block of the verified blocks not yet stored: written with one call
            for (int b = run[0]; b < run[1]; b++) {
                int from = (int) (table.blockStart(b) - start);
                if (table.matches(b, bytes, from)) {
                    if (verified < 0) verified = b;
                    continue;
                }
                if (verified >= 0) storeSpan(verified, b, bytes, start);
                verified = -1;
                stats.corruptions.increment();
                byte[] again = store.getRange(key, table.blockStart(b), table.blockLength(b));
                stats.bytesFetched.add(again.length);
                if (again.length != table.blockLength(b) || !table.matches(b, again, 0)) {
                    throw new CorruptObjectException(key, "checksum mismatch in block " + b + " (bytes " + table.blockStart(b)
                            + ".." + (table.blockStart(b) + table.blockLength(b)) + "), fetched twice");
                }
                store(b, again, 0);
            }
            if (verified >= 0) storeSpan(verified, run[1], bytes, start);
            return length;
        } finally {
            for (int b = run[0]; b < run[1]; b++) unclaim(b);
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private void store(int block, byte[] bytes, int from) throws IOException {
        writeFully(channel, bytes, from, table.blockLength(block), table.blockStart(block));
        stored(block);
    }

    /**
     * Stores the verified blocks {@code [first, end)} of a ranged read that began at file offset {@code start} with one
     * write: a 4 MiB read is a thousand blocks, a thousand system calls when written one by one (a 1M-row open reads
     * 50 MB; the saving was not measured apart).
     */
    private void storeSpan(int first, int end, byte[] bytes, long start) throws IOException {
        long from = table.blockStart(first);
        long to = table.blockStart(end - 1) + table.blockLength(end - 1);
        writeFully(channel, bytes, (int) (from - start), (int) (to - from), from);
        for (int b = first; b < end; b++) stored(b);
    }

    /** A block's bytes are on disk: it is present (and no longer retired). */
    private void stored(int block) {
        if (retired.clear(block)) retiredBytes.addAndGet(-table.blockLength(block)); // its revival failed: fetched anew
        markPresent(block);
    }

    /** Stores a block of the extents an open reads (kept until the file is unpinned). */
    private void storeKept(int block, byte[] bytes, int from) throws IOException {
        kept.set(block);
        store(block, bytes, from);
    }

    private void markPresent(int block) {
        if (present.set(block)) resident.addAndGet(table.blockLength(block));
    }

    private boolean isPresent(int block) {
        return present.get(block);
    }

    /** Claims an absent block (false when present, or claimed by another caller). */
    private boolean tryClaim(int block) {
        if (!claimed.set(block)) return false;
        if (!isPresent(block)) return true;
        unclaim(block); // it arrived meanwhile
        return false;
    }

    private void unclaim(int block) {
        claimed.clear(block);
    }

    /**
     * Makes a claimed, evicted but not yet punched block present again when its bytes on disk still match its
     * checksum (they do until the punch, which needs the claim) and releases the claim; returns whether it did.
     * When not, the caller keeps the claim and fetches the block.
     */
    private boolean revive(int block) {
        if (retired.clear(block)) retiredBytes.addAndGet(-table.blockLength(block));
        try {
            if (!table.matches(block, readFully(channel, table.blockStart(block), table.blockLength(block)), 0)) return false;
        } catch (IOException e) {
            return false;
        }
        markPresent(block);
        unclaim(block);
        wakeWaiters();
        return true;
    }

    /**
     * Evicts up to {@code want} bytes of blocks by the clock: from the hand on, a present block that is neither
     * kept nor claimed is evicted unless it was referenced since the hand last passed (then it loses that bit: a
     * second chance). The clock approximates LRU at one bit per block with no work on the read path beyond
     * setting that bit, where an LRU list would need a lock or a queue per ensure. Evicted blocks are added to
     * {@code victims}; returns the bytes evicted, or -1 - bytes when the hand reached the file's end and wrapped.
     */
    long sweep(long want, java.util.function.IntConsumer victims) {
        if (whole) {
            hand = 0;
            return -1;
        }
        long freed = 0;
        int blocks = table.blockCount();
        while (hand < blocks) {
            int w = hand >>> 6;
            long candidates = present.word(w) & ~kept.word(w) & ~claimed.word(w) & ~listed.word(w) & (-1L << (hand & 63));
            if (candidates == 0) {
                hand = (w + 1) << 6;
                continue;
            }
            int b = w * 64 + Long.numberOfTrailingZeros(candidates);
            hand = b + 1;
            if (referenced.clear(b)) continue;
            int length = retire(b);
            if (length == 0) continue;
            listed.set(b);
            victims.accept(b);
            freed += length;
            if (freed >= want) return freed;
        }
        hand = 0;
        return -1 - freed;
    }

    /** Clears the block's present bit unless it is kept (or the file whole); returns the bytes evicted, or 0. */
    private int retire(int block) {
        if (!claimed.set(block)) return 0;
        try {
            if (!present.clear(block)) return 0;
            int length = table.blockLength(block);
            resident.addAndGet(-length);
            if (kept.get(block) || whole) { // a keeping ensure or a complete report raced with this: undo
                markPresent(block);
                return 0;
            }
            retired.set(block);
            retiredBytes.addAndGet(length);
            return length;
        } finally {
            unclaim(block);
        }
    }

    /**
     * Punches the holes of evicted blocks (ascending) that are still evicted: a run of them is claimed first, so no
     * fetch or revival runs on it meanwhile. Call only once no read section that may have read them runs. Returns
     * false when the file system refused (then those blocks are made present again: nothing more can be evicted).
     */
    synchronized boolean punch(int[] blocks) {
        for (int b : blocks) listed.clear(b);
        if (closed) return true;
        int i = 0;
        while (i < blocks.length) {
            int from = i;
            while (i < blocks.length && (i == from || blocks[i] == blocks[i - 1] + 1) && claimEvicted(blocks[i])) i++;
            if (i == from) {
                i++; // fetched, revived or being fetched since: not to be punched
                continue;
            }
            long start = table.blockStart(blocks[from]);
            long end = table.blockStart(blocks[i - 1]) + table.blockLength(blocks[i - 1]);
            boolean punched = false;
            try {
                if (punchFd < 0) punchFd = HolePunch.open(file);
                HolePunch.punch(punchFd, start, end - start, file);
                punched = true;
            } catch (IOException e) {
                System.getLogger(SparseFile.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot punch holes in the disk tier; blocks of open files are no longer evicted", e);
            } finally {
                for (int j = from; j < i; j++) {
                    if (retired.clear(blocks[j])) retiredBytes.addAndGet(-table.blockLength(blocks[j]));
                    if (!punched) markPresent(blocks[j]); // its bytes are intact: present again
                    unclaim(blocks[j]);
                }
                wakeWaiters();
            }
            if (!punched) return false;
        }
        return true;
    }

    /** Claims a block that is evicted and not present (false otherwise, or when another caller claimed it). */
    private boolean claimEvicted(int block) {
        if (!claimed.set(block)) return false;
        if (retired.get(block) && !isPresent(block)) return true;
        unclaim(block);
        return false;
    }

    private synchronized void wakeWaiters() {
        notifyAll();
    }

    /** Waits until none of the blocks is claimed by another caller (then the caller looks again). */
    private synchronized void awaitOthers(int[] blocks) throws IOException {
        while (true) {
            boolean busy = false;
            for (int i = 0; i < blocks.length && !busy; i++) busy = claimed.get(blocks[i]);
            if (!busy) return;
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for " + key);
            }
        }
    }
    private static void writeFully(FileChannel ch, byte[] bytes, int from, int length, long position) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes, from, length);
        while (b.hasRemaining()) position += ch.write(b, position);
    }

    private static byte[] readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            int n = ch.read(b, position + b.position());
            if (n < 0) throw new java.io.EOFException("file ends before " + (position + length));
        }
        return b.array();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (punchFd >= 0) {
            HolePunch.close(punchFd);
            punchFd = -1;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do: the file is being dropped
        }
    }
}
