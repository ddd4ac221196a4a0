package io.lodestone.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code [cors]}: which web pages (origins) a browser lets call the API. Off by default: with no allowed origin the
 * server sends no CORS headers at all, and browsers keep other sites' scripts from reading its answers.
 *
 * @param allowedOrigins {@code allowed_origins}: origins as a browser sends them ({@code "https://app.example.com"},
 *                       {@code "http://localhost:3000"}: scheme, host, port only if not the default), matched
 *                       ignoring case; or {@code ["*"]} alone for any origin; default none (CORS off)
 * @param allowedMethods {@code allowed_methods}: methods a preflight may ask for; default GET, POST, PUT, PATCH, DELETE
 * @param allowedHeaders {@code allowed_headers}: request headers a preflight may ask for, matched ignoring case;
 *                       default Authorization, Content-Type, Content-Encoding, X-API-Key
 * @param maxAge         {@code max_age_seconds}: how long a browser may reuse a preflight's answer, 0..86400; default 600
 */
public record CorsConfig(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
                         Duration maxAge) {

    /** The value of {@code allowed_origins} that allows every origin. */
    public static final String ANY_ORIGIN = "*";
    /** Methods that some Lodestone route answers; OPTIONS is the preflight itself. */
    static final List<String> KNOWN_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
    /** An HTTP header name (RFC 9110 token). */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

    public CorsConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedMethods = List.copyOf(allowedMethods);
        allowedHeaders = List.copyOf(allowedHeaders);
    }

    public static CorsConfig defaults() {
        return new CorsConfig(List.of(), List.of("GET", "POST", "PUT", "PATCH", "DELETE"),
                List.of("Authorization", "Content-Type", "Content-Encoding", "X-API-Key"), Duration.ofSeconds(600));
    }

    /** Whether the server answers cross-origin requests at all (some origin is allowed). */
    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }

    /** Whether {@code allowed_origins} is {@code ["*"]}. */
    public boolean anyOrigin() {
        return allowedOrigins.equals(List.of(ANY_ORIGIN));
    }

    static CorsConfig bind(Section s) {
        CorsConfig d = defaults();
        List<String> origins = s.strings("allowed_origins", d.allowedOrigins());
        List<String> methods = s.strings("allowed_methods", d.allowedMethods());
        List<String> headers = s.strings("allowed_headers", d.allowedHeaders());
        long maxAge = s.longInteger("max_age_seconds", d.maxAge().toSeconds(), 0, 86_400);
        if (origins.contains(ANY_ORIGIN) && origins.size() > 1) {
            s.problem("allowed_origins", "lists \"*\" (every origin) with other origins; list \"*\" alone or only origins");
        }
        origins.stream().filter(o -> !o.equals(ANY_ORIGIN)).forEach(o -> checkOrigin(s, o));
        methods.stream().filter(m -> !KNOWN_METHODS.contains(m)).forEach(m -> s.problem("allowed_methods",
                "must list methods among " + String.join(", ", KNOWN_METHODS) + " (upper case); got \"" + m + "\""));
        headers.stream().filter(h -> h.equals("*") || !HEADER_NAME.matcher(h).matches()).forEach(h -> s.problem(
                "allowed_headers", "must list header names (\"*\" is not supported); got \"" + h + "\""));
        return new CorsConfig(origins, methods, headers, Duration.ofSeconds(maxAge));
    }

    /** An origin is {@code scheme://host[:port]}, exactly as a browser serializes it in the Origin header. */
    private static void checkOrigin(Section s, String origin) {
        String expected = "must list origins as scheme://host[:port] (no path, no trailing /) or \"*\"; got \""
                + origin + "\"";
        if (origin.equalsIgnoreCase("null")) {
            s.problem("allowed_origins", "must not list \"null\": sandboxed pages and local files all send it");
            return;
        }
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            s.problem("allowed_origins", expected);
            return;
        }
        if (uri.getScheme() == null || !SCHEME.matcher(uri.getScheme()).matches() || uri.getHost() == null
                || uri.getRawUserInfo() != null || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            s.problem("allowed_origins", expected);
            return;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") && uri.getPort() == 80 || scheme.equals("https") && uri.getPort() == 443) {
            s.problem("allowed_origins", "must leave out the default port: browsers send \"" + scheme + "://"
                    + uri.getHost() + "\"; got \"" + origin + "\"");
        }
    }
}
