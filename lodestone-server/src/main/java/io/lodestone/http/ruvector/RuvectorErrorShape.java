package io.lodestone.http.ruvector;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.helidon.http.Status;
import io.lodestone.http.ErrorShape;
import io.lodestone.http.HttpJson;

/**
 * ruvector's error body, {@code {"error": message, "status": code}} (its {@code error.rs}); a 400's message starts
 * with {@code Invalid request: } as its {@code InvalidRequest} error's does.
 */
public final class RuvectorErrorShape {
    static final ErrorShape SHAPE = (res, status, message, cause) -> {
        String text = message == null ? status.reasonPhrase() : message;
        if (status == Status.BAD_REQUEST_400 && !text.startsWith(RuvectorService.INVALID)) text = RuvectorService.INVALID + text;
        HttpJson.send(res, status, JsonNodeFactory.instance.objectNode().put("error", text).put("status", status.code()));
    };

    private RuvectorErrorShape() {
    }

    /** The shape of a request path, or null for paths that are not ruvector's. */
    public static ErrorShape forPath(String path) {
        return path.equals(RuvectorService.PREFIX) || path.startsWith(RuvectorService.PREFIX + "/") ? SHAPE : null;
    }
}
