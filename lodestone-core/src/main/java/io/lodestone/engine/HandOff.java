package io.lodestone.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * One query handed from a request (virtual) thread to a query thread, and its result handed back. The
 * waiter spins briefly where {@link SpinBudget} allows (a small query is done before a parked thread would
 * even wake), then parks until the result, its deadline or an interrupt; the query thread unparks it, or
 * {@link QueryDeadlines} at the deadline (the waiter parks without a time limit: a timed park of a virtual
 * thread costs a timer per query). A query not yet started when its waiter gives up never runs.
 */
final class HandOff<T> {
    private static final int WAITING = 0, RUNNING = 1, DONE = 2, ABANDONED = 3;

    private final Function<Cancellation, T> work;
    private final Cancellation cancel;
    private final SpinBudget spin;
    private final Thread waiter = Thread.currentThread();
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private T result; // written before state becomes DONE, read after
    private Throwable failure;
    private boolean caughtSpinning; // the waiter's own


    HandOff(Function<Cancellation, T> work, Cancellation cancel, SpinBudget spin) {
        this.work = work;
        this.cancel = cancel;
        this.spin = spin;
    }

    /**
     * Runs the work on the calling (query) thread unless the waiter gave up; {@code release} runs after the work
     * and before the waiter learns of the result, so that the thread counts as free by the time the waiter can
     * hand over its next query.
     */
    void run(Runnable release) {
        if (!state.compareAndSet(WAITING, RUNNING)) { // abandoned by its waiter
            release.run();
            return;
        }
        spin.taskStarted();
        try {
            result = work.apply(cancel);
        } catch (Throwable t) {
            failure = t;
        } finally {
            spin.taskFinished();
            release.run();
            state.set(DONE);
            LockSupport.unpark(waiter);
        }
    }

    /** Fails the task without running it, unless it already started or was abandoned. */
    void refuse(Throwable why) {
        if (!state.compareAndSet(WAITING, RUNNING)) return;
        failure = why;
        state.set(DONE);
        LockSupport.unpark(waiter);
    }

    /** Unparks the waiter if the query is past its deadline and nobody else will wake it (see {@link QueryDeadlines}). */
    void wakeWaiterIfPast(long nowNanos) {
        int s = state.get();
        if (s != DONE && s != ABANDONED && !cancel.cancelled() && cancel.pastDeadline(nowNanos)) LockSupport.unpark(waiter);
    }

    private boolean done() {
        return state.get() == DONE;
    }

    /**
     * The result, spinning first for up to {@code spinNanos} (0: park at once); the work's own exception
     * as it was thrown.
     *
     * @throws QueryTimeoutException past the deadline or on interrupt (the work is then cancelled)
     */
    T await(long spinNanos, long timeoutMillis) {
        caughtSpinning = spinNanos > 0 && spin.spinUntil(this::done, spinNanos);
        if (!caughtSpinning) {
            while (!done()) {
                long left = cancel.remainingNanos();
                if (left <= 0 || Thread.interrupted()) return abandon(timeoutMillis, left > 0);
                LockSupport.park(this);
            }
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error err) throw err;
        if (failure != null) throw new IllegalStateException(failure);
        return result;
    }

    /** Whether {@link #await} got the result while spinning, without parking (the waiter's thread only). */
    boolean caughtSpinning() {
        return caughtSpinning;
    }

    /** Gives up waiting: the work is cancelled (or never starts), and the caller gets a timeout. */
    private T abandon(long timeoutMillis, boolean interrupted) {
        cancel.cancel();
        state.compareAndSet(WAITING, ABANDONED);
        if (interrupted) Thread.currentThread().interrupt();
        throw new QueryTimeoutException(timeoutMillis);
    }
}
