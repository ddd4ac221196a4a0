package io.lodestone.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.function.Predicate;

/**
 * Byte arrays held in the heap within a budget: each entry weighs its length plus {@link #ENTRY_OVERHEAD},
 * and the sum of weights never exceeds the budget once eviction has run (W-TinyLFU, synchronous on the
 * calling thread). Thread-safe.
 */
public final class MemoryTier {
    /** Approximate heap bytes an entry costs beyond its array (key, map node, array header). */
    static final int ENTRY_OVERHEAD = 96;

    private final long budgetBytes;
    private final Cache<CacheKey, byte[]> cache;
    private final TierStats stats = new TierStats();

    public MemoryTier(long budgetBytes) {
        if (budgetBytes < 0) throw new IllegalArgumentException("memory budget must be >= 0; got " + budgetBytes);
        this.budgetBytes = budgetBytes;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(budgetBytes)
                .weigher((CacheKey k, byte[] v) -> weight(v))
                .executor(Runnable::run)
                .evictionListener((k, v, cause) -> {
                    if (cause.wasEvicted()) stats.evictions.increment();
                })
                .build();
    }

    private static int weight(byte[] v) {
        return (int) Math.min(Integer.MAX_VALUE, (long) v.length + ENTRY_OVERHEAD);
    }

    /** The cached bytes, counting a hit or a miss. Callers must not modify the array. */
    byte[] get(CacheKey key) {
        byte[] v = cache.getIfPresent(key);
        if (v == null) stats.misses.increment();
        else stats.hits.increment();
        return v;
    }

    /** Caches bytes read from the store ({@code fetched}: whether they count as bytes read from the store). */
    void put(CacheKey key, byte[] value, boolean fetched) {
        if (fetched) stats.bytesFetched.add(value.length);
        cache.asMap().putIfAbsent(key, value);
    }

    /** Drops the entries whose keys match. */
    void invalidate(Predicate<CacheKey> which) {
        cache.asMap().keySet().removeIf(which);
    }

    /** Runs pending eviction now (tests check budgets after it). */
    public void cleanUp() {
        cache.cleanUp();
    }

    /** Bytes held, entry overhead included; at most {@link #budgetBytes()} after {@link #cleanUp()}. */
    public long residentBytes() {
        return cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    public TierStats stats() {
        return stats;
    }
}
