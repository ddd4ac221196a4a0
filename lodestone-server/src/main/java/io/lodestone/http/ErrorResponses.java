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

/**
 * The one map from exceptions to HTTP statuses, and the one writer of error bodies: Lodestone's
 * {@code {"status":"error","error":...}}, or the {@link ErrorShape} of the API family the request's path belongs to.
 */
public final class ErrorResponses {
    /** Lodestone's own error body. */
    public static final ErrorShape LODESTONE = (res, status, message, cause) -> send(res, status, message);
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
        new ErrorMap(routing).error(InvalidInputException.class, (req, res, e) -> send(req, res, Status.BAD_REQUEST_400, e))
                .error(NamespaceNotFoundException.class, (req, res, e) -> send(req, res, Status.NOT_FOUND_404, e))
                .error(NotFoundException.class, (req, res, e) -> send(req, res, Status.NOT_FOUND_404, e))
                .error(ConflictException.class, (req, res, e) -> send(req, res, Status.CONFLICT_409, e))
                .error(UnauthenticatedException.class, (req, res, e) -> {
                    res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
                    send(req, res, Status.UNAUTHORIZED_401, e);
                })
                .error(ForbiddenException.class, (req, res, e) -> send(req, res, Status.FORBIDDEN_403, e))
                .error(QuotaExceededException.class, (req, res, e) -> send(req, res, Status.FORBIDDEN_403, e))
                .error(RateLimitedException.class, (req, res, e) -> {
                    res.header(HeaderNames.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
                    send(req, res, Status.TOO_MANY_REQUESTS_429, e);
                })
                .error(UnknownRegionException.class, (req, res, e) -> send(req, res, Status.BAD_REQUEST_400, e))
                .error(PayloadTooLargeException.class, (req, res, e) -> send(req, res, Status.REQUEST_ENTITY_TOO_LARGE_413, e))
                .error(UnsupportedContentEncodingException.class,
                        (req, res, e) -> send(req, res, Status.UNSUPPORTED_MEDIA_TYPE_415, e))
                .error(RequestTimeoutException.class, (req, res, e) -> send(req, res, Status.REQUEST_TIMEOUT_408, e))
                .error(BackpressureException.class, (req, res, e) -> {
                    res.header(HeaderNames.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
                    send(req, res, Status.TOO_MANY_REQUESTS_429, e);
                })
                .error(OverloadedException.class, (req, res, e) -> {
                    res.header(HeaderNames.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
                    send(req, res, Status.TOO_MANY_REQUESTS_429, e);
                })
                .error(QueryTimeoutException.class, (req, res, e) -> send(req, res, Status.REQUEST_TIMEOUT_408, e))
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
                    shape(req).send(res, Status.INTERNAL_SERVER_ERROR_500, "internal error: " + e, e);
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
        shape(req).send(res, Status.SERVICE_UNAVAILABLE_503, message, e);
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

    /**
     * Registers a filter that picks the error shape of each request by its path ({@code shapes} answers null for
     * Lodestone's own); register it before any filter that may refuse a request.
     */
    public static void shapes(HttpRouting.Builder routing, java.util.function.Function<String, ErrorShape> shapes) {
        routing.any((req, res) -> {
            ErrorShape shape = shapes.apply(req.path().path());
            if (shape != null) req.context().register(ErrorShape.class, shape);
            res.next();
        });
    }

    private static ErrorShape shape(ServerRequest req) {
        return req.context().get(ErrorShape.class, ErrorShape.class).orElse(LODESTONE);
    }

    /** Writes an error in the shape of the request's API family. */
    public static void send(ServerRequest req, ServerResponse res, Status status, String message) {
        shape(req).send(res, status, message, null);
    }

    private static void send(ServerRequest req, ServerResponse res, Status status, Throwable e) {
        shape(req).send(res, status, e.getMessage(), e);
    }

    /** Writes Lodestone's own error body. */
    public static void send(ServerResponse res, Status status, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", "error");
        body.put("error", message == null ? status.reasonPhrase() : message);
        HttpJson.send(res, status, body);
    }
}
