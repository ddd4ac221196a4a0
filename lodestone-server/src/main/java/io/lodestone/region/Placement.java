package io.lodestone.region;

import io.lodestone.codec.CorruptObjectException;
import io.lodestone.config.LodestoneConfig;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.engine.NamespaceNames;
import io.lodestone.store.ObjectNotFoundException;
import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which region holds each namespace, per tenant, so that a namespace name resolves to exactly one region on every
 * server. One object per placed name, {@code _system/placement/{tenant}/{namespace}}, in the default region's
 * store, holding the region's name; it is created with {@link ObjectStore#putIfAbsent}, so of two servers racing
 * to create one name in two regions, both get the region of the one that wrote first.
 *
 * <p>A placement is permanent: deleting the namespace keeps it, and a later namespace of that name is created in
 * the same region. So an answer never goes stale, and this class caches answers without ever checking them again
 * (a least recently used bound keeps the cache small; names never placed are not cached, since another server may
 * place them at any time). A namespace created before placements were recorded has none: {@link #regionOf}
 * answers null, and it lives in the default region. Thread-safe.
 */
public final class Placement {
    /** Where placements are kept in the default region's store, outside every engine's namespaces. */
    static final String ROOT = "_system/placement/";
    /** Default size of the cache of answers. */
    public static final int DEFAULT_CACHE_ENTRIES = 100_000;

    private final ObjectStore store;
    private final Map<String, String> cache;

    /** @param store the default region's store */
    public Placement(ObjectStore store) {
        this(store, DEFAULT_CACHE_ENTRIES);
    }

    /** With room for {@code cacheEntries} answers in memory. */
    public Placement(ObjectStore store, int cacheEntries) {
        if (cacheEntries < 1) throw new IllegalArgumentException("cacheEntries must be >= 1; got " + cacheEntries);
        this.store = store;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > cacheEntries;
            }
        };
    }

    /**
     * The region that holds the namespace {@code ns} of {@code tenant}, or null when the name was never placed.
     *
     * @throws InvalidInputException when the tenant or namespace name is not a valid name
     * @throws IOException           when the store cannot be read
     */
    public String regionOf(String tenant, String ns) throws IOException {
        String key = key(tenant, ns);
        String cached = cached(key);
        if (cached != null) {
            return cached;
        }
        try {
            return remember(key, read(key));
        } catch (ObjectNotFoundException e) {
            return null;
        }
    }

    /**
     * Places the namespace {@code ns} of {@code tenant} in {@code region} unless it is placed already, and returns
     * the region that holds it: {@code region}, or the one an earlier call (on any server) chose.
     *
     * @throws InvalidInputException when a name is not valid
     * @throws IOException           when the store cannot be read or written
     */
    public String place(String tenant, String ns, String region) throws IOException {
        if (region == null || !LodestoneConfig.REGION_NAME.matcher(region).matches()) {
            throw new InvalidInputException("region name '" + region + "' must match "
                    + LodestoneConfig.REGION_NAME.pattern());
        }
        String key = key(tenant, ns);
        String cached = cached(key);
        if (cached != null) {
            return cached;
        }
        if (store.putIfAbsent(key, region.getBytes(StandardCharsets.UTF_8))) {
            return remember(key, region);
        }
        return remember(key, read(key));
    }

    /**
     * Names of the tenant's namespaces placed in one of {@code regions}, at most {@code limit} of them (reads every
     * placement of the tenant: for admin changes, not for requests).
     *
     * @throws IOException when the store cannot be read
     */
    public List<String> placedIn(String tenant, Set<String> regions, int limit) throws IOException {
        String prefix = ROOT + NamespaceNames.validate(tenant, "tenant name") + "/";
        List<String> found = new ArrayList<>();
        String after = null;
        for (List<String> page; found.size() < limit && !(page = store.list(prefix, after, 1000)).isEmpty(); ) {
            for (String key : page) {
                try {
                    if (regions.contains(read(key)) && found.size() < limit) found.add(key.substring(prefix.length()));
                } catch (ObjectNotFoundException gone) {
                    // placements are never deleted; a key listed but gone is not a placement
                }
            }
            after = page.getLast();
        }
        return found;
    }

    private String read(String key) throws IOException {
        String region = new String(store.get(key), StandardCharsets.UTF_8);
        if (!LodestoneConfig.REGION_NAME.matcher(region).matches()) {
            throw new CorruptObjectException(key, "a placement must hold a region name");
        }
        return region;
    }

    private static String key(String tenant, String ns) {
        return ROOT + NamespaceNames.validate(tenant, "tenant name") + "/" + NamespaceNames.validate(ns);
    }

    private String cached(String key) {
        synchronized (cache) {
            return cache.get(key);
        }
    }

    private String remember(String key, String region) {
        synchronized (cache) {
            cache.put(key, region);
        }
        return region;
    }
}
