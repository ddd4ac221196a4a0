package io.lodestone.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Answers the errors Helidon raises before a request reaches routing (a bad request line or header, a request
 * line or header block over its limit, an invalid chunk) with the same {@code {"status":"error","error":...}}
 * body as every other error. The connection is closed afterwards, as Helidon does for these.
 */
final class JsonDirectHandler implements DirectHandler {
    private static final String HEADERS_TOO_LARGE = "Header size exceeded";
    private final int maxPrologueBytes;
    private final int maxHeaderBytes;

    private JsonDirectHandler(int maxPrologueBytes, int maxHeaderBytes) {
        this.maxPrologueBytes = maxPrologueBytes;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /** One handler for every event type, naming the request-line and header limits it was built with. */
    static DirectHandlers all(int maxPrologueBytes, int maxHeaderBytes) {
        JsonDirectHandler h = new JsonDirectHandler(maxPrologueBytes, maxHeaderBytes);
        DirectHandlers.Builder b = DirectHandlers.builder();
        for (EventType t : EventType.values()) b.addHandler(t, h);
        return b.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        headers.set(HeaderNames.CONTENT_TYPE, "application/json");
        // Helidon reports an oversized header block as a plain 400 with this message; it is what 431 is for.
        if (status.code() == 400 && HEADERS_TOO_LARGE.equals(message)) status = Status.create(431, "Request Header Fields Too Large");
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .keepAlive(false)
                .entity(body(message(status, message)))
                .build();
    }

    private String message(Status status, String helidonMessage) {
        if (status.code() == 414) {
            return "request line longer than the limit of " + maxPrologueBytes + " bytes";
        }
        if (status.code() == 431) {
            return "request headers larger than the limit of " + maxHeaderBytes + " bytes";
        }
        if (helidonMessage != null && !helidonMessage.isBlank()) return "malformed HTTP request: " + helidonMessage;
        return "malformed HTTP request (" + status.code() + " " + status.reasonPhrase() + ")";
    }

    private static byte[] body(String message) {
        try {
            return HttpJson.MAPPER.writeValueAsBytes(JsonNodeFactory.instance.objectNode()
                    .put("status", "error").put("error", message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render error", e);
        }
    }
}
