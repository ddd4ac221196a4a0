package io.lodestone.http;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** One daemon thread that fires the HTTP layer's deadlines (cutting off requests that arrive too slowly). */
final class DeadlineTimer {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lodestone-http-deadlines");
        t.setDaemon(true);
        return t;
    });

    private DeadlineTimer() {
    }

    static ScheduledFuture<?> after(Duration delay, Runnable action) {
        return TIMER.schedule(action, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }
}
