package io.lodestone.region;

import io.lodestone.config.LodestoneConfig;
import io.lodestone.config.StorageConfig;
import io.lodestone.engine.EngineOptions;
import io.lodestone.engine.Lodestone;
import io.lodestone.engine.QueryScheduler;
import io.lodestone.store.ObjectStore;
import io.lodestone.store.ObjectStores;
import io.lodestone.store.StorageOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The engines of one server: one {@link Lodestone} per region over the region's own object store, all running
 * their queries on one {@link QueryScheduler}, so the query threads stay sized to the cores however many regions
 * there are. The cache is divided between them as {@link CacheShare} says. Thread-safe; closing closes every
 * engine, then the scheduler, then the stores.
 */
public final class Regions implements AutoCloseable {

    /** One region's engine and the store it owns. */
    private record Region(ObjectStore store, Lodestone engine) {
    }

    private final Map<String, Region> regions;
    private final QueryScheduler queries;

    private Regions(Map<String, Region> regions, QueryScheduler queries) {
        this.regions = Collections.unmodifiableMap(regions);
        this.queries = queries;
    }

    /**
     * Opens every region of {@code config} ({@link LodestoneConfig#storageTargets()}): its store, and an engine
     * with {@code options} but its own cache directory and budgets, and the index of new namespaces that fits its
     * store ({@code indexing.index_type}).
     *
     * @throws IllegalArgumentException naming the region whose storage settings are refused
     * @throws UncheckedIOException     naming the region whose store cannot be opened
     */
    public static Regions open(LodestoneConfig config, EngineOptions options) {
        Map<String, CacheShare> shares = CacheShare.of(config);
        QueryScheduler queries = new QueryScheduler(options.queries());
        Map<String, Region> opened = new LinkedHashMap<>();
        try {
            config.storageTargets().forEach((name, target) -> {
                ObjectStore store = openStore(name, target);
                CacheShare share = shares.get(name);
                try {
                    EngineOptions own = options.withCacheDir(share.dir()).withCache(share.budget())
                            .withIndexing(options.indexing().withNewNamespaceIndex(config.indexing().newNamespaceIndex(store.local())));
                    Lodestone engine = Lodestone.open(store, own, queries);
                    opened.put(name, new Region(store, engine));
                } catch (RuntimeException e) {
                    closeQuietly(store, e);
                    throw e;
                }
            });
        } catch (RuntimeException e) {
            new Regions(opened, queries).closeAfter(e);
            throw e;
        }
        return new Regions(opened, queries);
    }

    private static ObjectStore openStore(String name, StorageConfig s) {
        StorageOptions options = new StorageOptions(s.backend().name().toLowerCase(Locale.ROOT), s.path(),
                s.bucket().orElse(null), s.prefix(), s.endpoint().orElse(null), s.region().orElse(null),
                s.accessKeyId().orElse(null), s.secretAccessKey().orElse(null), s.pathStyle(), s.tuning());
        try {
            return ObjectStores.open(options);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("region '" + name + "': " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the storage of region '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * The engine of the region {@code name}.
     *
     * @throws UnknownRegionException when this server has no such region
     */
    public Lodestone get(String name) {
        Region r = regions.get(name);
        if (r == null) {
            throw new UnknownRegionException(name, regions.keySet());
        }
        return r.engine();
    }

    /** The engine of the region {@value LodestoneConfig#DEFAULT_REGION} ({@code [storage]}). */
    public Lodestone defaultRegion() {
        return get(LodestoneConfig.DEFAULT_REGION);
    }

    /** The names of the regions, {@value LodestoneConfig#DEFAULT_REGION} first, then in configuration order. */
    public Set<String> names() {
        return regions.keySet();
    }

    /** The scheduler every region's queries run on (its counts cover all regions). */
    public QueryScheduler queries() {
        return queries;
    }

    @Override
    public void close() {
        closeAfter(null);
    }

    /** Closes everything, going on past failures; the first failure is thrown, or added to {@code cause}. */
    private void closeAfter(RuntimeException cause) {
        List<Exception> failures = new ArrayList<>();
        for (Region r : regions.values()) {
            try {
                r.engine().close();
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        }
        queries.close();
        for (Region r : regions.values()) {
            try {
                r.store().close();
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        }
        if (failures.isEmpty()) {
            return;
        }
        if (cause != null) {
            failures.forEach(cause::addSuppressed);
            return;
        }
        RuntimeException first = failures.getFirst() instanceof IOException io
                ? new UncheckedIOException(io) : (RuntimeException) failures.getFirst();
        failures.stream().skip(1).forEach(first::addSuppressed);
        throw first;
    }

    private static void closeQuietly(ObjectStore store, RuntimeException cause) {
        try {
            store.close();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
