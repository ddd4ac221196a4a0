package io.lodestone.engine;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Where CPU-bound query work runs. Callers on virtual threads (the server's request threads) hand it to a
 * fixed pool of platform threads sized to the cores, behind a bounded queue, and wait; their carrier threads
 * stay free, so accepting connections, health checks and writes stay responsive under any query load. A full
 * queue refuses the query at once ({@link OverloadedException}). Callers on platform threads (an embedding
 * program's own threads, which it sizes itself) run the work on their own thread: no carrier to protect, and
 * no hand-off (two thread wake-ups, tens of microseconds, as much as a whole small ANN query). Either way a
 * query past its time limit is cancelled cooperatively ({@link Cancellation}) and its caller gets
 * {@link QueryTimeoutException}.
 */
final class QueryScheduler implements AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final EngineOptions.Queries options;

    QueryScheduler(EngineOptions.Queries options) {
        this.options = options;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(options.threads(), options.threads(), 0, TimeUnit.MILLISECONDS,
                // Depth 0: no waiting at all, a query starts only when a thread is free.
                options.queueDepth() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(options.queueDepth()),
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
        Future<T> f;
        try {
            f = pool.submit(() -> work.apply(cancel));
        } catch (RejectedExecutionException e) {
            if (pool.isShutdown()) throw new IllegalStateException("the database is closed", e);
            throw new OverloadedException(options.queueDepth(), 1);
        }
        try {
            return f.get(Math.max(0, cancel.remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            cancel.cancel();
            f.cancel(false);
            throw new QueryTimeoutException(timeoutMillis);
        } catch (InterruptedException e) {
            cancel.cancel();
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new QueryTimeoutException(timeoutMillis);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        }
    }

    /** Queries waiting for a thread now. */
    int queued() {
        return pool.getQueue().size();
    }

    /** Queries running now. */
    int running() {
        return pool.getActiveCount();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
