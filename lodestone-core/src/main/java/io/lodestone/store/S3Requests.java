package io.lodestone.store;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Runs the requests of an {@link S3ObjectStore}: retries transient failures on a {@link RetryLoop} and
 * turns the final failure into an {@link IOException} ({@link ObjectNotFoundException} for a missing key)
 * that names the operation, the store and the last error.
 *
 * <p>Transient: HTTP 500, 502, 503 (SlowDown), 504, 429 and 408; the S3 error codes {@code SlowDown},
 * {@code InternalError} and {@code RequestTimeout} (sent with 400); any client-side failure (connection
 * refused or reset, read timeout, a response body that does not parse, such as a cut-off LIST); and a
 * {@link TruncatedResponseException}. Everything else (403, 404, other 4xx) is answered at once.
 */
final class S3Requests {
    private static final Set<Integer> TRANSIENT_STATUS = Set.of(408, 429, 500, 502, 503, 504);
    private static final Set<String> TRANSIENT_CODES = Set.of("SlowDown", "InternalError", "RequestTimeout",
            "ServiceUnavailable", "Throttling", "ThrottlingException");

    /** One attempt of a request. */
    @FunctionalInterface
    interface Attempt<T> {
        T run() throws IOException;
    }

    private final S3Tuning tuning;
    private final String store;

    S3Requests(S3Tuning tuning, String store) {
        this.tuning = tuning;
        this.store = store;
    }

    S3Tuning tuning() {
        return tuning;
    }

    /**
     * Runs {@code attempt} until it succeeds, fails permanently, or the retries are spent.
     *
     * @param what       the operation and its object for messages, e.g. {@code "get of key 'a/b'"}
     * @param missingKey the key to report as {@link ObjectNotFoundException} on a 404; null when a 404
     *                   means something else (a missing bucket or upload)
     */
    <T> T call(String what, String missingKey, Attempt<T> attempt) throws IOException {
        RetryLoop loop = new RetryLoop(tuning);
        while (true) {
            try {
                return attempt.run();
            } catch (RuntimeException | TruncatedResponseException e) {
                if (!fromRequest(e)) throw e;
                if (!isTransient(e)) throw failure(what, missingKey, e);
                if (!loop.retry(what)) throw exhausted(what, loop, e);
            }
        }
    }

    /**
     * Whether the exception reports a failed request rather than a bug: the SDK's exceptions, an
     * {@link UncheckedIOException} from reading a response, and the SDK's {@link IllegalArgumentException}
     * for a response without a status line (the URL-connection client reports a connection closed
     * before the response that way, for HEAD).
     */
    static boolean fromRequest(Exception e) {
        return e instanceof SdkException || e instanceof UncheckedIOException || e instanceof TruncatedResponseException
                || isMissingStatus(e);
    }

    private static boolean isMissingStatus(Exception e) {
        return e instanceof IllegalArgumentException && e.getMessage() != null
                && e.getMessage().startsWith("Status code must not be negative");
    }

    /** Whether another attempt may succeed; an interrupted thread never retries. */
    static boolean isTransient(Exception e) {
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) return false;
        if (e instanceof TruncatedResponseException || e instanceof UncheckedIOException || isMissingStatus(e)) return true;
        if (e instanceof S3Exception s3) {
            String code = errorCode(s3);
            return TRANSIENT_STATUS.contains(s3.statusCode()) || code != null && TRANSIENT_CODES.contains(code);
        }
        return e instanceof SdkClientException;
    }

    /** A failure that retrying will not cure (or that was not retried). */
    IOException failure(String what, String missingKey, Exception e) {
        if (missingKey != null && (e instanceof NoSuchKeyException
                || e instanceof S3Exception s3 && s3.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(s3)))) {
            return new ObjectNotFoundException(missingKey);
        }
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
            var interrupted = new InterruptedIOException(what + " in " + store + " was interrupted");
            interrupted.initCause(e);
            return interrupted;
        }
        return new IOException(what + " in " + store + " failed: " + describe(e), e);
    }

    /** Transient failures until the attempts or the time budget ran out. */
    IOException exhausted(String what, RetryLoop loop, Exception last) {
        return new IOException(what + " in " + store + " failed after " + loop.attempts() + " attempts: "
                + describe(last), last);
    }

    static String describe(Exception e) {
        if (e instanceof S3Exception s3) {
            String code = errorCode(s3);
            String message = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorMessage();
            return "HTTP " + s3.statusCode() + (code == null ? "" : " " + code)
                    + (message == null ? "" : ": " + message);
        }
        return e == null ? "none" : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    static boolean isStatus(Exception e, int status) {
        return e instanceof S3Exception s3 && s3.statusCode() == status;
    }
}
