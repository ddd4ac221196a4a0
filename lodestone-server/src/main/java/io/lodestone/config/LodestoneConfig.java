package io.lodestone.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The whole of {@code config.toml}, one record per section. Load it with {@link ConfigLoader}; every field has a
 * default, so {@link #defaults()} is a working configuration (local storage in {@code ./data}, port 8080 on
 * loopback, auth off).
 *
 * @param tls     {@code [tls]}: HTTPS on the server port; default off
 * @param cors    {@code [cors]}: origins browsers may call the API from; default none (CORS off)
 * @param regions {@code [regions]}: named storage targets besides {@code [storage]} by name, in file order, each
 *                with the keys of {@code [storage]}; default none
 */
public record LodestoneConfig(ServerConfig server, LimitsConfig limits, BatchingConfig batching,
                              IndexingConfig indexing, StorageConfig storage, CacheConfig cache,
                              CompactorConfig compactor, AuthConfig auth, TlsConfig tls, CorsConfig cors,
                              Map<String, StorageConfig> regions) {

    /** The name of the region {@code [storage]} configures. */
    public static final String DEFAULT_REGION = "default";

    /** What a region name may be: it appears in URLs, metric labels and object keys. */
    public static final java.util.regex.Pattern REGION_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    public LodestoneConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(batching, "batching");
        Objects.requireNonNull(indexing, "indexing");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(compactor, "compactor");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(cors, "cors");
        regions = Collections.unmodifiableMap(new LinkedHashMap<>(regions));
    }

    /** Every region by name: {@value #DEFAULT_REGION} ({@code [storage]}) first, then {@code [regions]} in order. */
    public Map<String, StorageConfig> storageTargets() {
        Map<String, StorageConfig> all = new LinkedHashMap<>();
        all.put(DEFAULT_REGION, storage);
        all.putAll(regions);
        return Collections.unmodifiableMap(all);
    }

    public static LodestoneConfig defaults() {
        return new LodestoneConfig(ServerConfig.defaults(), LimitsConfig.defaults(), BatchingConfig.defaults(),
                IndexingConfig.defaults(), StorageConfig.defaults(), CacheConfig.defaults(),
                CompactorConfig.defaults(), AuthConfig.defaults(), TlsConfig.defaults(), CorsConfig.defaults(),
                Map.of());
    }
}
