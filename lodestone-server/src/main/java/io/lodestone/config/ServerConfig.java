package io.lodestone.config;

import io.lodestone.engine.EngineOptions;

import java.time.Duration;

/**
 * {@code [server]}: where the HTTP server listens, how much one request may take, and how queries are scheduled.
 *
 * @param host             {@code host}: address to bind; default {@code "127.0.0.1"}, so that a server with auth off
 *                         is not reachable from other machines. Use {@code "0.0.0.0"} to listen on every interface.
 * @param port             {@code port}: TCP port, 0 for any free port; default 8080
 * @param requestTimeout   {@code request_timeout_seconds}: longest time one query may take, waiting for a query thread
 *                         included; past it the query is cancelled and answered 408; default 60 s
 * @param idleTimeout      {@code idle_timeout_seconds}: an idle keep-alive connection is closed after this; default 120 s
 * @param maxBodyBytes     {@code max_body_bytes}: largest request body, a size; default 64 MiB
 * @param queryThreads     {@code query_threads}: threads that run CPU-bound query work, 0 for one per core but one (at least one), which
 *                         leaves a core for connections, request parsing and writes; default 0
 * @param maxQueuedQueries {@code max_queued_queries}: queries that may wait for a query thread; one more is refused
 *                         at once with 429 and {@code Retry-After}; default 128
 * @param warmUp           {@code warm_up}: at start, run the query paths on a small private namespace in the background
 *                         ({@link io.lodestone.engine.WarmUp}), and answer {@code GET /ready} with 503 until done, so that
 *                         the first users' queries run compiled code; default true
 */
public record ServerConfig(String host, int port, Duration requestTimeout, Duration idleTimeout, long maxBodyBytes,
                           int queryThreads, int maxQueuedQueries, boolean warmUp) {

    /** The settings with default query scheduling and the warm-up on. */
    public ServerConfig(String host, int port, Duration requestTimeout, Duration idleTimeout, long maxBodyBytes) {
        this(host, port, requestTimeout, idleTimeout, maxBodyBytes, 0, 128, true);
    }

    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 8080, Duration.ofSeconds(60), Duration.ofSeconds(120), 64 * ByteSize.MiB);
    }

    /** Query threads to start: the configured number, or one per core but one (at least one). */
    public int effectiveQueryThreads() {
        return queryThreads > 0 ? queryThreads : EngineOptions.Queries.defaultThreads();
    }

    static ServerConfig bind(Section s) {
        ServerConfig d = defaults();
        return new ServerConfig(
                s.nonBlankString("host", d.host()),
                s.integer("port", d.port(), 0, 65535),
                Duration.ofSeconds(s.longInteger("request_timeout_seconds", d.requestTimeout().toSeconds(), 1, 86_400)),
                Duration.ofSeconds(s.longInteger("idle_timeout_seconds", d.idleTimeout().toSeconds(), 1, 86_400)),
                s.size("max_body_bytes", d.maxBodyBytes(), 1),
                s.integer("query_threads", d.queryThreads(), 0, 1024),
                s.integer("max_queued_queries", d.maxQueuedQueries(), 0, 1_000_000),
                s.bool("warm_up", d.warmUp()));
    }
}
