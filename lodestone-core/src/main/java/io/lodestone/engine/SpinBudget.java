package io.lodestone.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * When a thread may busy-wait instead of parking: only on a core that no query work, no other spinner and
 * no other process is using ({@link OtherCpuLoad}), and for a bounded time. Waking a parked thread costs tens of microseconds on a VM (a futex
 * wake, then the scheduler); at low load a short spin avoids it for both sides of a query hand-off. At
 * high load every core is taken, so nobody spins and CPU goes to the queries.
 */
final class SpinBudget {
    private final int cores;
    /** Whether other processes leave the cores alone now. */
    private final BooleanSupplier othersQuiet;
    /** Query tasks running plus threads spinning now. */
    private final AtomicInteger used = new AtomicInteger();
    private final LongAdder refusedOthersBusy = new LongAdder();
    private final LongAdder refusedNoCore = new LongAdder();

    SpinBudget(int cores, BooleanSupplier othersQuiet) {
        this.cores = cores;
        this.othersQuiet = othersQuiet;
    }

    /** A budget for this machine's cores that also steps aside while other processes keep them busy. */
    static SpinBudget forThisMachine() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new SpinBudget(cores, new OtherCpuLoad(cores)::quiet);
    }

    /** Counts a query task starting to run on a query thread. */
    void taskStarted() {
        used.incrementAndGet();
    }

    /** Counts a query task that has finished. */
    void taskFinished() {
        used.decrementAndGet();
    }

    /**
     * Spins until {@code ready} or for at most about {@code maxNanos}, if a core is free for it; returns
     * whether {@code ready} became true (false at once when no core is free: the caller then parks).
     */
    boolean spinUntil(BooleanSupplier ready, long maxNanos) {
        if (!tryEnter()) return false;
        try {
            long start = System.nanoTime();
            for (int i = 1; ; i++) {
                if (ready.getAsBoolean()) return true;
                Thread.onSpinWait();
                // read the clock every 32 turns only: a check is a few ns, a clock read tens on a VM
                if ((i & 31) == 0 && System.nanoTime() - start >= maxNanos) return false;
            }
        } finally {
            used.decrementAndGet();
        }
    }

    private boolean tryEnter() {
        if (!othersQuiet.getAsBoolean()) {
            refusedOthersBusy.increment();
            return false;
        }
        for (int u = used.get(); u < cores; u = used.get()) {
            if (used.compareAndSet(u, u + 1)) return true;
        }
        refusedNoCore.increment();
        return false;
    }

    /** Spins refused so far because other processes kept the cores busy. */
    long refusedOthersBusy() {
        return refusedOthersBusy.sum();
    }

    /** Spins refused so far because query work and other spinners held every core. */
    long refusedNoCore() {
        return refusedNoCore.sum();
    }

    /** Query tasks running plus spinners now (tests). */
    int used() {
        return used.get();
    }
}
