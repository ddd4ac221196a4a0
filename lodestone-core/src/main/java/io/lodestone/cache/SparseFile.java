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
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * An object cached block by block: a local file of the object's full size, sparse until filled, holding the
 * object's block table and trailer from the start and each data block once a ranged read has fetched and
 * verified it against its checksum. Readers map the whole file and call {@link #ensure} before reading a range;
 * a block that arrives wrong is fetched again, and if still wrong reported and never served. Concurrent callers
 * fetch each block once: a caller claims the missing blocks it fetches and waits for blocks others claimed.
 * Nothing here is forced to the device: after a restart, a block is present exactly when its bytes match its
 * checksum ({@link #reopen}). Thread-safe.
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
    private final AtomicLongArray present;
    private final AtomicLongArray claimed;
    private final AtomicLong resident = new AtomicLong();

    private SparseFile(Path file, String key, long objectSize, BlockTable table, FileChannel channel) {
        this.file = file;
        this.key = key;
        this.objectSize = objectSize;
        this.table = table;
        this.channel = channel;
        int words = (table.blockCount() + 63) / 64;
        this.present = new AtomicLongArray(words);
        this.claimed = new AtomicLongArray(words);
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
                if (table.matches(b, end, from)) f.store(b, end, from);
            }
            for (int b = 0; b < table.blockCount() && table.blockStart(b) + table.blockLength(b) <= head.length; b++) {
                if (!f.isPresent(b) && table.matches(b, head, (int) table.blockStart(b))) f.store(b, head, (int) table.blockStart(b));
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

    /** Bytes of the object held locally (table and trailer included). */
    long residentBytes() {
        return resident.get();
    }

    boolean complete() {
        return resident.get() == objectSize;
    }

    /**
     * Makes bytes {@code [offset, offset + length)} present, fetching missing blocks from {@code store} (several
     * requests at once for a large range); returns the bytes fetched (0 when all were present).
     */
    long ensure(long offset, long length, ObjectStore store, TierStats stats) throws IOException {
        return ensure(new long[]{offset}, new long[]{length}, 1, store, stats);
    }

    /**
     * Makes the {@code n} ranges present: the missing blocks of all of them are fetched at once, contiguous ones by
     * one request (up to {@link #MAX_REQUEST_BYTES}), the requests in parallel. Returns the bytes fetched.
     */
    long ensure(long[] offsets, long[] lengths, int n, ObjectStore store, TierStats stats) throws IOException {
        if (complete()) return 0;
        int[] blocks = missing(offsets, lengths, n);
        long fetched = 0;
        while (blocks.length > 0) {
            List<int[]> mine = new ArrayList<>();
            boolean othersFetching = false;
            int runStart = -1;
            int previous = -2;
            for (int b : blocks) {
                boolean claimedNow = !isPresent(b) && tryClaim(b);
                if (!claimedNow && !isPresent(b)) othersFetching = true;
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

    /** The blocks, ascending and distinct, of the ranges' bytes below the data end that are not present. */
    private int[] missing(long[] offsets, long[] lengths, int n) {
        java.util.BitSet wanted = new java.util.BitSet();
        for (int i = 0; i < n; i++) {
            if (lengths[i] <= 0 || offsets[i] >= table.dataEnd()) continue;
            long end = lengths[i] >= table.dataEnd() - offsets[i] ? table.dataEnd() : offsets[i] + lengths[i];
            int last = table.blockOf(end - 1);
            for (int b = table.blockOf(Math.max(0, offsets[i])); b <= last; b++) if (!isPresent(b)) wanted.set(b);
        }
        return wanted.stream().toArray();
    }

    private int[] stillMissing(int[] blocks) {
        return java.util.Arrays.stream(blocks).filter(b -> !isPresent(b)).toArray();
    }

    private long fetchRuns(List<int[]> runs, ObjectStore store, TierStats stats) throws IOException {
        if (runs.size() == 1) return fetchRun(runs.getFirst(), store, stats);
        long total = 0;
        IOException failure = null;
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> all = new ArrayList<>();
            for (int[] run : runs) all.add(threads.submit(() -> fetchRun(run, store, stats)));
            for (Future<Long> f : all) {
                try {
                    total += f.get();
                } catch (ExecutionException e) {
                    if (failure == null) failure = asIo(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = new java.io.InterruptedIOException("interrupted while fetching " + key);
                }
            }
        }
        if (failure != null) throw failure;
        return total;
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
            for (int b = run[0]; b < run[1]; b++) {
                int from = (int) (table.blockStart(b) - start);
                if (table.matches(b, bytes, from)) {
                    store(b, bytes, from);
                    continue;
                }
                stats.corruptions.increment();
                byte[] again = store.getRange(key, table.blockStart(b), table.blockLength(b));
                stats.bytesFetched.add(again.length);
                if (again.length != table.blockLength(b) || !table.matches(b, again, 0)) {
                    throw new CorruptObjectException(key, "checksum mismatch in block " + b + " (bytes " + table.blockStart(b)
                            + ".." + (table.blockStart(b) + table.blockLength(b)) + "), fetched twice");
                }
                store(b, again, 0);
            }
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
        markPresent(block);
    }

    private void markPresent(int block) {
        long bit = 1L << (block & 63);
        long before = present.getAndAccumulate(block >>> 6, bit, (a, b) -> a | b);
        if ((before & bit) == 0) resident.addAndGet(table.blockLength(block));
    }

    private boolean isPresent(int block) {
        return (present.get(block >>> 6) & (1L << (block & 63))) != 0;
    }

    private boolean tryClaim(int block) {
        int w = block >>> 6;
        long bit = 1L << (block & 63);
        while (true) {
            long cur = claimed.get(w);
            if ((cur & bit) != 0) return false;
            if (claimed.compareAndSet(w, cur, cur | bit)) {
                if (!isPresent(block)) return true;
                unclaim(block); // it arrived meanwhile
                return false;
            }
        }
    }

    private void unclaim(int block) {
        claimed.getAndAccumulate(block >>> 6, ~(1L << (block & 63)), (a, b) -> a & b);
    }

    /** Waits until none of the blocks is claimed by another caller (then the caller looks again). */
    private synchronized void awaitOthers(int[] blocks) throws IOException {
        while (true) {
            boolean busy = false;
            for (int i = 0; i < blocks.length && !busy; i++) {
                busy = (claimed.get(blocks[i] >>> 6) & (1L << (blocks[i] & 63))) != 0;
            }
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
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do: the file is being dropped
        }
    }
}
