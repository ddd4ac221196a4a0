package io.lodestone.engine;

/**
 * A query was refused because every query thread is busy and the admission queue is full. Nothing was
 * done; the client should retry after {@link #retryAfterSeconds()}.
 */
public final class OverloadedException extends RuntimeException {
    private final int retryAfterSeconds;

    OverloadedException(int queueDepth, int retryAfterSeconds) {
        super("the server is busy: " + queueDepth + " queries are already waiting; retry after " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
