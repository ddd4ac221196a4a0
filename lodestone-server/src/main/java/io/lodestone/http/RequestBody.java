package io.lodestone.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.lodestone.doc.InvalidInputException;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * A request body as the handler should read it: decompressed ({@code Content-Encoding: gzip}, {@code deflate} or
 * {@code identity}), limited to {@code server.max_body_bytes} after decompression (so a zip bomb ends in 413, not
 * an OutOfMemoryError), and limited in time ({@code server.request_timeout_seconds}, so a trickling body ends in
 * 408). Transport failures (a body shorter than its Content-Length, a bad chunk) become 400.
 *
 * <p>Helidon passes bodies through undecoded ({@link PassThroughEncoding}); decoding happens here, once.
 */
public final class RequestBody {
    private RequestBody() {
    }

    /**
     * Opens the body of {@code req}; 413 at once when its Content-Length is already over {@code maxBytes}, 415 for
     * an encoding other than gzip, deflate or identity. The caller must close the stream: that also stops the
     * watchdog that cuts off a body still arriving after {@code timeout}.
     */
    public static InputStream open(ServerRequest req, long maxBytes, Duration timeout) {
        long declared = req.headers().contentLength().orElse(-1);
        String encoding = req.headers().first(HeaderNames.CONTENT_ENCODING).orElse("identity").trim().toLowerCase(Locale.ROOT);
        if (!encoding.equals("identity") && !encoding.equals("gzip") && !encoding.equals("x-gzip") && !encoding.equals("deflate")) {
            throw new UnsupportedContentEncodingException(encoding);
        }
        // Compressed bodies are limited after decompression; an identity body can be refused before reading it.
        if (encoding.equals("identity") && declared > maxBytes) throw new PayloadTooLargeException(declared, maxBytes);
        TransportErrors raw = new TransportErrors(req.content().inputStream(), System.nanoTime() + timeout.toNanos(), timeout, maxBytes);
        req.context().register(raw);
        try {
            InputStream decoded = switch (encoding) {
                case "gzip", "x-gzip" -> gunzip(raw);
                case "deflate" -> inflate(raw);
                default -> raw;
            };
            return new Limited(decoded, maxBytes, decoded != raw);
        } catch (RuntimeException e) {
            raw.finish(); // not valid compressed data: the body's deadline must not outlive the request
            throw e;
        }
    }

    /**
     * Whether the connection may serve another request after this one was answered, perhaps before its body was read
     * to the end (refused part-way through): the unread rest of the raw body is read and dropped first (at most
     * {@code server.max_body_bytes}, within the request's deadline), so that it is never parsed as the next request.
     * False when the rest cannot be read so (too long, too slow, broken, or a body never opened that its
     * Content-Length refused): the connection must then close.
     */
    public static boolean readyForNextRequest(ServerRequest req) {
        TransportErrors opened = req.context().get(TransportErrors.class).orElse(null);
        // never opened: the server would read all of it after the answer, however long its Content-Length
        if (opened == null) return req.content().consumed();
        return opened.drainRest();
    }

    private static InputStream gunzip(InputStream in) {
        try {
            return new GZIPInputStream(in, 64 * 1024);
        } catch (IOException e) {
            throw new InvalidInputException("request body is not valid gzip (Content-Encoding: gzip): " + e.getMessage());
        }
    }

    /** HTTP's "deflate" is a zlib stream (RFC 9110); some clients send raw deflate, which is accepted too. */
    private static InputStream inflate(InputStream in) {
        BufferedInputStream b = new BufferedInputStream(in, 64 * 1024);
        try {
            b.mark(2);
            int cmf = b.read();
            int flg = b.read();
            b.reset();
            boolean zlib = cmf >= 0 && flg >= 0 && (cmf & 0x0f) == 8 && ((cmf << 8) | flg) % 31 == 0;
            return new InflaterInputStream(b, new Inflater(!zlib), 64 * 1024);
        } catch (IOException e) {
            throw new InvalidInputException("could not read the request body: " + e.getMessage());
        }
    }

    /** Counts decoded bytes and refuses the body past the limit. */
    private static final class Limited extends FilterInputStream {
        private final long maxBytes;
        private final boolean decompressed;
        private long total;

