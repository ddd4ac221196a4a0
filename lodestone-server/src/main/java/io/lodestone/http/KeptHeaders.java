package io.lodestone.http;

import io.helidon.http.HeaderName;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Response headers that every answer to one request carries, an error's included. Before an error handler runs,
 * Helidon resets the response, headers and all; so a filter that sets such a header ({@link CorsFilter}'s
 * {@code Access-Control-Allow-Origin}) sets it through {@link #set}, which also records it in the request's context,
 * and {@link ErrorResponses} puts the recorded headers back before it writes the error.
 */
final class KeptHeaders {
    private final Map<HeaderName, String> headers = new LinkedHashMap<>();

    private KeptHeaders() {
    }

    /** Sets the header on the response and keeps it for an error answer to the same request. */
    static void set(ServerRequest req, ServerResponse res, HeaderName name, String value) {
        res.header(name, value);
        KeptHeaders kept = req.context().get(KeptHeaders.class).orElseGet(() -> {
            KeptHeaders created = new KeptHeaders();
            req.context().register(created);
            return created;
        });
        kept.headers.put(name, value);
    }

    /** Sets again on {@code res} every header kept for {@code req}. */
    static void restore(ServerRequest req, ServerResponse res) {
        req.context().get(KeptHeaders.class).ifPresent(kept -> kept.headers.forEach(res::header));
    }
}
