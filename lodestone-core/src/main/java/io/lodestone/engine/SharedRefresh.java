package io.lodestone.engine;

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
 */
final class SharedRefresh {
    /** The refresh to share. */
    interface Refresh {
        void run() throws IOException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    private long issued;
    /** Every ticket up to this one has seen a refresh that started after it was issued. */
    private long covered;
    private boolean running;

    /** Returns once a refresh that started after this call was made has completed (run here or by another caller). */
    void await(Refresh refresh) throws IOException {
        long upTo;
        lock.lock();
        try {
            long ticket = ++issued;
            while (running && covered < ticket) finished.await();
            if (covered >= ticket) return;
            running = true;
            upTo = issued; // every caller with a ticket so far arrived before this refresh starts
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
                if (ok) covered = Math.max(covered, upTo);
                finished.signalAll(); // on failure a waiter runs the next refresh itself
            } finally {
                lock.unlock();
            }
        }
    }
}
