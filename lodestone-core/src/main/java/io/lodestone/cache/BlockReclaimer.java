package io.lodestone.cache;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Holds a {@link DiskTier} to its budget while files are open: after each fetch, first the unpinned files are
 * evicted whole (W-TinyLFU, as ever: the room they get is the budget less what pinned files hold), then, if the
 * tier still holds more than its budget, blocks of pinned sparse files that no reader keeps, chosen by one clock
 * over all of them ({@link SparseFile#sweep}). Evicted blocks wait until every read section that may have read
 * them has ended ({@link ReadSections}), then are punched; that check runs again as sections end. The work runs
 * on a virtual thread, not on the query that asked for it, one run at a time; a request made meanwhile makes that
 * thread run again. Thread-safe.
 */
final class BlockReclaimer {
    private final DiskTier tier;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean evictWanted = new AtomicBoolean();
    private final AtomicBoolean punchWanted = new AtomicBoolean();
    /** Whether a thread is started or running to serve the requests. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable onSectionEnd = this::punchSoon;
    /** Evicted blocks waiting for their punch, oldest tag first (guarded by lock). */
    private final ArrayDeque<Evicted> waiting = new ArrayDeque<>();
    /** Whether blocks may be evicted: holes can be punched here (guarded by lock). */
    private boolean punching = HolePunch.AVAILABLE;
    /** The clock's file: which pinned file the hand is in (guarded by lock). */
    private int cursor;

    private record Evicted(SparseFile file, int[] blocks, long tag) {
    }

    BlockReclaimer(DiskTier tier) {
        this.tier = tier;
    }

    /** Has the tier brought within its budget soon (after a fetch). */
    void evictSoon() {
        evictWanted.set(true);
        schedule();
    }

    private void punchSoon() {
        punchWanted.set(true);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) Thread.ofVirtual().name("disk-tier-reclaim").start(this::drain);
    }

    private boolean wanted() {
        return evictWanted.get() || punchWanted.get();
    }

    /** Serves the requests until none is left; a request that comes as it stops starts it again. */
    private void drain() {
        do {
            lock.lock();
            try {
                while (wanted()) {
                    punchWanted.set(false);
                    if (evictWanted.getAndSet(false)) evict();
                    if (punchEnded()) evictWanted.set(true);
                }
            } finally {
                lock.unlock();
                scheduled.set(false);
            }
        } while (wanted() && scheduled.compareAndSet(false, true));
    }

    /** Runs eviction and the punches that may run now, waiting for a run in progress (tests check budgets after it). */
    void runNow() {
        lock.lock();
        try {
            evictWanted.set(false);
            do {
                evict();
            } while (punchEnded());
        } finally {
            lock.unlock();
        }
    }

    private void evict() {
        long excess = tier.rebalance();
        if (excess <= 0 || !punching) return;
        List<SparseFile> files = tier.pinnedSparseFiles();
        if (files.isEmpty()) return;
        long freed = 0;
        long count = 0;
        List<Evicted> evicted = new java.util.ArrayList<>();
        // two laps of the clock at most: the first may only take second chances away
        for (int wrapped = 0; freed < excess && wrapped <= 2 * files.size(); ) {
            SparseFile f = files.get(Math.floorMod(cursor, files.size()));
            IntList victims = new IntList();
            long r = f.sweep(excess - freed, victims::add);
            freed += r < 0 ? -1 - r : r;
            if (victims.size > 0) evicted.add(new Evicted(f, victims.toArray(), 0));
            count += victims.size;
            if (r < 0) {
                cursor++;
                wrapped++;
            }
        }
        if (evicted.isEmpty()) return;
        long tag = ReadSections.retire(); // after every present bit above was cleared
        for (Evicted e : evicted) waiting.add(new Evicted(e.file(), e.blocks(), tag));
        tier.stats().evictions.add(count);
    }

    /**
     * Punches the evictions no running section may still read; returns whether it took any (then blocks revived
     * meanwhile, which were not evicted again while their punch waited, may be evicted: run eviction again).
     */
    private boolean punchEnded() {
        boolean took = false;
        while (!waiting.isEmpty() && ReadSections.ended(waiting.peekFirst().tag())) {
            Evicted e = waiting.pollFirst();
            if (!e.file().punch(e.blocks())) punching = false; // the blocks went back: evict no more
            took = true;
        }
        if (waiting.isEmpty()) ReadSections.stopWaiting(onSectionEnd);
        else ReadSections.awaitEnds(onSectionEnd);
        return took;
    }

    /** A growable list of block numbers. */
    private static final class IntList {
        private int[] values = new int[16];
        private int size;

        void add(int v) {
            if (size == values.length) values = java.util.Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
