package io.lodestone.cache;

import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a block of an open {@link SparseFile} may be punched. A reader ensures a range and then reads the mapped
 * bytes holding nothing, so the disk tier never punches a block a reader may still read:
 * <ol>
 *   <li>Work that reads blocks only while it runs (a query: {@link CacheAccess#during}) runs in a <em>read
 *       section</em>, registered with the epoch current when it starts. Blocks it ensures are evictable.</li>
 *   <li>Every other ensure keeps its blocks for as long as the file stays pinned: one made outside any section
 *       (background work, merges), or inside {@link #keeping} (opening a reader that reads what it ensured
 *       for as long as it is open: headers, tables, centroids, a graph's vectors).</li>
 *   <li>Eviction clears a block's present bit, then {@link #retire takes a tag} (the epoch, which it advances).
 *       A reader that starts later finds the block absent and fetches it (or revives it: its bytes are intact
 *       until punched and are checked against the block's checksum).</li>
 *   <li>The block is punched only once {@link #ended} says no section that started at or before its tag is
 *       still running: every reader that may have seen it present has finished.</li>
 * </ol>
 * Sections and retirement take one lock, so a section registered before a retirement is seen by the check,
 * and a section registered after it sees the cleared bit. Work handed to another thread carries its section
 * ({@link #within}); the parent waits for it, so its registration covers the child. Process-wide: a section
 * protects the blocks of every disk tier. Thread-safe.
 */
public final class ReadSections {
    /** The scope of work that keeps what it ensures (never registered). */
    private static final Section KEEPING = new Section(Long.MIN_VALUE);
    private static final ScopedValue<Section> CURRENT = ScopedValue.newInstance();
    private static final Object LOCK = new Object();
    /** Running sections by start epoch (guarded by LOCK). */
    private static final TreeMap<Long, int[]> RUNNING = new TreeMap<>();
    /** Epoch: advanced by each retirement (guarded by LOCK). */
    private static long epoch;
    /** Whether this process has opened a sparse file: before that, queries run without sections. */
    private static volatile boolean sparseFiles;
    /** Run when a section ends: reclaimers with retired blocks waiting to be punched. */
    private static final Set<Runnable> WAITING = ConcurrentHashMap.newKeySet();

    /** A registered read section, or the keeping scope. */
    static final class Section {
        private final long start;

        private Section(long start) {
            this.start = start;
        }
    }

    private ReadSections() {
    }

    /**
     * Runs {@code work} in a read section: blocks it ensures may be evicted once it has ended. Within a section or
     * a keeping scope already (nested work, work handed to this thread), runs it in that one.
     */
    static <T, X extends Throwable> T read(ScopedValue.CallableOp<T, X> work) throws X {
        // No sparse file yet (a local store maps its files in place): nothing to evict, so no section to pay for. Work
        // that starts now and meets a sparse file created meanwhile ensures outside a section, which keeps its blocks.
        if (!sparseFiles || CURRENT.isBound()) return work.call();
        Section s;
        synchronized (LOCK) {
            s = new Section(epoch);
            RUNNING.computeIfAbsent(s.start, k -> new int[1])[0]++;
        }
        try {
            return ScopedValue.where(CURRENT, s).call(work);
        } finally {
            synchronized (LOCK) {
                int[] n = RUNNING.get(s.start);
                if (--n[0] == 0) RUNNING.remove(s.start);
            }
            if (!WAITING.isEmpty()) for (Runnable r : WAITING) r.run();
        }
    }

    /**
     * Runs {@code work} so that the blocks it ensures stay present for as long as their file is pinned: for
     * opening readers that keep reading what they ensured (the cache records nothing else about it).
     */
    public static <T, X extends Throwable> T keeping(ScopedValue.CallableOp<T, X> work) throws X {
        return ScopedValue.where(CURRENT, KEEPING).call(work);
    }

    /** The section or scope of this thread, to hand to work on another thread ({@link #within}); null if none. */
    static Section current() {
        return CURRENT.isBound() ? CURRENT.get() : null;
    }

    /** Runs {@code work} in {@code section} (from {@link #current} on the thread that waits for it). */
    static <T, X extends Throwable> T within(Section section, ScopedValue.CallableOp<T, X> work) throws X {
        return section == null ? work.call() : ScopedValue.where(CURRENT, section).call(work);
    }

    /** Called as a sparse file opens: from now on queries run in sections, so what they fetch can be evicted. */
    static void sparseFileOpened() {
        if (!sparseFiles) sparseFiles = true;
    }

    /** Whether blocks this thread ensures now may be evicted (it runs in a read section). */
    static boolean evictable() {
        return CURRENT.isBound() && CURRENT.get() != KEEPING;
    }

    /** A tag for blocks whose present bits were just cleared (call after clearing them); advances the epoch. */
    static long retire() {
        synchronized (LOCK) {
            return epoch++;
        }
    }

    /** Whether every section that started at or before {@code tag} has ended. */
    static boolean ended(long tag) {
        synchronized (LOCK) {
            return RUNNING.isEmpty() || RUNNING.firstKey() > tag;
        }
    }

    /** Runs {@code r} after each section ends, until {@link #stopWaiting}. */
    static void awaitEnds(Runnable r) {
        WAITING.add(r);
    }

    static void stopWaiting(Runnable r) {
        WAITING.remove(r);
    }
}
