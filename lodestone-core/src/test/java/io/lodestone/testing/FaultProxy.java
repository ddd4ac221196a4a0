package io.lodestone.testing;

import io.lodestone.store.StorageOptions;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
 * <p>Every exchange is recorded ({@link #exchanges()}) with its kind, status, fault, bytes and times,
 * so that tests and benchmarks can count requests and bytes and see how sequential they were.
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
     */
    public record Exchange(long seq, Kind kind, String method, String target, int status, Fault fault,
                           long requestBytes, long responseBytes, long startNanos, long endNanos) {
    }

    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "content-length", "expect", "te", "trailer", "upgrade");

    private final ServerSocket server;
    private final InetSocketAddress backend;
    private final URI endpoint;
    private final Random random;
    private final Map<Fault, Double> probabilities = new EnumMap<>(Fault.class);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Exchange> exchanges = new ArrayList<>();
    private final AtomicLong arrivals = new AtomicLong();
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

    /** Forgets the recorded exchanges (settings stay). */
    public synchronized void resetStats() {
        exchanges.clear();
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
     * Round trips a client waited for one after another: the number of groups of recorded exchanges
     * that overlap in time (a request that starts after every earlier one has ended opens a new group).
     * Strictly sequential requests give their count; requests all in flight at once give 1.
     */
    public synchronized int sequentialRoundTrips() {
        var byStart = exchanges.stream().sorted(java.util.Comparator.comparingLong(Exchange::startNanos)).toList();
        int groups = 0;
        long groupEnd = Long.MIN_VALUE;
        for (Exchange e : byStart) {
            if (groups == 0 || e.startNanos() > groupEnd) {
                groups++;
                groupEnd = e.endNanos();
            } else {
                groupEnd = Math.max(groupEnd, e.endNanos());
            }
        }
        return groups;
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
                Message request = Message.read(in, out, null);
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
    private boolean exchange(Socket client, OutputStream out, Message request) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long seq = arrivals.getAndIncrement();
        Kind kind = kindOf(request);
        Fault fault = draw(kind);
        var record = new Recorder(seq, kind, request, fault, start);
        try {
            return respond(client, out, request, fault, record);
        } finally {
            record.ended(0, 0); // when the client went away first; no-op after a recorded end
        }
    }

    private boolean respond(Socket client, OutputStream out, Message request, Fault fault, Recorder record)
            throws IOException, InterruptedException {
        sleep(latency);
        if (fault == Fault.SLOW_DOWN) {
            return send(out, Message.error(503, "Slow Down", "SlowDown", "Please reduce your request rate."), -1, record);
        }
        Message response = forward(request);
        if (fault != null && response.body.length < 2 && fault.compareTo(Fault.RESET_MID_BODY) >= 0
                && fault != Fault.DELAYED_FIRST_BYTE) {
            record.fault = null; // nothing to cut
        }
        switch (record.fault == null ? null : fault) {
            case INTERNAL_ERROR -> {
                return send(out, Message.error(500, "Internal Server Error", "InternalError",
                        "We encountered an internal error. Please try again."), -1, record);
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
        final Message request;
        final long start;
        Fault fault;
        boolean recorded;

        Recorder(long seq, Kind kind, Message request, Fault fault, long start) {
            this.seq = seq;
            this.kind = kind;
            this.request = request;
            this.fault = fault;
            this.start = start;
        }

        /** Records the exchange, the first time only; returns false (the connection is done). */
        boolean ended(int status, long bytes) {
            synchronized (FaultProxy.this) {
                if (recorded) return false;
                recorded = true;
                exchanges.add(new Exchange(seq, kind, request.method(), request.target(), status, fault,
                        request.body.length, bytes, start, System.nanoTime()));
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
    private Message forward(Message request) throws IOException {
        try (var socket = new Socket()) {
            socket.connect(backend, 10_000);
            socket.setTcpNoDelay(true);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            out.write(request.head(true));
            out.write(request.body);
            out.flush();
            return Message.read(new BufferedInputStream(socket.getInputStream()), null, request.method());
        }
    }

    /**
     * Writes the response, its body cut to {@code bodyBytes} when that is not -1, and records the exchange
     * before the last flush (so that a client that has its answer finds it recorded): status 0 for a cut
     * body. Returns true (the connection may stay open after a whole response).
     */
    private static boolean send(OutputStream out, Message response, int bodyBytes, Recorder record) throws IOException {
        int n = bodyBytes < 0 ? response.body.length : bodyBytes;
        out.write(response.head(false));
        out.write(response.body, 0, n);
        record.ended(bodyBytes < 0 || response.headOnly ? response.status : 0, n);
        out.flush();
        return true;
    }

    private static Kind kindOf(Message r) {
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

    /** An HTTP/1.1 request or response, head parsed and body read whole. */
    private static final class Message {
        final String startLine;
        final List<String[]> headers;
        final byte[] body;
        /** 0 for a request. */
        final int status;
        /** A response that has no body whatever its headers say (to HEAD, 204, 304). */
        final boolean headOnly;

        private Message(String startLine, List<String[]> headers, byte[] body, int status, boolean headOnly) {
            this.startLine = startLine;
            this.headers = headers;
            this.body = body;
            this.status = status;
            this.headOnly = headOnly;
        }

        /** An S3 error response. */
        static Message error(int status, String reason, String code, String message) {
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                    + message + "</Message><RequestId>fault-proxy</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
            List<String[]> headers = new ArrayList<>();
            headers.add(new String[] {"Content-Type", "application/xml"});
            return new Message("HTTP/1.1 " + status + " " + reason, headers, body, status, false);
        }

        String method() {
            return startLine.substring(0, startLine.indexOf(' '));
        }

        String target() {
            String[] parts = startLine.split(" ");
            return parts.length > 1 ? parts[1] : "";
        }

        String header(String lowerName) {
            for (String[] h : headers) {
                if (h[0].toLowerCase(Locale.ROOT).equals(lowerName)) return h[1];
            }
            return null;
        }

        /** The same response with its body cut to {@code n} bytes and a Content-Length to match. */
        Message cut(int n) {
            return new Message(startLine, headers, java.util.Arrays.copyOf(body, n), status, headOnly);
        }

        /**
         * The head to send: the start line, the end-to-end headers, a {@code Content-Length} for the body
         * (a HEAD response keeps the server's), and {@code Connection: close} towards the server.
         */
        byte[] head(boolean toServer) {
            var sb = new StringBuilder(startLine).append("\r\n");
            for (String[] h : headers) {
                if (!HOP_BY_HOP.contains(h[0].toLowerCase(Locale.ROOT))) sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
            String length = header("content-length");
            if (headOnly) {
                if (length != null) sb.append("Content-Length: ").append(length).append("\r\n"); // the object's size
            } else if (status != 0 || body.length > 0 || length != null || header("transfer-encoding") != null) {
                sb.append("Content-Length: ").append(body.length).append("\r\n"); // chunks joined, or cut
            }
            if (toServer) sb.append("Connection: close\r\n");
            return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        /**
         * Reads one message; null at a clean end of stream before it. A request that expects
         * {@code 100 Continue} gets it on {@code interim} before its body is read. {@code requestMethod}
         * is null when reading a request, else the method of the request this response answers.
         */
        static Message read(InputStream in, OutputStream interim, String requestMethod) throws IOException {
            String head = readHead(in);
            if (head == null) return null;
            String[] lines = head.split("\r\n");
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
            }
            int status = requestMethod == null ? 0 : Integer.parseInt(lines[0].split(" ")[1]);
            var m = new Message(lines[0], headers, new byte[0], status, false);
            if (requestMethod != null && status / 100 == 1) {
                return read(in, interim, requestMethod); // skip an interim response
            }
            if (interim != null && "100-continue".equalsIgnoreCase(m.header("expect"))) {
                interim.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                interim.flush();
            }
            boolean noBody = requestMethod != null && ("HEAD".equals(requestMethod) || status == 204 || status == 304);
            byte[] body;
            String length = m.header("content-length");
            if (noBody) {
                body = new byte[0];
            } else if ("chunked".equalsIgnoreCase(m.header("transfer-encoding"))) {
                body = readChunked(in);
            } else if (length != null) {
                body = in.readNBytes(Integer.parseInt(length));
                if (body.length < Integer.parseInt(length)) throw new EOFException("body ended early");
            } else {
                body = requestMethod == null ? new byte[0] : in.readAllBytes(); // a response ended by close
            }
            return new Message(lines[0], headers, body, status, noBody);
        }

        private static String readHead(InputStream in) throws IOException {
            var buf = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    if (buf.size() == 0) return null;
                    throw new EOFException("connection closed inside a message head");
                }
                buf.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : (b == '\r' ? 1 : 0);
                if (buf.size() > MAX_HEAD_BYTES) throw new IOException("message head over " + MAX_HEAD_BYTES + " bytes");
            }
            String head = buf.toString(StandardCharsets.ISO_8859_1);
            return head.substring(0, head.length() - 4);
        }

        private static byte[] readChunked(InputStream in) throws IOException {
            var body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                int semicolon = sizeLine.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers are dropped
                    }
                    return body.toByteArray();
                }
                byte[] chunk = in.readNBytes(size);
                if (chunk.length < size) throw new EOFException("chunk ended early");
                body.write(chunk);
                readLine(in);
            }
        }

        private static String readLine(InputStream in) throws IOException {
            var line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') line.append((char) b);
            }
            if (b < 0) throw new EOFException("connection closed inside a chunked body");
            return line.toString();
        }
    }
}
