package io.lodestone.engine;

import io.lodestone.store.ChangeCounter;

import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets concurrent callers share one run of a refresh (a namespace's freshness probe and catch-up)
 * without weakening what each is promised: every caller returns only after a refresh that
 * <em>started after the caller arrived</em> has completed. A caller that arrives while a refresh is
 * in flight cannot use it (it may have looked before the caller's write was acknowledged), so it
 * waits for the next one, which one of the waiters runs for all of them. Under load, N queries of a
 * namespace then cost about two probes instead of N; alone, a caller runs its refresh directly.
 *
 * <p>With the store's {@link ChangeCounter}, a caller that finds the counter where it was when the latest
 * completed refresh started returns at once, without a lock: no object changed since that refresh looked,
 * so a refresh now would find what it found. (Every write acknowledged before the caller arrived counted
 * its change before the caller's read; an unchanged count means it counted before that refresh's read,
 * hence its object was published before that refresh looked.)
 */
final class SharedRefresh {
    /** The refresh to share. */
    interface Refresh {
        void run() throws IOException;
    }

    private static final long NONE = Long.MIN_VALUE;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    /** Null when the store keeps no counter: every caller then waits for a refresh. */
    private final ChangeCounter changes;
    /** The counter as read just before the latest successful refresh started ({@link #NONE} before any). */
    private volatile long refreshedAtCount = NONE;
    private long issued;
    /** Every ticket up to this one has seen a refresh that started after it was issued. */
    private long covered;
    private boolean running;

    /** {@code changes}: the store's change counter, or null. */
    SharedRefresh(ChangeCounter changes) {
        this.changes = changes;
    }

    /** Whether a refresh runs only after the store changed (then it can afford to look at everything). */
    boolean tracksChanges() {
        return changes != null;
    }

    /** Returns once a refresh that started after this call was made has completed (run here or by another caller). */
    void await(Refresh refresh) throws IOException {
        if (changes != null && changes.current() == refreshedAtCount) return;
        long upTo, countAtStart;
        lock.lock();
        try {
            long ticket = ++issued;
            while (running && covered < ticket) finished.await();
            if (covered >= ticket) return;
            running = true;
            upTo = issued; // every caller with a ticket so far arrived before this refresh starts
            countAtStart = changes == null ? NONE : changes.current(); // read before the refresh looks
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for the namespace's freshness check", e);
        } finally {
            lock.unlock();
        }
        boolean ok = false;
        try {
            refresh.run();
            ok = true;
        } finally {
            lock.lock();
            try {
                running = false;
                if (ok) {
                    covered = Math.max(covered, upTo);
                    // published after the refresh's catch-up, which a caller reading it then sees
                    if (countAtStart > refreshedAtCount) refreshedAtCount = countAtStart;
                }
                finished.signalAll(); // on failure a waiter runs the next refresh itself
            } finally {
                lock.unlock();
            }
        }
    }
}
