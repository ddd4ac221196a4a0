package io.lodestone.engine;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Where CPU-bound query work runs. Callers on virtual threads (the server's request threads) hand it to a
 * fixed pool of platform threads sized to the cores, behind a bounded queue, and wait; their carrier threads
 * stay free, so accepting connections, health checks and writes stay responsive under any query load. A full
 * queue refuses the query at once ({@link OverloadedException}). Callers on platform threads (an embedding
 * program's own threads, which it sizes itself) run the work on their own thread: no carrier to protect, and
 * no hand-off (two thread wake-ups, tens of microseconds, as much as a whole small ANN query). At low load
 * both sides of the hand-off spin briefly instead of parking ({@link SpinBudget}, {@link HandOff}). Either way a
 * query past its time limit is cancelled cooperatively ({@link Cancellation}) and its caller gets
 * {@link QueryTimeoutException}.
 *
 * <p>One database makes its own; several databases in one process (a server's regions) share one, so that the
 * query threads stay sized to the cores however many databases there are
 * ({@link Lodestone#open(io.lodestone.store.ObjectStore, EngineOptions, QueryScheduler)}).
 */
public final class QueryScheduler implements AutoCloseable {
    /**
     * How long a request thread spins for its query's result before parking, where a core is free: longer than
     * an ANN query at a high search width. Waking a parked request thread cost about 160 µs on a 2-vCPU VM (the
     * idle virtual CPU must be woken), a third of a 784-dimension search at ef 100, which at 250 µs of spinning
     * already parked (docs/benchmarks-ann.md); a longer query pays one wake-up, small beside it.
     */
    static final long WAITER_SPIN_NANOS = 2_000_000;
    /** How long an idle query thread spins for the next query before parking: a client's turn-around. */
    static final long WORKER_SPIN_NANOS = 50_000;

    private final QueryThreads threads;
    private final EngineOptions.Queries options;
    private final SpinBudget spin = SpinBudget.forThisMachine();
    private final long waiterSpinNanos;
    private final LongAdder handOffs = new LongAdder();
    private final LongAdder caughtSpinning = new LongAdder();

    /** Starts {@code options.threads()} query threads. */
    public QueryScheduler(EngineOptions.Queries options) {
        this(options, WAITER_SPIN_NANOS, WORKER_SPIN_NANOS);
    }

    /** With other spin bounds (0: park at once), to compare hand-off costs. */
    QueryScheduler(EngineOptions.Queries options, long waiterSpinNanos, long workerSpinNanos) {
        this.options = options;
        this.waiterSpinNanos = waiterSpinNanos;
        this.threads = new QueryThreads(options.threads(), options.queueDepth(), spin, workerSpinNanos);
    }

    /** Runs {@code work} on a query thread and returns its result, within the configured time limit. */
    <T> T run(Function<Cancellation, T> work) {
        return run(work, options.timeoutMillis());
    }

    /** Runs {@code work} on a query thread and returns its result, within {@code timeoutMillis}. */
    <T> T run(Function<Cancellation, T> work, long timeoutMillis) {
        Cancellation cancel = Cancellation.after(timeoutMillis);
        if (!Thread.currentThread().isVirtual()) return work.apply(cancel);
        HandOff<T> task = new HandOff<>(work, cancel, spin);
        int ahead = threads.submit(task);
        if (ahead < 0) throw new OverloadedException(options.queueDepth(), 1);
        // Spin only when the query starts at once: a thread free, nothing queued ahead (the budget checks for a free core).
        handOffs.increment();
        try {
            return task.await(ahead < threads.threads() ? waiterSpinNanos : 0, timeoutMillis);
        } finally {
            if (task.caughtSpinning()) caughtSpinning.increment();
        }
    }

    /** The threads, queue depth and time limit this scheduler applies. */
    public EngineOptions.Queries options() {
        return options;
    }

    /**
     * How hand-offs went so far: how many there were, in how many the waiter got its result while spinning (no
     * wake-up on its side), and how many spins (of waiters and idle query threads) {@link SpinBudget} refused.
     *
     * @param handOffs             queries handed from a virtual thread to a query thread
     * @param caughtSpinning       of those, results the waiter saw while spinning
     * @param refusedOthersBusy    spins refused because other processes kept the cores busy
     * @param refusedNoFreeCore    spins refused because queries and spinners held every core
     */
    public record HandOffCounts(long handOffs, long caughtSpinning, long refusedOthersBusy, long refusedNoFreeCore) {
        /** The counts since {@code earlier}. */
        public HandOffCounts minus(HandOffCounts earlier) {
            return new HandOffCounts(handOffs - earlier.handOffs, caughtSpinning - earlier.caughtSpinning,
                    refusedOthersBusy - earlier.refusedOthersBusy, refusedNoFreeCore - earlier.refusedNoFreeCore);
        }
    }

    /** The hand-off counts so far. */
    public HandOffCounts handOffCounts() {
        return new HandOffCounts(handOffs.sum(), caughtSpinning.sum(), spin.refusedOthersBusy(), spin.refusedNoCore());
    }

    /** Queries waiting for a thread now. */
    public int queued() {
        return threads.queued();
    }

    /** Queries running now. */
    public int running() {
        return threads.running();
    }

    /** Stops the query threads; queries still waiting or running fail. */
    @Override
    public void close() {
        threads.close();
    }
}
