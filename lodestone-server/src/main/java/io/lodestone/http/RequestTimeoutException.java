package io.lodestone.http;

import java.time.Duration;

/** The request did not arrive in full within {@code server.request_timeout_seconds} (HTTP 408). */
public class RequestTimeoutException extends RuntimeException {
    public RequestTimeoutException(Duration timeout) {
        super("the request body did not arrive within " + timeout.toSeconds() + " s (server.request_timeout_seconds)");
    }
}
