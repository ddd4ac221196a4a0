package io.lodestone.store;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Opens the {@link ObjectStore} that {@link StorageOptions} describe. */
public final class ObjectStores {

    private ObjectStores() {
    }

    /**
     * Validates {@code options} and opens the store. Bad options raise
     * {@link IllegalArgumentException} naming the option ({@code storage.bucket}, ...) and its value;
     * I/O failures while opening (a root that cannot be created) raise {@link IOException}.
     * Options that do not apply to the chosen backend are ignored.
     */
    public static ObjectStore open(StorageOptions options) throws IOException {
        if (options == null) {
            throw new IllegalArgumentException("storage options must not be null");
        }
        String backend = options.backend() == null ? "" : options.backend().trim().toLowerCase(Locale.ROOT);
        return switch (backend) {
            case StorageOptions.LOCAL -> new LocalObjectStore(localRoot(options.path()));
            case StorageOptions.MEMORY -> new MemoryObjectStore();
            case StorageOptions.S3 -> S3ObjectStore.open(validateS3(options));
            default -> throw new IllegalArgumentException("storage.backend must be one of 'local', 's3', 'memory'; got "
                    + quote(options.backend()));
        };
    }

    private static Path localRoot(Path path) {
        if (path == null || path.toString().isBlank()) {
            throw new IllegalArgumentException("storage.path is required when storage.backend is 'local'");
        }
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new IllegalArgumentException("storage.path '" + path + "' exists and is not a directory");
        }
        return path;
    }

    /** Checks the S3 options; returns them normalized (trimmed, prefix ending in '/' or empty). */
    private static StorageOptions validateS3(StorageOptions o) {
        String bucket = o.bucket() == null ? "" : o.bucket().trim();
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("storage.bucket is required when storage.backend is 's3'");
        }
        if (!bucket.matches("[A-Za-z0-9._-]{3,63}")) {
            throw new IllegalArgumentException("storage.bucket " + quote(o.bucket())
                    + " is not a bucket name (3..63 of [A-Za-z0-9._-]); put any key prefix in storage.prefix");
        }
        String prefix = normalizePrefix(o.prefix());
        String endpoint = isBlank(o.endpoint()) ? null : o.endpoint().trim();
        if (endpoint != null) {
            requireHttpUrl(endpoint);
        }
        if (o.region() != null && !o.region().isBlank() && !o.region().trim().matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("storage.region " + quote(o.region())
                    + " is not a region name such as 'us-east-1'");
        }
        String region = isBlank(o.region()) ? null : o.region().trim();
        boolean hasId = !isBlank(o.accessKeyId());
        boolean hasSecret = !isBlank(o.secretAccessKey());
        if (hasId != hasSecret) {
            throw new IllegalArgumentException("storage.accessKeyId and storage.secretAccessKey must be given together; got only "
                    + (hasId ? "storage.accessKeyId" : "storage.secretAccessKey"));
        }
        return new StorageOptions(StorageOptions.S3, null, bucket, prefix, endpoint, region,
                hasId ? o.accessKeyId().trim() : null, hasSecret ? o.secretAccessKey() : null, o.pathStyle(), o.tuning());
    }

    /** "" for none; otherwise the prefix without surrounding '/' plus one trailing '/'. */
    private static String normalizePrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        String p = prefix.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return "";
        }
        try {
            ObjectKeys.requireValidKey(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("storage.prefix " + quote(prefix) + " is not a valid key prefix: "
                    + e.getMessage(), e);
        }
        return p + "/";
    }

    private static void requireHttpUrl(String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("storage.endpoint " + quote(endpoint) + " is not a URL: "
                    + e.getMessage(), e);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw new IllegalArgumentException("storage.endpoint " + quote(endpoint)
                    + " must be an http:// or https:// URL with a host, e.g. 'http://127.0.0.1:9000'");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
