package io.lodestone.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.lodestone.config.CorsConfig;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-origin requests from browsers, as {@code [cors]} allows them. It runs before every other filter and route:
 *
 * <ol>
 *   <li>A request without {@code Origin} is not cross-origin: it passes on untouched.
 *   <li>A preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) ends here, before authentication,
 *       since browsers send preflights without credentials: 204 with the allowed methods, headers and max age when
 *       the origin, method and headers are allowed, else 403 with a JSON error naming what is not.
 *   <li>Any other request from an allowed origin gets {@code Access-Control-Allow-Origin} before it passes on, so
 *       that every answer carries it, errors included ({@link KeptHeaders}).
 * </ol>
 *
 * Every request with {@code Origin} gets {@code Vary: Origin}: whether the answer allows the page to read it
 * depends on the origin, so a shared cache must not hand one origin's answer to another.
 */
final class CorsFilter implements Filter {
    private final CorsConfig config;
    private final Set<String> origins;
    private final Set<String> headers;
    private final String allowMethods;
    private final String allowHeaders;
    private final String maxAge;

    private CorsFilter(CorsConfig config) {
        this.config = config;
        this.origins = lowerCase(config.allowedOrigins());
        this.headers = lowerCase(config.allowedHeaders());
        this.allowMethods = String.join(", ", config.allowedMethods());
        this.allowHeaders = String.join(", ", config.allowedHeaders());
        this.maxAge = Long.toString(config.maxAge().toSeconds());
    }

    /** Adds the filter in front of everything registered after it; with CORS off, adds nothing. */
    static void register(HttpRouting.Builder routing, CorsConfig config) {
        if (config.enabled()) {
            routing.addFilter(new CorsFilter(config));
        }
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty()) {
            chain.proceed();
            return;
        }
        KeptHeaders.set(req, res, HeaderNames.VARY, "Origin");
        boolean allowed = config.anyOrigin() || origins.contains(origin.get().toLowerCase(Locale.ROOT));
        Optional<String> preflightMethod = req.headers().first(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (req.prologue().method().equals(Method.OPTIONS) && preflightMethod.isPresent()) {
            preflight(req, res, origin.get(), allowed, preflightMethod.get());
            return;
        }
        if (allowed) {
            KeptHeaders.set(req, res, HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin(origin.get()));
        }
        chain.proceed();
    }

    private void preflight(RoutingRequest req, RoutingResponse res, String origin, boolean allowed, String method) {
        if (!allowed) {
            ErrorResponses.send(res, Status.FORBIDDEN_403,
                    "origin " + origin + " is not in cors.allowed_origins of this server");
            return;
        }
        if (!config.allowedMethods().contains(method)) {
            ErrorResponses.send(res, Status.FORBIDDEN_403, "method " + method + " is not in cors.allowed_methods ("
                    + allowMethods + ")");
            return;
        }
        List<String> refused = req.headers().values(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS).stream()
                .flatMap(v -> List.of(v.split(",")).stream())
                .map(String::strip)
                .filter(h -> !h.isEmpty() && !headers.contains(h.toLowerCase(Locale.ROOT)))
                .toList();
        if (!refused.isEmpty()) {
            ErrorResponses.send(res, Status.FORBIDDEN_403, "request headers " + String.join(", ", refused)
                    + " are not in cors.allowed_headers (" + allowHeaders + ")");
            return;
        }
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin(origin));
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, allowMethods);
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, allowHeaders);
        res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, maxAge);
        res.status(Status.NO_CONTENT_204).send();
    }

    /** {@code *} when every origin is allowed, else the origin itself as the browser sent it. */
    private String allowOrigin(String origin) {
        return config.anyOrigin() ? CorsConfig.ANY_ORIGIN : origin;
    }

    private static Set<String> lowerCase(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
