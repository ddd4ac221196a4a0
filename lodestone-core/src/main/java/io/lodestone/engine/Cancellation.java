package io.lodestone.engine;

/**
 * Cooperative cancellation of one query: long loops (scans, graph walks, filters) call {@link #check()}
 * now and then, which throws once the query is past its deadline or was cancelled, so an abandoned query
 * stops using its thread.
 */
final class Cancellation {
    /** For work that is never cancelled (writer-side filters, tests). */
    static final Cancellation NONE = new Cancellation(Long.MAX_VALUE, Long.MAX_VALUE);

    private final long deadlineNanos;
    private final long timeoutMillis;
    private volatile boolean cancelled;

    private Cancellation(long deadlineNanos, long timeoutMillis) {
        this.deadlineNanos = deadlineNanos;
        this.timeoutMillis = timeoutMillis;
    }

    /** Cancellation at {@code timeoutMillis} from now. */
    static Cancellation after(long timeoutMillis) {
        return new Cancellation(System.nanoTime() + timeoutMillis * 1_000_000L, timeoutMillis);
    }

    void cancel() {
        cancelled = true;
    }

    /** Whether the work was cancelled, or found past its deadline by {@link #check()}. */
    boolean cancelled() {
        return cancelled;
    }

    /** Whether {@code nowNanos} (a {@link System#nanoTime()} reading) is past the deadline. */
    boolean pastDeadline(long nowNanos) {
        return deadlineNanos != Long.MAX_VALUE && nowNanos - deadlineNanos > 0;
    }

    /** Nanoseconds left before the deadline (may be negative). */
    long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    /** @throws QueryTimeoutException once cancelled or past the deadline */
    void check() {
        if (cancelled || pastDeadline(System.nanoTime())) {
            cancelled = true;
            throw new QueryTimeoutException(timeoutMillis);
        }
    }
}