        Limited(InputStream in, long maxBytes, boolean decompressed) {
            super(in);
            this.maxBytes = maxBytes;
            this.decompressed = decompressed;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (ZipException e) {
                throw new InvalidInputException("request body is not valid compressed data: " + e.getMessage());
            }
            if (n > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new PayloadTooLargeException("request body is over the limit of " + maxBytes + " bytes"
                            + (decompressed ? " once decompressed" : "") + " (server.max_body_bytes)");
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return read(new byte[(int) Math.min(n, 8192)]);
        }
    }

    /**
     * The raw body as Helidon reads it, with its failures turned into client errors: the stream ending early or a
     * malformed chunk (Helidon's runtime exceptions) is a 400; the body still arriving at the deadline is a 408.
     * A read that blocks past the deadline (a client that stalls) is interrupted, which closes the connection.
     */
    private static final class TransportErrors extends FilterInputStream {
        private final long deadlineNanos;
        private final Duration timeout;
        private final long maxBytes;
        private final Thread reader = Thread.currentThread();
        private ScheduledFuture<?> watchdog;
        private boolean finished;
        private boolean interrupted;
        /** The raw body was read to its end. */
        private boolean ended;
        /** Reading it failed or ran out of time: what is left on the connection is unknown. */
        private boolean broken;

        TransportErrors(InputStream in, long deadlineNanos, Duration timeout, long maxBytes) {
            super(in);
            this.deadlineNanos = deadlineNanos;
            this.timeout = timeout;
            this.maxBytes = maxBytes;
            this.watchdog = DeadlineTimer.after(timeout, this::interruptIfReading);
        }

        private synchronized void interruptIfReading() {
            if (!finished) {
                interrupted = true;
                reader.interrupt();
            }
        }

        /** Stops the watchdog; clears an interrupt it may have raised so it cannot leak into later work. */
        private void finish() {
            watchdog.cancel(false);
            synchronized (this) {
                finished = true;
                if (interrupted) Thread.interrupted();
            }
        }

        /**
         * Reads and drops the rest of the raw body, watched by the same deadline; true once it ended within
         * {@code maxBytes} more bytes (see {@link RequestBody#readyForNextRequest}).
         */
        boolean drainRest() {
            if (ended) return true;
            if (broken || reader != Thread.currentThread()) return false;
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return false;
            synchronized (this) {
                finished = false;
                interrupted = false;
            }
            watchdog = DeadlineTimer.after(Duration.ofNanos(left), this::interruptIfReading);
            byte[] scratch = new byte[64 * 1024];
            long dropped = 0;
            try {
                for (int n; (n = in.read(scratch, 0, scratch.length)) >= 0; ) {
                    dropped += n;
                    if (dropped > maxBytes) return false;
                }
                ended = true;
                return true;
            } catch (IOException | RuntimeException e) {
                return false;
            } finally {
                finish();
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (System.nanoTime() - deadlineNanos > 0) throw timedOut();
            try {
                int n = in.read(b, off, len);
                if (n < 0) {
                    ended = true;
                    finish();
                }
                return n;
            } catch (IOException | UncheckedIOException e) {
                if (System.nanoTime() - deadlineNanos > 0) throw timedOut();
                fail();
                throw new InvalidInputException("could not read the request body: " + describe(e));
            } catch (RuntimeException e) {
                fail();
                if (e instanceof InvalidInputException) throw e;
                throw new InvalidInputException("could not read the request body: " + describe(e));
            }
        }

        private void fail() {
            broken = true;
            finish();
        }

        private RequestTimeoutException timedOut() {
            fail();
            return new RequestTimeoutException(timeout);
        }

        /**
         * Stops the watchdog but leaves the server's stream open: closing it would drop what is left of the body
         * from its view, not from the connection, and {@link #drainRest} must still be able to read that.
         */
        @Override
        public void close() {
            finish();
        }

        private static String describe(Exception e) {
            String m = e.getMessage();
            if (m == null || m.isBlank()) {
                return "the connection ended before the whole body arrived (" + e.getClass().getSimpleName() + ")";
            }
            return m;
        }
    }
}
