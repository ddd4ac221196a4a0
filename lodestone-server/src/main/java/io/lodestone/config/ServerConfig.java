package io.lodestone.config;

import java.time.Duration;

/**
 * {@code [server]}: where the HTTP server listens and how much one request may take.
 *
 * @param host           {@code host}: address to bind; default {@code "127.0.0.1"}, so that a server with auth off
 *                       is not reachable from other machines. Use {@code "0.0.0.0"} to listen on every interface.
 * @param port           {@code port}: TCP port, 0 for any free port; default 8080
 * @param requestTimeout {@code request_timeout_seconds}: longest time one request may run; default 60 s
 * @param idleTimeout    {@code idle_timeout_seconds}: an idle keep-alive connection is closed after this; default 120 s
 * @param maxBodyBytes   {@code max_body_bytes}: largest request body, a size; default 64 MiB
 */
public record ServerConfig(String host, int port, Duration requestTimeout, Duration idleTimeout, long maxBodyBytes) {

    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 8080, Duration.ofSeconds(60), Duration.ofSeconds(120), 64 * ByteSize.MiB);
    }

    static ServerConfig bind(Section s) {
        ServerConfig d = defaults();
        return new ServerConfig(
                s.nonBlankString("host", d.host()),
                s.integer("port", d.port(), 0, 65535),
                Duration.ofSeconds(s.longInteger("request_timeout_seconds", d.requestTimeout().toSeconds(), 1, 86_400)),
                Duration.ofSeconds(s.longInteger("idle_timeout_seconds", d.idleTimeout().toSeconds(), 1, 86_400)),
                s.size("max_body_bytes", d.maxBodyBytes(), 1));
    }
}
