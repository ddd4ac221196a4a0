package io.lodestone.http;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** One daemon thread that fires the HTTP layer's deadlines (cutting off requests that arrive too slowly). */
final class DeadlineTimer {
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "lodestone-http-deadlines");
        t.setDaemon(true);
        return t;
    });

    static {
        // Nearly every deadline is cancelled (the request arrived in time); drop those at once rather than keep
        // one dead task per request queued for the whole timeout.
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private DeadlineTimer() {
    }

    static ScheduledFuture<?> after(Duration delay, Runnable action) {
        return TIMER.schedule(action, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }
}
