package io.lodestone.cache;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Queries go first: a background fetch (a cache warm, {@link TieredCache#prefetch}) takes one slice of a file at a
 * time and, before each, waits while queries run, up to {@link #MAX_YIELD_NANOS} (so that it still advances under a
 * steady load). On 1M × 768 over S3 the warm that follows a first answer read by ranges had kept two 64 MiB slices
 * per file in flight while queries ran: they shared the bandwidth with it, and the warm ANN p99 over 100 queries
 * was 4.9 s against a p50 of 123 ms (now 2.2 s and 130 ms; docs/benchmarks.md). Process-wide. Thread-safe.
 */
final class FetchPriority {
    /** Longest a background slice waits for queries to finish before it goes anyway. */
    static final long MAX_YIELD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final ScopedValue<Boolean> BACKGROUND = ScopedValue.newInstance();
    /** Query read sections running (nested or handed-on ones counted each). */
    private static final AtomicInteger QUERIES = new AtomicInteger();

    private FetchPriority() {
    }

    /** Runs a query's work, counted as running while it does. */
    static <T, X extends Throwable> T query(ScopedValue.CallableOp<T, X> work) throws X {
        QUERIES.incrementAndGet();
        try {
            return work.call();
        } finally {
            QUERIES.decrementAndGet();
        }
    }

    /** Runs background work: the fetches it makes yield to queries. */
    static <T, X extends Throwable> T background(ScopedValue.CallableOp<T, X> work) throws X {
        return ScopedValue.where(BACKGROUND, Boolean.TRUE).call(work);
    }

    /** Whether this thread runs background work. */
    static boolean inBackground() {
        return BACKGROUND.isBound();
    }

    /** Queries running now. */
    static int queriesRunning() {
        return QUERIES.get();
    }

    /** Waits while queries run, at most {@link #MAX_YIELD_NANOS}. */
    static void yieldToQueries() throws InterruptedIOException {
        long deadline = System.nanoTime() + MAX_YIELD_NANOS;
        while (QUERIES.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while yielding to queries");
            }
        }
    }
}
