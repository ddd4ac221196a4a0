package io.lodestone.http;

/** The request body, or a value in it, is over a configured size limit (HTTP 413). */
public class PayloadTooLargeException extends RuntimeException {
    public PayloadTooLargeException(long bytes, long limit) {
        this("request body of " + (bytes >= 0 ? bytes + " bytes" : "unknown size") + " exceeds the limit of " + limit
                + " bytes (server.max_body_bytes)");
    }

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
