package io.lodestone.testing;

import io.lodestone.store.StorageOptions;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault-injecting HTTP/1.1 proxy on a loopback port in front of an S3 server ({@link S3ProxyServer}),
 * for tests and benchmarks of what a store does when the network and the server misbehave.
 *
 * <p>Each request is read whole, sent to the server on a connection of its own, and its response read
 * whole (chunked bodies are de-chunked) and sent on with a {@code Content-Length}. Before that, every
 * request waits the configured {@link #latency(Duration) latency}, and one {@link Fault} may be drawn
 * for it from a seeded random, by the probabilities set with {@link #fault(Fault, double)}: the bands
 * of the faults that apply to the request's {@link Kind} are laid end to end in [0, 1) in enum order,
 * and one uniform draw picks at most one. Faults that need a body (truncation, reset mid-body) do
 * nothing to a response without one. All settings may be changed while requests run. Requests are
 * served concurrently on virtual threads, so the draw order, and with it the faults, are reproducible
 * only for requests sent one at a time.
 *
 * <p>Every exchange is recorded ({@link #exchanges()}) with its kind, status, fault, bytes, times and
 * round-trip depth, so that tests and benchmarks can count requests and bytes ({@link #traffic()}) and see
 * how many round trips a client waited for one after another ({@link #sequentialRoundTrips()}).
 * {@link #resetStats()} starts a new phase.
 *
 * <p>Only path-style requests ({@code /bucket/key}) are understood.
 */
public final class FaultProxy implements AutoCloseable {

    /** What can go wrong with one request. */
    public enum Fault {
        /** 503 with an S3 {@code SlowDown} error body; the request is not forwarded. */
        SLOW_DOWN,
        /** The request is forwarded and done, but the client gets 500 {@code InternalError}. */
        INTERNAL_ERROR,
        /** The request is forwarded and done, then the connection is reset with no response. */
        RESET_BEFORE_RESPONSE,
        /** The response head and half the body are sent, then the connection is reset. */
        RESET_MID_BODY,
        /** The response head (full {@code Content-Length}) and half the body are sent, then the connection closes. */
        TRUNCATED_BODY,
        /** A LIST response cut in half, with a {@code Content-Length} that matches the cut body (invalid XML). */
        TRUNCATED_LIST,
        /** The response is held back for {@link #firstByteDelay(Duration)} (past the client's read timeout). */
        DELAYED_FIRST_BYTE
    }

    /** What a request does, by method, path and headers. */
    public enum Kind {
        GET, GET_RANGE, HEAD, PUT, PUT_IF_ABSENT, LIST, DELETE,
        CREATE_MULTIPART, UPLOAD_PART, COMPLETE_MULTIPART, ABORT_MULTIPART, OTHER
    }

    /**
     * One request and what became of it.
     *
     * @param seq           order of arrival, from 0
     * @param kind          what the request does
     * @param method        the HTTP method
     * @param target        the request target (path and query)
     * @param status        status of the whole response sent to the client (perhaps after it gave up waiting);
     *                      0 when no whole response was sent (a reset, a cut body)
     * @param fault         the fault injected, or null
     * @param requestBytes  request body bytes received from the client
     * @param responseBytes response body bytes sent to the client
     * @param startNanos    {@link System#nanoTime()} when the request head was read
     * @param endNanos      {@link System#nanoTime()} when the exchange ended
     * @param depth         1 + the largest depth among the exchanges that had ended when this one started (see
     *                      {@link #sequentialRoundTrips()})
     */
    public record Exchange(long seq, Kind kind, String method, String target, int status, Fault fault,
                           long requestBytes, long responseBytes, long startNanos, long endNanos, int depth) {
    }

    /**
     * What clients asked of the store in one phase.
     *
     * @param requests             requests
     * @param byMethod             requests per HTTP method
     * @param byKind               requests per {@link Kind} (a LIST is a GET on the wire)
     * @param rangedGets           GETs of an object with a {@code Range} header
     * @param responseBytes        response body bytes sent to the clients (what they read)
     * @param requestBytes         request body bytes received from the clients (what they wrote)
     * @param sequentialRoundTrips round trips waited for one after another (the largest depth)
     */
    public record Traffic(long requests, Map<String, Long> byMethod, Map<Kind, Long> byKind, long rangedGets, long responseBytes,
                          long requestBytes, int sequentialRoundTrips) {
    }

    private final ServerSocket server;
    private final InetSocketAddress backend;
    private final URI endpoint;
    private final Random random;
    private final Map<Fault, Double> probabilities = new EnumMap<>(Fault.class);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Exchange> exchanges = new ArrayList<>();
    private final AtomicLong arrivals = new AtomicLong();
    private final RoundTripDepth depths = new RoundTripDepth();
    /** Bumped by {@link #resetStats()}: an exchange that started before a reset is not recorded after it. */
    private long phase;
    private Set<Kind> faultKinds = EnumSet.allOf(Kind.class);
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration firstByteDelay = Duration.ofSeconds(5);
    private volatile boolean closed;

    private FaultProxy(ServerSocket server, InetSocketAddress backend, long seed) {
        this.server = server;
        this.backend = backend;
        this.endpoint = URI.create("http://127.0.0.1:" + server.getLocalPort());
        this.random = new Random(seed);
    }

    /** Starts a proxy in front of the server at {@code backend} (an http URI with host and port); no faults yet. */
    public static FaultProxy start(URI backend, long seed) throws IOException {
        var socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        var proxy = new FaultProxy(socket, new InetSocketAddress(backend.getHost(), backend.getPort()), seed);
        Thread.ofPlatform().daemon().name("fault-proxy-accept-" + socket.getLocalPort()).start(proxy::acceptLoop);
        return proxy;
    }

    /** Starts a proxy in front of {@code s3}. */
    public static FaultProxy start(S3ProxyServer s3, long seed) throws IOException {
        return start(s3.endpoint(), seed);
    }

    /** The proxy's endpoint, e.g. {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Options for an S3 store on {@code s3}'s bucket under {@code prefix}, reached through this proxy. */
    public StorageOptions storageOptions(S3ProxyServer s3, String prefix) {
        return s3.storageOptions(prefix).withEndpoint(endpoint.toString());
    }

    /** Sets the probability (0..1) that a request gets {@code fault}; the probabilities must sum to at most 1. */
    public synchronized FaultProxy fault(Fault fault, double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability of " + fault + " must be in [0, 1]; got " + probability);
        }
        probabilities.put(fault, probability);
        double sum = probabilities.values().stream().mapToDouble(Double::doubleValue).sum();
        if (sum > 1 + 1e-9) {
            probabilities.remove(fault);
            throw new IllegalArgumentException("fault probabilities sum to " + sum + " > 1");
        }
        return this;
    }

    /** Turns every fault off (latency stays). */
    public synchronized FaultProxy clearFaults() {
        probabilities.clear();
        return this;
    }

    /** Faults are drawn only for requests of these kinds (default: all). */
    public synchronized FaultProxy faultKinds(Set<Kind> kinds) {
        faultKinds = kinds.isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(kinds);
        return this;
    }

    /** Delay added before forwarding every request. */
    public FaultProxy latency(Duration delay) {
        latency = delay;
        return this;
    }

    /** How long {@link Fault#DELAYED_FIRST_BYTE} holds a response back (default 5 s). */
    public FaultProxy firstByteDelay(Duration delay) {
        firstByteDelay = delay;
        return this;
    }

    /** Every exchange so far, in order of completion. */
    public synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /**
     * Starts a new phase: forgets the recorded exchanges and depths (settings stay). Exchanges still in
     * flight belong to the old phase and are not recorded when they end.
     */
    public synchronized void resetStats() {
        exchanges.clear();
        depths.reset();
        phase++;
    }

    /** Requests, bytes and round trips of this phase. */
    public synchronized Traffic traffic() {
        Map<String, Long> byMethod = new TreeMap<>();
        Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
        for (Exchange e : exchanges) {
            byMethod.merge(e.method(), 1L, Long::sum);
            byKind.merge(e.kind(), 1L, Long::sum);
        }
        return new Traffic(exchanges.size(), Collections.unmodifiableMap(byMethod), Collections.unmodifiableMap(byKind),
                requests(Kind.GET_RANGE), responseBytes(), requestBytes(), sequentialRoundTrips());
    }

    /** Requests of that kind so far. */
    public synchronized long requests(Kind kind) {
        return exchanges.stream().filter(e -> e.kind() == kind).count();
    }

    /** Requests so far. */
    public synchronized long requests() {
        return exchanges.size();
    }

    /** Requests that got {@code fault} so far. */
    public synchronized long faults(Fault fault) {
        return exchanges.stream().filter(e -> e.fault() == fault).count();
    }

    /** Response body bytes sent to clients so far. */
    public synchronized long responseBytes() {
        return exchanges.stream().mapToLong(Exchange::responseBytes).sum();
    }

    /** Request body bytes received from clients so far. */
    public synchronized long requestBytes() {
        return exchanges.stream().mapToLong(Exchange::requestBytes).sum();
    }

    /**
     * Round trips the clients waited for one after another in this phase, the critical path as the wire
     * sees it: each exchange has depth 1 + the largest depth among the exchanges that had ended when it
     * started, and this is the largest depth. Strictly sequential requests give their count; requests all
     * in flight at once give 1; a request that waited for two parallel ones to end and was followed by one
     * more gives 3.
     */
    public synchronized int sequentialRoundTrips() {
        return depths.max();
    }

    /** Stops accepting and closes every open connection. */
    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread.ofVirtual().name("fault-proxy-conn").start(() -> serve(client));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    /** Serves requests on one client connection until it closes or a fault ends it. */
    private void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true); // a head and a body written apart must not wait for a delayed ACK
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024);
            while (!closed) {
                HttpMessage request = HttpMessage.read(in, out, null);
                if (request == null || !exchange(client, out, request) || "close".equalsIgnoreCase(request.header("connection"))) {
                    return;
                }
            }
        } catch (IOException | InterruptedException gone) {
            // the client went away or a fault ended the connection
        } finally {
            open.remove(client);
        }
    }

    /** One request; returns whether the client connection stays open. */
    private boolean exchange(Socket client, OutputStream out, HttpMessage request) throws IOException, InterruptedException {
        long seq = arrivals.getAndIncrement();
        Kind kind = kindOf(request);
        Fault fault = draw(kind);
        long phaseAtStart;
        synchronized (this) {
            phaseAtStart = phase;
        }
        var record = new Recorder(seq, kind, request, fault, request.headNanos, phaseAtStart);
        try {
            return respond(client, out, request, fault, record);
        } finally {
            record.ended(0, 0); // when the client went away first; no-op after a recorded end
        }
    }

    private boolean respond(Socket client, OutputStream out, HttpMessage request, Fault fault, Recorder record)
            throws IOException, InterruptedException {
        sleep(latency);
        if (fault == Fault.SLOW_DOWN) {
            return send(out, HttpMessage.error(503, "Slow Down", "SlowDown", "Please reduce your request rate.")
                    .answering(request.method()), -1, record);
        }
        HttpMessage response = forward(request);
        if (fault != null && response.body.length < 2 && fault.compareTo(Fault.RESET_MID_BODY) >= 0
                && fault != Fault.DELAYED_FIRST_BYTE) {
            record.fault = null; // nothing to cut
        }
        switch (record.fault == null ? null : fault) {
            case INTERNAL_ERROR -> {
                return send(out, HttpMessage.error(500, "Internal Server Error", "InternalError",
                        "We encountered an internal error. Please try again.").answering(request.method()), -1, record);
            }
            case RESET_BEFORE_RESPONSE -> {
                record.ended(0, 0);
                reset(client);
                return false;
            }
            case RESET_MID_BODY -> {
                send(out, response, response.body.length / 2, record);
                reset(client);
                return false;
            }
            case TRUNCATED_BODY -> {
                send(out, response, response.body.length / 2, record);
                client.shutdownOutput();
                return false;
            }
            case TRUNCATED_LIST -> {
                return send(out, response.cut(response.body.length / 2), -1, record);
            }
            case DELAYED_FIRST_BYTE -> {
                sleep(firstByteDelay);
                return send(out, response, -1, record);
            }
            case null, default -> {
                return send(out, response, -1, record);
            }
        }
    }

    /** Fills in an exchange and records it when it ends. */
    private final class Recorder {
        final long seq;
        final Kind kind;
        final HttpMessage request;
        final long start;
        final long phase;
        Fault fault;
        boolean recorded;

        Recorder(long seq, Kind kind, HttpMessage request, Fault fault, long start, long phase) {
            this.seq = seq;
            this.kind = kind;
            this.request = request;
            this.fault = fault;
            this.start = start;
            this.phase = phase;
        }

        /**
         * Records the exchange, the first time only and if no reset came since it started; returns false (the
         * connection is done). The end time is taken under the lock, so ends are recorded in time order.
         */
        boolean ended(int status, long bytes) {
            synchronized (FaultProxy.this) {
                if (recorded) return false;
                recorded = true;
                if (phase != FaultProxy.this.phase) return false;
                long end = System.nanoTime();
                int depth = depths.depthOfRequestStartedAt(start);
                depths.completed(depth, end);
                exchanges.add(new Exchange(seq, kind, request.method(), request.target(), status, fault,
                        request.body.length, bytes, start, end, depth));
            }
            return false;
        }
    }

    private synchronized Fault draw(Kind kind) {
        double u = random.nextDouble();
        if (!faultKinds.contains(kind)) return null;
        double edge = 0;
        for (Fault f : Fault.values()) {
            if (f == Fault.TRUNCATED_LIST && kind != Kind.LIST) continue;
            edge += probabilities.getOrDefault(f, 0.0);
            if (u < edge) return f;
        }
        return null;
    }

    /** Sends the request to the server on a new connection and reads the whole response. */
    private HttpMessage forward(HttpMessage request) throws IOException {
        try (var socket = new Socket()) {
            socket.connect(backend, 10_000);
            socket.setTcpNoDelay(true);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            out.write(request.head(true));
            out.write(request.body);
            out.flush();
            return HttpMessage.read(new BufferedInputStream(socket.getInputStream()), null, request.method());
        }
    }

    /**
     * Writes the response, its body cut to {@code bodyBytes} when that is not -1, and records the exchange
     * before the last flush (so that a client that has its answer finds it recorded): status 0 for a cut
     * body. Returns true (the connection may stay open after a whole response).
     */
    private static boolean send(OutputStream out, HttpMessage response, int bodyBytes, Recorder record) throws IOException {
        int n = bodyBytes < 0 ? response.body.length : bodyBytes;
        out.write(response.head(false));
        out.write(response.body, 0, n);
        record.ended(bodyBytes < 0 || response.headOnly ? response.status : 0, n);
        out.flush();
        return true;
    }

    private static Kind kindOf(HttpMessage r) {
        String target = r.target();
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        boolean bucketLevel = path.indexOf('/', 1) < 0 || path.indexOf('/', 1) == path.length() - 1;
        boolean upload = query.contains("uploadId=");
        return switch (r.method()) {
            case "GET" -> bucketLevel ? Kind.LIST : r.header("range") != null ? Kind.GET_RANGE : Kind.GET;
            case "HEAD" -> Kind.HEAD;
            case "PUT" -> upload ? Kind.UPLOAD_PART : r.header("if-none-match") != null ? Kind.PUT_IF_ABSENT : Kind.PUT;
            case "POST" -> upload ? Kind.COMPLETE_MULTIPART : query.contains("uploads") ? Kind.CREATE_MULTIPART : Kind.OTHER;
            case "DELETE" -> upload ? Kind.ABORT_MULTIPART : Kind.DELETE;
            default -> Kind.OTHER;
        };
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // close with RST, not FIN
        } catch (SocketException ignored) {
            // closing is all that is left
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static void sleep(Duration d) throws InterruptedIOException {
        if (d.isZero() || d.isNegative()) return;
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("fault proxy interrupted");
        }
    }

}
