package io.lodestone.http;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * Closes a connection whose request headers are still arriving {@code server.request_timeout_seconds} after its
 * request line (a slow-loris client sending a header byte now and then, or none at all). The request line itself
 * is bounded by the idle timeout: Helidon interrupts a connection idle that long while it waits for a request
 * line. The body is bounded by {@link RequestBody}.
 */
final class HeadDeadline implements Http1ConnectionListener {
    private final Duration timeout;
    private final Map<ConnectionContext, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

    HeadDeadline(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        ScheduledFuture<?> f = DeadlineTimer.after(timeout, () -> {
            if (pending.remove(ctx) != null) ctx.serverSocket().close();
        });
        ScheduledFuture<?> previous = pending.put(ctx, f);
        if (previous != null) previous.cancel(false);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        ScheduledFuture<?> f = pending.remove(ctx);
        if (f != null) f.cancel(false);
    }
}
