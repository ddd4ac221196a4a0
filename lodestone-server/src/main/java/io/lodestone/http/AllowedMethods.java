package io.lodestone.http;

import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.common.uri.UriPath;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Remembers which methods each route pattern answers, so that a known path asked with another method gets
 * 405 with an {@code Allow} header instead of a 404. Routes and services are added through {@link #recording},
 * which records every {@code get/post/delete(...)} and passes it on unchanged.
 */
final class AllowedMethods {
    private record Entry(PathMatcher path, Method method) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** {@code rules}, recording each route added through it (services registered on it included). */
    HttpRules recording(HttpRules rules) {
        return new Recording(rules);
    }

    /** Records a route added directly on the routing. */
    void record(Method method, String pathPattern) {
        entries.add(new Entry(PathMatchers.create(pathPattern), method));
    }

    /** The methods some route answers for {@code path}, sorted; empty when no route knows the path. */
    Optional<String> allowFor(UriPath path) {
        Set<String> methods = new TreeSet<>();
        for (Entry e : entries) {
            if (e.path().match(path).accepted()) methods.add(e.method().text());
        }
        return methods.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", methods));
    }

    /** Delegates everything; the method-and-pattern routes (what get/post/delete funnel into) are also recorded. */
    private final class Recording implements HttpRules {
        private final HttpRules delegate;

        Recording(HttpRules delegate) {
            this.delegate = delegate;
        }

        @Override
        public HttpRules route(Method method, String pathPattern, Handler handler) {
            record(method, pathPattern);
            delegate.route(method, pathPattern, handler);
            return this;
        }

        /** The services add their routes through this wrapper, so that they are recorded too. */
        @Override
        public HttpRules register(HttpService... services) {
            for (HttpService service : services) service.routing(this);
            return this;
        }

        @Override
        public HttpRules register(String pathPattern, HttpService... services) {
            delegate.register(pathPattern, services);
            return this;
        }

        @Override
        public HttpRules route(HttpRoute route) {
            delegate.route(route);
            return this;
        }
    }
}
