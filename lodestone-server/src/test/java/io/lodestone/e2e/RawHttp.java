package io.lodestone.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reads HTTP/1.1 responses off a raw socket, for requests no well-behaved client would send. */
final class RawHttp {
    private RawHttp() {
    }

    /** One response: status line, headers (lower-case names) and body. */
    record Response(String statusLine, int status, Map<String, String> headers, String body) {
        Json.Response json() {
            return new Json.Response(status, body, Json.tryParse(body));
        }
    }

    /**
     * Reads one response (Content-Length or chunked body); null when the server closed the connection (or reset
     * it) before sending a status line.
     */
    static Response read(InputStream in) throws IOException {
        String statusLine;
        try {
            statusLine = readLine(in);
        } catch (SocketException e) {
            return null; // reset by the server
        }
        if (statusLine == null) return null;
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
            for (int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                readLine(in);
            }
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        return new Response(statusLine, status, headers, body.toString(StandardCharsets.UTF_8));
    }

    /** True when the server closes (or resets) the connection before {@code in}'s read timeout, reading what comes. */
    static boolean closedBy(InputStream in) throws IOException {
        try {
            while (in.read() >= 0) {
                // drain whatever the server sent first
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /** One CRLF- or LF-terminated line; null at end of stream before any byte. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c = in.read();
        if (c < 0) return null;
        for (; c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }
}
