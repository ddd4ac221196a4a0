package io.lodestone.http;

import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * What every accepted TLS connection gets on top of the listener's socket options. Helidon calls
 * {@link #configureSocket} on each accepted socket before its handshake starts.
 *
 * <ol>
 *   <li><b>No Nagle delay</b> ({@code TCP_NODELAY}). The JDK writes the end of a handshake, a TLS 1.3 session
 *       ticket and then the first response as separate small records; with Nagle's algorithm the later ones wait
 *       for the client's delayed ACK, and the first answer on every new HTTPS connection took 40 ms more
 *       ({@code curl}: handshake done at 8 ms, first byte at 50 ms; 0.5 ms on the same connection after).
 *   <li><b>A handshake deadline.</b> Helidon runs each connection's handshake with no read timeout, its
 *       idle-connection check starts only once the handshake is done, and a failed handshake leaves the socket
 *       open; so a client that connects and sends nothing (or half a ClientHello) would hold its connection until
 *       it leaves. One check per connection runs at the idle timeout: a socket whose handshake has not negotiated
 *       by then is closed, which ends the handshake's blocked read, as an idle plain-HTTP connection is closed.
 *       The check waits on the JDK's shared delay thread and runs on a virtual thread of its own, so nothing here
 *       needs stopping with the server.
 * </ol>
 */
final class TlsSocketOptions implements SocketOptions {
    private final SocketOptions delegate;
    private final Executor atDeadline;

    private TlsSocketOptions(SocketOptions delegate, Duration handshakeTimeout) {
        this.delegate = delegate;
        this.atDeadline = CompletableFuture.delayedExecutor(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS,
                task -> Thread.ofVirtual().name("tls-handshake-deadline").start(task));
    }

    /**
     * {@code options} with what TLS connections need when {@code tls} is enabled; else {@code options} unchanged.
     *
     * @param handshakeTimeout how long a connection may take to complete its handshake
     */
    static SocketOptions around(SocketOptions options, Tls tls, Duration handshakeTimeout) {
        return tls.enabled() ? new TlsSocketOptions(options, handshakeTimeout) : options;
    }

    @Override
    public void configureSocket(Socket socket) {
        delegate.configureSocket(socket);
        if (socket instanceof SSLSocket ssl) {
            try {
                ssl.setTcpNoDelay(true);
            } catch (SocketException e) {
                throw new UncheckedIOException(e);
            }
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
        return true;
    }
}
