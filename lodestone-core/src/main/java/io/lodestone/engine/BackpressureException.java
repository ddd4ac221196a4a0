package io.lodestone.engine;

/** The unindexed backlog is over its limit; the write was not accepted. Retry after {@link #retryAfterSeconds()}. */
public class BackpressureException extends RuntimeException {
    private final int retryAfterSeconds;

    public BackpressureException(String namespace, long unindexedBytes, long limit, int retryAfterSeconds) {
        super("namespace '" + namespace + "' has " + unindexedBytes + " unindexed bytes, over the limit of " + limit
                + "; retry after " + retryAfterSeconds + " s while the indexer catches up");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
