package io.lodestone.store;

import java.time.Duration;

/**
 * How an {@link S3ObjectStore} talks to its server: retries of transient failures, the read timeout,
 * and when and how large objects are uploaded in parts.
 *
 * @param maxAttempts        attempts per request, the first included (at least 1)
 * @param retryBase          the first retry waits up to this long; each further retry doubles the bound
 * @param retryMaxWait       no single wait is bounded above this
 * @param retryBudget        an operation stops retrying once this much time has passed since it started
 * @param readTimeout        a request fails (and is retried) when the server sends nothing for this long
 * @param multipartThreshold objects larger than this are uploaded with S3 multipart upload
 * @param partSize           size of each uploaded part (the last one may be smaller); raised when an object
 *                           would need more than {@value #MAX_PARTS} parts
 */
public record S3Tuning(int maxAttempts, Duration retryBase, Duration retryMaxWait, Duration retryBudget,
                       Duration readTimeout, long multipartThreshold, long partSize) {

    /** S3's smallest part (all but the last). */
    public static final long MIN_PART_SIZE = 5L << 20;
    /** S3's most parts in one upload. */
    public static final int MAX_PARTS = 10_000;
    /** S3's largest single PUT; a larger threshold would let uploads fail. */
    public static final long MAX_SINGLE_PUT = 5L << 30;
    /** Largest part this store sends: a part is held in memory while it uploads. */
    public static final long MAX_PART_SIZE = 1L << 30;

    /**
     * Validates the values; a bad one raises {@link IllegalArgumentException} naming it as the
     * {@code [storage]} key that sets it.
     */
    public S3Tuning {
        require(maxAttempts >= 1 && maxAttempts <= 100, "storage.max_attempts must be 1..100; got " + maxAttempts);
        require(positive(retryBase), "storage.retry_base_ms must be positive; got " + retryBase);
        require(positive(retryMaxWait) && retryMaxWait.compareTo(retryBase) >= 0,
                "storage.retry_max_wait_ms must be at least storage.retry_base_ms; got " + retryMaxWait);
        require(positive(retryBudget), "storage.retry_budget_ms must be positive; got " + retryBudget);
        require(positive(readTimeout), "storage.read_timeout_ms must be positive; got " + readTimeout);
        require(partSize >= MIN_PART_SIZE && partSize <= MAX_PART_SIZE, "storage.multipart_part_size must be "
                + MIN_PART_SIZE + ".." + MAX_PART_SIZE + " bytes (5 MiB is S3's smallest part); got " + partSize);
        require(multipartThreshold >= partSize && multipartThreshold <= MAX_SINGLE_PUT,
                "storage.multipart_threshold must be at least storage.multipart_part_size (" + partSize
                        + ") and at most " + MAX_SINGLE_PUT + " bytes (S3's largest single PUT); got " + multipartThreshold);
    }

    /** Six attempts within 30 s, waits from 50 ms up to 2 s, a 30 s read timeout, 16 MiB parts above 64 MiB. */
    public static S3Tuning defaults() {
        return new S3Tuning(6, Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofSeconds(30), 64L << 20, 16L << 20);
    }

    /** A copy with other retry settings. */
    public S3Tuning withRetries(int newMaxAttempts, Duration newBase, Duration newMaxWait, Duration newBudget) {
        return new S3Tuning(newMaxAttempts, newBase, newMaxWait, newBudget, readTimeout, multipartThreshold, partSize);
    }

    /** A copy with another read timeout. */
    public S3Tuning withReadTimeout(Duration newReadTimeout) {
        return new S3Tuning(maxAttempts, retryBase, retryMaxWait, retryBudget, newReadTimeout, multipartThreshold, partSize);
    }

    /** A copy with other multipart settings. */
    public S3Tuning withMultipart(long newThreshold, long newPartSize) {
        return new S3Tuning(maxAttempts, retryBase, retryMaxWait, retryBudget, readTimeout, newThreshold, newPartSize);
    }

    /** The part size for an object of {@code size} bytes: the configured one, raised to stay within {@value #MAX_PARTS} parts. */
    long partSizeFor(long size) {
        return Math.max(partSize, (size + MAX_PARTS - 1) / MAX_PARTS);
    }

    private static boolean positive(Duration d) {
        return d != null && d.isPositive();
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
