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
 * @param regions {@code [regions]}: named storage targets by name, in file order; default none
 */
public record LodestoneConfig(ServerConfig server, LimitsConfig limits, BatchingConfig batching,
                              IndexingConfig indexing, StorageConfig storage, CacheConfig cache,
                              CompactorConfig compactor, AuthConfig auth, TlsConfig tls, CorsConfig cors,
                              Map<String, RegionConfig> regions) {

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

    public static LodestoneConfig defaults() {
        return new LodestoneConfig(ServerConfig.defaults(), LimitsConfig.defaults(), BatchingConfig.defaults(),
                IndexingConfig.defaults(), StorageConfig.defaults(), CacheConfig.defaults(),
                CompactorConfig.defaults(), AuthConfig.defaults(), TlsConfig.defaults(), CorsConfig.defaults(),
                Map.of());
    }
}
