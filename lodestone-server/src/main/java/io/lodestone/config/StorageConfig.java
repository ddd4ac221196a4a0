package io.lodestone.config;

import io.lodestone.store.S3Tuning;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
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
 * @param tuning          s3 only: {@code max_attempts}, {@code retry_base_ms}, {@code retry_max_wait_ms},
 *                        {@code retry_budget_ms} (retries of transient failures), {@code read_timeout_ms}, and
 *                        {@code multipart_threshold}, {@code multipart_part_size} (uploads in parts); defaults
 *                        {@link S3Tuning#defaults()}
 */
public record StorageConfig(Backend backend, Path path, Optional<String> bucket, String prefix,
                            Optional<String> endpoint, Optional<String> region, Optional<String> accessKeyId,
                            Optional<String> secretAccessKey, boolean pathStyle, S3Tuning tuning) {

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
        Objects.requireNonNull(tuning, "tuning");
    }

    /** The settings with the default S3 tuning. */
    public StorageConfig(Backend backend, Path path, Optional<String> bucket, String prefix, Optional<String> endpoint,
                         Optional<String> region, Optional<String> accessKeyId, Optional<String> secretAccessKey,
                         boolean pathStyle) {
        this(backend, path, bucket, prefix, endpoint, region, accessKeyId, secretAccessKey, pathStyle, S3Tuning.defaults());
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
                s.bool("path_style", d.pathStyle()),
                tuning(s, d.tuning()));
        if (c.backend() == Backend.S3 && c.bucket().isEmpty()) {
            s.problem("bucket", "is required when " + s.name() + ".backend is \"s3\"");
        }
        if (c.accessKeyId().isPresent() != c.secretAccessKey().isPresent()) {
            String given = c.accessKeyId().isPresent() ? "access_key_id" : "secret_access_key";
            String missing = c.accessKeyId().isPresent() ? "secret_access_key" : "access_key_id";
            s.problem(missing, "must be set together with " + s.name() + "." + given);
        }
        checkEndpoint(s, c.endpoint());
        return c;
    }

    private static S3Tuning tuning(Section s, S3Tuning d) {
        int attempts = s.integer("max_attempts", d.maxAttempts(), 1, 100);
        long base = s.longInteger("retry_base_ms", d.retryBase().toMillis(), 1, 60_000);
        long maxWait = s.longInteger("retry_max_wait_ms", d.retryMaxWait().toMillis(), 1, 600_000);
        long budget = s.longInteger("retry_budget_ms", d.retryBudget().toMillis(), 1, 3_600_000);
        long readTimeout = s.longInteger("read_timeout_ms", d.readTimeout().toMillis(), 1, 3_600_000);
        long threshold = s.size("multipart_threshold", d.multipartThreshold(), S3Tuning.MIN_PART_SIZE);
        long partSize = s.size("multipart_part_size", d.partSize(), S3Tuning.MIN_PART_SIZE);
        boolean ok = true;
        if (maxWait < base) {
            s.problem("retry_max_wait_ms", "must be at least " + s.name() + ".retry_base_ms (" + base + "); got " + maxWait);
            ok = false;
        }
        if (partSize > S3Tuning.MAX_PART_SIZE) {
            s.problem("multipart_part_size", "must be at most 1GiB (a part is held in memory while it uploads); got " + partSize);
            ok = false;
        }
        if (threshold < partSize || threshold > S3Tuning.MAX_SINGLE_PUT) {
            s.problem("multipart_threshold", "must be at least " + s.name() + ".multipart_part_size (" + partSize
                    + ") and at most 5GiB (S3's largest single PUT); got " + threshold);
            ok = false;
        }
        return ok ? new S3Tuning(attempts, Duration.ofMillis(base), Duration.ofMillis(maxWait), Duration.ofMillis(budget),
                Duration.ofMillis(readTimeout), threshold, partSize) : d;
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
                + ", secretAccessKey=" + secretAccessKey.map(k -> "(hidden)") + ", pathStyle=" + pathStyle
                + ", tuning=" + tuning + "]";
    }
}
