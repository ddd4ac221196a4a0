package io.lodestone.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lodestone.engine.WarmUp;
import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

/**
 * The server's start-up warm-up ({@code server.warm_up}) and the readiness it decides: {@link WarmUp} and then
 * {@link HttpWarmUp} (a private server queried over HTTP) run on one background platform thread of low priority
 * while the server already answers, and {@code GET /ready} says 503
 * {@code warming_up} until it is done, so that a load balancer sends users' queries once they run compiled code.
 * A warm-up that fails is logged and counts as done: it only ever makes the first queries faster.
 */
final class StartupWarmUp implements AutoCloseable {
    /**
     * Time the query rounds may run (at least one runs whatever it takes: about 9 s in all on a 2-core machine). Not
     * tuned: what the warm-up as a whole saved is in docs/benchmarks.md.
     */
    static final Duration BUDGET = Duration.ofSeconds(3);
    private static final System.Logger LOG = System.getLogger(StartupWarmUp.class.getName());

    /**
     * Batches of parallel ranged reads that warm a remote store's request path: in a profile of a cold 1M-row answer
     * the S3 client's uncompiled request pipeline filled the time between its round trips (docs/benchmarks.md).
     */
    static final int STORE_BATCHES = 16;

    private final Thread thread;
    private volatile boolean done;

    private StartupWarmUp(ObjectStore store, String key) {
        done = store == null;
        thread = store == null ? null : Thread.ofPlatform().name("lodestone-warm-up").daemon().priority(Thread.MIN_PRIORITY)
                .unstarted(() -> run(store, key));
    }

    /**
     * The warm-up when {@code enabled}: the query paths, then ranged reads of {@code key} (an object that exists) on
     * {@code store}, the default region's; otherwise the server is ready at once. It runs from {@link #begin}.
     */
    static StartupWarmUp of(boolean enabled, ObjectStore store, String key) {
        return new StartupWarmUp(enabled ? store : null, key);
    }

    /** Starts the warm-up (once the server listens); nothing when it is off. */
    void begin() {
        if (thread != null) thread.start();
    }

    private void run(ObjectStore store, String key) {
        try {
            long[] httpNanos = new long[1];
            WarmUp.Report r = WarmUp.run(Files.createTempDirectory("lodestone-warm-up"), BUDGET, dir -> {
                long t0 = System.nanoTime();
                int requests = HttpWarmUp.run(dir);
                httpNanos[0] = System.nanoTime() - t0;
                return requests;
            });
            long t0 = System.nanoTime();
            int reads = WarmUp.warmStore(store, key, STORE_BATCHES);
            long storeMillis = (System.nanoTime() - t0) / 1_000_000;
            LOG.log(System.Logger.Level.INFO, "warmed up in " + (r.elapsed().toMillis() + storeMillis) + " ms: "
                    + r.queries() + " queries over " + r.rounds() + " fresh engines and a private HTTP server ("
                    + httpNanos[0] / 1_000_000 + " ms of it), then " + reads + " ranged reads of " + key + " ("
                    + storeMillis + " ms)");
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "start-up warm-up failed (the server serves without it): " + e, e);
        } finally {
            done = true;
        }
    }

    boolean ready() {
        return done;
    }

    /** {@code GET /ready}: 200 {@code ready}, or 503 {@code warming_up} with {@code Retry-After: 1}. */
    void answer(ServerRequest req, ServerResponse res) {
        if (done) {
            HttpJson.ok(res, JsonNodeFactory.instance.objectNode().put("status", "ready"));
        } else {
            res.header(HeaderNames.RETRY_AFTER, "1");
            HttpJson.send(res, Status.SERVICE_UNAVAILABLE_503, JsonNodeFactory.instance.objectNode().put("status", "warming_up"));
        }
    }

    /** Waits for a running warm-up (at most its budget and a little more), so that its files are gone after close. */
    @Override
    public void close() {
        if (thread == null || !thread.isAlive()) return;
        try {
            thread.join(BUDGET.toMillis() + 30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
