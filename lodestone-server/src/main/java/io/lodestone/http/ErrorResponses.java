package io.lodestone.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lodestone.codec.CorruptObjectException;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.engine.BackpressureException;
import io.lodestone.engine.NamespaceNotFoundException;
import io.lodestone.region.UnknownRegionException;
import io.lodestone.engine.OverloadedException;
import io.lodestone.engine.QueryTimeoutException;
import io.lodestone.engine.StorageException;
import io.lodestone.tenancy.ForbiddenException;
import io.lodestone.tenancy.QuotaExceededException;
import io.lodestone.tenancy.RateLimitedException;
import io.lodestone.tenancy.UnauthenticatedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;

/** The one map from exceptions to HTTP statuses, and the one writer of {@code {"status":"error","error":...}}. */
public final class ErrorResponses {
    private static final System.Logger LOG = System.getLogger(ErrorResponses.class.getName());
    /**
     * {@code Retry-After} of a 503 for a storage failure: the store has already retried the request with
     * backoff for up to {@code storage.retry_budget_ms}, so the client waits a little before trying again.
     */
    static final int STORAGE_RETRY_AFTER_SECONDS = 1;

    private ErrorResponses() {
    }

    /** Registers every exception → status mapping on the routing. */
    public static void register(HttpRouting.Builder routing) {
        new ErrorMap(routing).error(InvalidInputException.class, (req, res, e) -> send(res, Status.BAD_REQUEST_400, e.getMessage()))
                .error(NamespaceNotFoundException.class, (req, res, e) -> send(res, Status.NOT_FOUND_404, e.getMessage()))
                .error(NotFoundException.class, (req, res, e) -> send(res, Status.NOT_FOUND_404, e.getMessage()))
                .error(ConflictException.class, (req, res, e) -> send(res, Status.CONFLICT_409, e.getMessage()))
                .error(UnauthenticatedException.class, (req, res, e) -> {
                    res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
                    send(res, Status.UNAUTHORIZED_401, e.getMessage());
                })
                .error(ForbiddenException.class, (req, res, e) -> send(res, Status.FORBIDDEN_403, e.getMessage()))
                .error(QuotaExceededException.class, (req, res, e) -> send(res, Status.FORBIDDEN_403, e.getMessage()))
                .error(RateLimitedException.class, (req, res, e) -> {
                    res.header(HeaderNames.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
                    send(res, Status.TOO_MANY_REQUESTS_429, e.getMessage());
                })
                .error(UnknownRegionException.class, (req, res, e) -> send(res, Status.BAD_REQUEST_400, e.getMessage()))
                .error(PayloadTooLargeException.class, (req, res, e) -> send(res, Status.REQUEST_ENTITY_TOO_LARGE_413, e.getMessage()))
                .error(UnsupportedContentEncodingException.class,
                        (req, res, e) -> send(res, Status.UNSUPPORTED_MEDIA_TYPE_415, e.getMessage()))
                .error(RequestTimeoutException.class, (req, res, e) -> send(res, Status.REQUEST_TIMEOUT_408, e.getMessage()))
                .error(BackpressureException.class, (req, res, e) -> {
                    res.header(HeaderNames.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
                    send(res, Status.TOO_MANY_REQUESTS_429, e.getMessage());
                })
                .error(OverloadedException.class, (req, res, e) -> {
                    res.header(HeaderNames.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
                    send(res, Status.TOO_MANY_REQUESTS_429, e.getMessage());
                })
                .error(QueryTimeoutException.class, (req, res, e) -> send(res, Status.REQUEST_TIMEOUT_408, e.getMessage()))
                .error(UncheckedIOException.class, (req, res, e) -> storageFailure(req, res, e, "storage failure: " + e.getMessage()))
                .error(IOException.class, (req, res, e) -> storageFailure(req, res, e, "storage failure: " + e.getMessage()))
                .error(StorageException.class, (req, res, e) -> storageFailure(req, res, e, e.getMessage()))
                .error(CorruptObjectException.class, (req, res, e) -> storageFailure(req, res, e, e.getMessage()))
                .error(Exception.class, (req, res, e) -> {
                    Throwable storage = storageCause(e);
                    if (storage != null) {
                        storageFailure(req, res, e, "storage failure: " + storage.getMessage());
                        return;
                    }
                    LOG.log(Level.ERROR, "unexpected failure on " + req.path().path(), e);
                    send(res, Status.INTERNAL_SERVER_ERROR_500, "internal error: " + e);
                });
    }

    /**
     * Registers error handlers that first put back the request's {@link KeptHeaders} (Helidon reset them) and make
     * sure the connection is fit for the next request: the unread rest of a body refused part-way through is read
     * and dropped, or else the connection closes after the answer ({@link RequestBody#readyForNextRequest}).
     */
    private record ErrorMap(HttpRouting.Builder routing) {
        <T extends Throwable> ErrorMap error(Class<T> type, ErrorHandler<? super T> handler) {
            routing.error(type, (req, res, e) -> {
                KeptHeaders.restore(req, res);
                if (!RequestBody.readyForNextRequest(req)) res.header(HeaderValues.CONNECTION_CLOSE);
                handler.handle(req, res, e);
            });
            return this;
        }
    }

    /**
     * Object storage or local disk failed, or held an object that failed its checks (never served): the
     * request may be retried (503 with {@code Retry-After}), and the operator is told.
     */
    private static void storageFailure(ServerRequest req, ServerResponse res, Exception e, String message) {
        LOG.log(Level.ERROR, "storage failure on " + req.path().path(), e);
        res.header(HeaderNames.RETRY_AFTER, String.valueOf(STORAGE_RETRY_AFTER_SECONDS));
        send(res, Status.SERVICE_UNAVAILABLE_503, message);
    }

    /** The storage failure somewhere in the causes of an exception that reached no other mapping, or null. */
    private static Throwable storageCause(Throwable e) {
        int depth = 0;
        for (Throwable t = e.getCause(); t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof StorageException
                    || t instanceof CorruptObjectException) {
                return t;
            }
        }
        return null;
    }

    public static void send(ServerResponse res, Status status, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", "error");
        body.put("error", message == null ? status.reasonPhrase() : message);
        HttpJson.send(res, status, body);
    }
}
