package io.lodestone.engine;

/** A query ran past its time limit and was cancelled; it changed nothing. */
public final class QueryTimeoutException extends RuntimeException {
    QueryTimeoutException(long timeoutMillis) {
        super("the query did not finish within the time limit of " + timeoutMillis + " ms"
                + " (server.request_timeout_seconds) and was cancelled");
    }
}
