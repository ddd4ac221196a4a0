package io.lodestone.http;

import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Closes a TLS connection whose handshake has not completed within the idle timeout. Helidon runs each accepted
 * connection's handshake with no read timeout, its idle-connection check starts only once the handshake is done,
 * and a failed handshake leaves the socket open; so a client that connects and sends nothing (or half a
 * ClientHello) would hold its connection until it leaves. With plain HTTP the same client is closed after
 * {@code server.idle_timeout_seconds}; with TLS this does the same.
 *
 * <p>It wraps the listener's socket options, whose {@link #configureSocket} Helidon calls on every accepted socket
 * before the handshake starts, and schedules one check per connection at the deadline: a socket still open whose
 * handshake has not negotiated is closed, which ends the handshake's blocked read. The check waits on the JDK's
 * shared delay thread and runs on a virtual thread of its own, so nothing here needs stopping with the server.
 */
final class TlsHandshakeDeadline implements SocketOptions {
    private final SocketOptions delegate;
    private final Executor atDeadline;

    private TlsHandshakeDeadline(SocketOptions delegate, Duration timeout) {
        this.delegate = delegate;
        this.atDeadline = CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS,
                task -> Thread.ofVirtual().name("tls-handshake-deadline").start(task));
    }

    /** {@code options} with the handshake deadline when {@code tls} is enabled; else {@code options} unchanged. */
    static SocketOptions around(SocketOptions options, Tls tls, Duration timeout) {
        return tls.enabled() ? new TlsHandshakeDeadline(options, timeout) : options;
    }

    @Override
    public void configureSocket(Socket socket) {
        delegate.configureSocket(socket);
        if (socket instanceof SSLSocket ssl) {
            atDeadline.execute(() -> closeIfNotNegotiated(ssl));
        }
    }

    /** The application protocol is null until the handshake has negotiated ("" when no ALPN was asked for). */
    private static void closeIfNotNegotiated(SSLSocket ssl) {
        if (!ssl.isClosed() && ssl.getApplicationProtocol() == null) {
            try {
                ssl.close();
            } catch (IOException e) {
                // closing anyway: the handshake's read fails and Helidon ends the connection
            }
        }
    }

    @Override
    public Map<SocketOption<?>, Object> socketOptions() {
        return delegate.socketOptions();
    }

    @Override
    public Duration connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Duration readTimeout() {
        return delegate.readTimeout();
    }

    @Override
    public Optional<Integer> socketReceiveBufferSize() {
        return delegate.socketReceiveBufferSize();
    }

    @Override
    public Optional<Integer> socketSendBufferSize() {
        return delegate.socketSendBufferSize();
    }

    @Override
    public boolean socketReuseAddress() {
        return delegate.socketReuseAddress();
    }

    @Override
    public boolean socketKeepAlive() {
        return delegate.socketKeepAlive();
    }

    @Override
    public boolean tcpNoDelay() {
        return delegate.tcpNoDelay();
    }
}
