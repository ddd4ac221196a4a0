package io.lodestone.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * How an API family writes its error bodies. Lodestone's own APIs use {@link ErrorResponses#LODESTONE}; an API that
 * mirrors another system's (QuartzDB's) writes that system's shape, chosen by path for the whole request, so that
 * also a refused key or an unknown route answers in it.
 */
@FunctionalInterface
public interface ErrorShape {
    /**
     * @param cause the exception that led to the error, or null when none did (a refused key, an unknown route)
     */
    void send(ServerResponse res, Status status, String message, Throwable cause);
}
