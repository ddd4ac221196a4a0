package io.lodestone.region;

import io.lodestone.config.CacheConfig;
import io.lodestone.config.LodestoneConfig;
import io.lodestone.config.StorageConfig;
import io.lodestone.engine.EngineOptions;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each region caches and how much of {@code [cache]} it gets.
 *
 * <ul>
 *   <li>Memory ({@code memory_bytes}): evenly between all regions; every engine keeps its small objects there.
 *   <li>Disk ({@code disk_bytes}): evenly between the regions whose store is not a local directory. A local
 *       region's segment files are mapped where they lie and never enter the disk tier, so a share there would
 *       sit unused. With only local regions (nothing uses the tier) it is divided between all of them.
 *   <li>Directory: the default region keeps the one it had before regions existed, so its cache survives the
 *       upgrade: {@code disk_path}, or, for local storage with the default {@code disk_path},
 *       {@code <storage.path>/.cache}. Another region uses {@code <its path>/.cache} by the same rule, else
 *       {@code <disk_path>/regions/<name>}.
 * </ul>
 *
 * @param dir    the engine's cache directory (disk tier in {@code objects/}, builds in {@code .build/})
 * @param budget the engine's memory and disk budgets
 */
public record CacheShare(Path dir, EngineOptions.Cache budget) {

    /** The share of every region of {@code config}, by name, in {@link LodestoneConfig#storageTargets()} order. */
    public static Map<String, CacheShare> of(LodestoneConfig config) {
        Map<String, StorageConfig> targets = config.storageTargets();
        CacheConfig cache = config.cache();
        long remote = targets.values().stream().filter(t -> t.backend() != StorageConfig.Backend.LOCAL).count();
        Map<String, CacheShare> shares = new LinkedHashMap<>();
        targets.forEach((name, target) -> {
            long disk;
            if (remote == 0) {
                disk = cache.diskBytes() / targets.size();
            } else {
                disk = target.backend() == StorageConfig.Backend.LOCAL ? 0 : cache.diskBytes() / remote;
            }
            shares.put(name, new CacheShare(dir(name, target, cache),
                    new EngineOptions.Cache(cache.memoryBytes() / targets.size(), disk)));
        });
        return shares;
    }

    private static Path dir(String name, StorageConfig target, CacheConfig cache) {
        boolean defaultPath = cache.diskPath().equals(CacheConfig.defaults().diskPath());
        if (target.backend() == StorageConfig.Backend.LOCAL && defaultPath) {
            return target.path().resolve(".cache");
        }
        return name.equals(LodestoneConfig.DEFAULT_REGION) ? cache.diskPath()
                : cache.diskPath().resolve("regions").resolve(name);
    }
}
