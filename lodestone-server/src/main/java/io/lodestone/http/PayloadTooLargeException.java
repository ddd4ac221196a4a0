package io.lodestone.http;

/** The request body is over the configured limit (HTTP 413). */
public class PayloadTooLargeException extends RuntimeException {
    public PayloadTooLargeException(long bytes, long limit) {
        super("request body of " + (bytes >= 0 ? bytes + " bytes" : "unknown size") + " exceeds the limit of " + limit
                + " bytes (server.max_body_bytes)");
    }
}
