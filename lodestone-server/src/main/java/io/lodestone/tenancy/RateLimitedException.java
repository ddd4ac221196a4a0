package io.lodestone.tenancy;

/** A tenant's rate or concurrency quota is used up for now (HTTP 429 with {@code Retry-After}). */
public final class RateLimitedException extends RuntimeException {
    private final int retryAfterSeconds;

    public RateLimitedException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
