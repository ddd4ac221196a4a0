package io.lodestone.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code [regions]}: a named storage target a tenant can be placed in.
 *
 * @param bucket   {@code bucket}: required
 * @param endpoint {@code endpoint}: S3-compatible endpoint URL; unset means AWS
 * @param region   {@code region}: signing region; unset means the AWS default chain's
 */
public record RegionConfig(String bucket, Optional<String> endpoint, Optional<String> region) {

    public RegionConfig {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
    }

    static RegionConfig bind(Section s) {
        Optional<String> bucket = s.optionalString("bucket");
        Optional<String> endpoint = s.optionalString("endpoint");
        StorageConfig.checkEndpoint(s, endpoint);
        Optional<String> region = s.optionalString("region");
        if (bucket.isEmpty()) {
            s.problem("bucket", "is required");
        }
        return new RegionConfig(bucket.orElse(""), endpoint, region);
    }
}
