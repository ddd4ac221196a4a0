package io.lodestone.store;

import java.nio.file.Path;

/**
 * Where objects live: the {@code [storage]} section of the configuration, as given (not yet
 * validated; {@link ObjectStores#open} validates and names any bad option as {@code storage.<name>}).
 *
 * @param backend         {@code "local"} (default backend), {@code "s3"} or {@code "memory"}
 * @param path            local: the root directory
 * @param bucket          s3: the bucket
 * @param prefix          s3: optional key prefix inside the bucket, e.g. {@code "prod/lodestone"}
 * @param endpoint        s3: optional endpoint URL for S3-compatible servers (MinIO, R2, ...)
 * @param region          s3: optional region; default from the AWS region chain, else {@code us-east-1}
 * @param accessKeyId     s3: optional static access key; without it the default AWS credentials chain is used
 * @param secretAccessKey s3: the secret for {@code accessKeyId}; never printed
 * @param pathStyle       s3: address the bucket as {@code endpoint/bucket} rather than {@code bucket.endpoint}
 * @param tuning          s3: retries, read timeout and multipart uploads; null means {@link S3Tuning#defaults()}
 */
public record StorageOptions(String backend, Path path, String bucket, String prefix, String endpoint,
                             String region, String accessKeyId, String secretAccessKey, boolean pathStyle,
                             S3Tuning tuning) {

    /** Backend name for {@link LocalObjectStore}. */
    public static final String LOCAL = "local";
    /** Backend name for {@link S3ObjectStore}. */
    public static final String S3 = "s3";
    /** Backend name for {@link MemoryObjectStore}. */
    public static final String MEMORY = "memory";

    /** Null tuning means the defaults. */
    public StorageOptions {
        if (tuning == null) tuning = S3Tuning.defaults();
    }

    /** Options with the default {@link S3Tuning}. */
    public StorageOptions(String backend, Path path, String bucket, String prefix, String endpoint, String region,
                          String accessKeyId, String secretAccessKey, boolean pathStyle) {
        this(backend, path, bucket, prefix, endpoint, region, accessKeyId, secretAccessKey, pathStyle, null);
    }

    /** Files under {@code path}. */
    public static StorageOptions local(Path path) {
        return new StorageOptions(LOCAL, path, null, null, null, null, null, null, false);
    }

    /** An in-memory store. */
    public static StorageOptions memory() {
        return new StorageOptions(MEMORY, null, null, null, null, null, null, null, false);
    }

    /** An S3 bucket, default endpoint, region and credentials. */
    public static StorageOptions s3(String bucket) {
        return new StorageOptions(S3, null, bucket, null, null, null, null, null, false);
    }

    /** A copy with the key prefix replaced. */
    public StorageOptions withPrefix(String newPrefix) {
        return new StorageOptions(backend, path, bucket, newPrefix, endpoint, region, accessKeyId,
                secretAccessKey, pathStyle, tuning);
    }

    /** A copy with the endpoint replaced. */
    public StorageOptions withEndpoint(String newEndpoint) {
        return new StorageOptions(backend, path, bucket, prefix, newEndpoint, region, accessKeyId,
                secretAccessKey, pathStyle, tuning);
    }

    /** A copy with the region replaced. */
    public StorageOptions withRegion(String newRegion) {
        return new StorageOptions(backend, path, bucket, prefix, endpoint, newRegion, accessKeyId,
                secretAccessKey, pathStyle, tuning);
    }

    /** A copy with static credentials. */
    public StorageOptions withCredentials(String newAccessKeyId, String newSecretAccessKey) {
        return new StorageOptions(backend, path, bucket, prefix, endpoint, region, newAccessKeyId,
                newSecretAccessKey, pathStyle, tuning);
    }

    /** A copy with path-style addressing switched on or off. */
    public StorageOptions withPathStyle(boolean newPathStyle) {
        return new StorageOptions(backend, path, bucket, prefix, endpoint, region, accessKeyId,
                secretAccessKey, newPathStyle, tuning);
    }

    /** A copy with other S3 tuning. */
    public StorageOptions withTuning(S3Tuning newTuning) {
        return new StorageOptions(backend, path, bucket, prefix, endpoint, region, accessKeyId, secretAccessKey,
                pathStyle, newTuning);
    }

    /** Like the record's, but the secret is redacted. */
    @Override
    public String toString() {
        return "StorageOptions[backend=" + backend + ", path=" + path + ", bucket=" + bucket + ", prefix=" + prefix
                + ", endpoint=" + endpoint + ", region=" + region + ", accessKeyId=" + accessKeyId
                + ", secretAccessKey=" + (secretAccessKey == null ? null : "***") + ", pathStyle=" + pathStyle + ", tuning=" + tuning + "]";
    }
}
