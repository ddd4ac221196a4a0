package io.lodestone.store;

import java.io.InterruptedIOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The retry schedule of one operation: at most {@link S3Tuning#maxAttempts()} attempts within
 * {@link S3Tuning#retryBudget()}, separated by exponential backoff with full jitter (a wait drawn
 * uniformly from zero to {@code min(retryMaxWait, retryBase * 2^(retry - 1))}), so that many clients
 * retrying after one server hiccup spread out instead of arriving together. Used by one thread.
 */
final class RetryLoop {
    private final S3Tuning tuning;
    private final long deadlineNanos;
    private int attempts = 1;

    RetryLoop(S3Tuning tuning) {
        this.tuning = tuning;
        this.deadlineNanos = System.nanoTime() + tuning.retryBudget().toNanos();
    }

    /** Attempts made so far, the current one included. */
    int attempts() {
        return attempts;
    }

    /**
     * After a failed attempt: waits the jittered backoff and returns true when another attempt may
     * start, or returns false at once when the attempts or the time budget are spent.
     */
    boolean retry(String what) throws InterruptedIOException {
        if (attempts >= tuning.maxAttempts()) return false;
        long max = tuning.retryMaxWait().toNanos();
        long bound = tuning.retryBase().toNanos();
        for (int i = 1; i < attempts && bound < max; i++) bound *= 2;
        bound = Math.min(bound, max);
        long wait = ThreadLocalRandom.current().nextLong(bound + 1);
        if (System.nanoTime() + wait >= deadlineNanos) return false;
        try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while retrying " + what);
        }
        attempts++;
        return true;
    }
}
