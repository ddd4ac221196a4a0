package io.lodestone.http;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request headers are still arriving {@code server.request_timeout_seconds} after its
 * request line (a slow-loris client sending a header byte now and then never trips the socket read timeout).
 * The request line itself is bounded by the idle timeout: Helidon interrupts a connection idle that long while it
 * waits for a request line.
 */
final class HeadDeadline implements Http1ConnectionListener, AutoCloseable {
    private final Duration timeout;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lodestone-head-deadline");
        t.setDaemon(true);
        return t;
    });
    private final Map<ConnectionContext, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

    HeadDeadline(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        ScheduledFuture<?> f = timer.schedule(() -> {
            if (pending.remove(ctx) != null) ctx.serverSocket().close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> previous = pending.put(ctx, f);
        if (previous != null) previous.cancel(false);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        ScheduledFuture<?> f = pending.remove(ctx);
        if (f != null) f.cancel(false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
