package io.lodestone.http.quartz;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.helidon.http.HeaderNames;
import io.lodestone.http.ErrorShape;
import io.lodestone.http.HttpJson;
import io.lodestone.http.NotFoundException;

import java.util.Locale;

/**
 * QuartzDB's error bodies, by path: the Worker API ({@code /api/...}) answers an error as plain text, the status
 * carrying the kind (what its {@code Response::error} writes); the v1 server ({@code /api/v1/...}) as
 * {@code {"error": type, "message": ...}}, the type snake_case ({@code bad_request}, {@code not_found},
 * {@code index_not_found}, {@code vector_not_found}).
 */
public final class QuartzErrorShapes {
    static final ErrorShape WORKER = (res, status, message, cause) -> {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.send(message == null ? status.reasonPhrase() : message);
    };

    static final ErrorShape V1 = (res, status, message, cause) -> {
        String type = cause instanceof NotFoundException n && n.kind() != null ? n.kind()
                : status.reasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '_').replace("-", "_");
        HttpJson.send(res, status, JsonNodeFactory.instance.objectNode().put("error", type)
                .put("message", message == null ? status.reasonPhrase() : message));
    };

    private QuartzErrorShapes() {
    }

    /** The shape of a request path, or null for paths that are not QuartzDB's. */
    public static ErrorShape forPath(String path) {
        if (path.startsWith(QuartzV1Service.PREFIX + "/") || path.equals(QuartzV1Service.PREFIX)) return V1;
        return path.startsWith(QuartzWorkerService.PREFIX + "/") ? WORKER : null;
    }

}
