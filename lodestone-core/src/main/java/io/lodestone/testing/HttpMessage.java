package io.lodestone.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** An HTTP/1.1 request or response as {@link FaultProxy} handles it: head parsed, body read whole (chunks joined). */
final class HttpMessage {
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "content-length", "expect", "te", "trailer", "upgrade");

    final String startLine;
    final List<String[]> headers;
    final byte[] body;
    /** 0 for a request. */
    final int status;
    /** A response that has no body whatever its headers say (to HEAD, 204, 304). */
    final boolean headOnly;
    /** {@link System#nanoTime()} when the head had been read (before the body); 0 for a message made here. */
    final long headNanos;

    private HttpMessage(String startLine, List<String[]> headers, byte[] body, int status, boolean headOnly, long headNanos) {
        this.startLine = startLine;
        this.headers = headers;
        this.body = body;
        this.status = status;
        this.headOnly = headOnly;
        this.headNanos = headNanos;
    }

    /** An S3 error response. */
    static HttpMessage error(int status, String reason, String code, String message) {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                + message + "</Message><RequestId>fault-proxy</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Content-Type", "application/xml"});
        return new HttpMessage("HTTP/1.1 " + status + " " + reason, headers, body, status, false, 0);
    }

    /** This response as sent to a request with {@code method}: without its body when that is HEAD (as S3 answers). */
    HttpMessage answering(String method) {
        return "HEAD".equals(method) && !headOnly ? new HttpMessage(startLine, headers, new byte[0], status, true, headNanos) : this;
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
    HttpMessage cut(int n) {
        return new HttpMessage(startLine, headers, Arrays.copyOf(body, n), status, headOnly, headNanos);
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
    static HttpMessage read(InputStream in, OutputStream interim, String requestMethod) throws IOException {
        String head = readHead(in);
        if (head == null) return null;
        long headNanos = System.nanoTime();
        String[] lines = head.split("\r\n");
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
        }
        int status = requestMethod == null ? 0 : Integer.parseInt(lines[0].split(" ")[1]);
        var m = new HttpMessage(lines[0], headers, new byte[0], status, false, headNanos);
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
        return new HttpMessage(lines[0], headers, body, status, noBody, headNanos);
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
