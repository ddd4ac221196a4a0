package io.lodestone.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [storage]}: the object store that holds all data. {@link #toString()} never shows the secret key.
 *
 * @param backend         {@code backend}: {@code "local"}, {@code "s3"} or {@code "memory"} (tests only; nothing
 *                        survives a restart); default {@code "local"}
 * @param path            {@code path}: directory of the local backend; default {@code ./data}
 * @param bucket          {@code bucket}: bucket of the s3 backend; required with s3
 * @param prefix          {@code prefix}: key prefix inside the bucket, for sharing a bucket; default empty
 * @param endpoint        {@code endpoint}: URL of an S3-compatible server (MinIO, R2, ...); unset means AWS
 * @param region          {@code region}: signing region; unset means the AWS default chain's
 * @param accessKeyId     {@code access_key_id}: static credentials, set together with the secret; unset means the
 *                        standard AWS credential chain (environment, profile, instance role)
 * @param secretAccessKey {@code secret_access_key}: see {@code access_key_id}
 * @param pathStyle       {@code path_style}: address buckets as {@code endpoint/bucket} rather than
 *                        {@code bucket.endpoint}, as MinIO usually needs; default false
 */
public record StorageConfig(Backend backend, Path path, Optional<String> bucket, String prefix,
                            Optional<String> endpoint, Optional<String> region, Optional<String> accessKeyId,
                            Optional<String> secretAccessKey, boolean pathStyle) {

    /** Where objects are stored. */
    public enum Backend { LOCAL, S3, MEMORY }

    public StorageConfig {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    public static StorageConfig defaults() {
        return new StorageConfig(Backend.LOCAL, Path.of("./data"), Optional.empty(), "", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    static StorageConfig bind(Section s) {
        StorageConfig d = defaults();
        StorageConfig c = new StorageConfig(
                s.choice("backend", d.backend(), Backend.class),
                s.path("path", d.path()),
                s.optionalString("bucket"),
                s.string("prefix", d.prefix()),
                s.optionalString("endpoint"),
                s.optionalString("region"),
                s.optionalString("access_key_id"),
                s.optionalString("secret_access_key"),
                s.bool("path_style", d.pathStyle()));
        if (c.backend() == Backend.S3 && c.bucket().isEmpty()) {
            s.problem("bucket", "is required when storage.backend is \"s3\"");
        }
        if (c.accessKeyId().isPresent() != c.secretAccessKey().isPresent()) {
            String given = c.accessKeyId().isPresent() ? "access_key_id" : "secret_access_key";
            String missing = c.accessKeyId().isPresent() ? "secret_access_key" : "access_key_id";
            s.problem(missing, "must be set together with storage." + given);
        }
        checkEndpoint(s, c.endpoint());
        return c;
    }

    /** An endpoint, when given, must be an http or https URL. */
    static void checkEndpoint(Section s, Optional<String> endpoint) {
        endpoint.ifPresent(url -> {
            try {
                URI uri = new URI(url);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            s.problem("endpoint", "must be an http or https URL; got \"" + url + "\"");
        });
    }

    @Override
    public String toString() {
        return "StorageConfig[backend=" + backend + ", path=" + path + ", bucket=" + bucket + ", prefix=" + prefix
                + ", endpoint=" + endpoint + ", region=" + region + ", accessKeyId=" + accessKeyId
                + ", secretAccessKey=" + secretAccessKey.map(k -> "(hidden)") + ", pathStyle=" + pathStyle + "]";
    }
}
