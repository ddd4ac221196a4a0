package io.lodestone.engine;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
     * How long a request thread spins for its query's result before parking, where a core is free: about
     * the time of an ANN query at a high search width; a longer query pays one wake-up, small beside it.
     */
    static final long WAITER_SPIN_NANOS = 250_000;
    /** How long an idle query thread spins for the next query before parking: a client's turn-around. */
    static final long WORKER_SPIN_NANOS = 50_000;

    private final ThreadPoolExecutor pool;
    private final EngineOptions.Queries options;
    private final SpinBudget spin = SpinBudget.forThisMachine();
    private final long waiterSpinNanos;

    /** Starts {@code options.threads()} query threads. */
    public QueryScheduler(EngineOptions.Queries options) {
        this(options, WAITER_SPIN_NANOS, WORKER_SPIN_NANOS);
    }

    /** With other spin bounds (0: park at once), to compare hand-off costs. */
    QueryScheduler(EngineOptions.Queries options, long waiterSpinNanos, long workerSpinNanos) {
        this.options = options;
        this.waiterSpinNanos = waiterSpinNanos;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(options.threads(), options.threads(), 0, TimeUnit.MILLISECONDS,
                // Depth 0: no waiting at all, a query starts only when a thread is free.
                options.queueDepth() == 0 ? new SynchronousQueue<>() : new SpinningQueue(options.queueDepth(), spin, workerSpinNanos),
                r -> Thread.ofPlatform().name("query-" + n.incrementAndGet()).daemon().unstarted(r));
        this.pool.prestartAllCoreThreads();
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
        // Spin only when the query starts at once: nothing queued ahead of it (the budget checks for a free core).
        boolean startsNow = pool.getQueue().isEmpty();
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            if (pool.isShutdown()) throw new IllegalStateException("the database is closed", e);
            throw new OverloadedException(options.queueDepth(), 1);
        }
        return task.await(startsNow ? waiterSpinNanos : 0, timeoutMillis);
    }

    /** The threads, queue depth and time limit this scheduler applies. */
    public EngineOptions.Queries options() {
        return options;
    }

    /** Queries waiting for a thread now. */
    public int queued() {
        return pool.getQueue().size();
    }

    /** Queries running now. */
    public int running() {
        return pool.getActiveCount();
    }

    /** Stops the query threads; queries still waiting or running fail. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** The admission queue; an idle query thread spins on it briefly before blocking (see {@link SpinBudget}). */
    private static final class SpinningQueue extends LinkedBlockingQueue<Runnable> {
        private final transient SpinBudget spin;
        private final long spinNanos;

        SpinningQueue(int capacity, SpinBudget spin, long spinNanos) {
            super(capacity);
            this.spin = spin;
            this.spinNanos = spinNanos;
        }

        @Override
        public Runnable take() throws InterruptedException {
            Runnable[] next = new Runnable[1];
            if (spinNanos > 0 && spin.spinUntil(() -> (next[0] = poll()) != null, spinNanos)) return next[0];
            return super.take();
        }
    }
}
