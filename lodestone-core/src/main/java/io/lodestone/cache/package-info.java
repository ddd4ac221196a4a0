/**
 * The tiered cache in front of the object store: a memory tier ({@link io.lodestone.cache.MemoryTier}) for small
 * immutable objects and a local-disk tier ({@link io.lodestone.cache.DiskTier}) for files that are memory-mapped,
 * each held to its byte budget with Caffeine's W-TinyLFU eviction. Entries are keyed by (object key, block)
 * ({@link io.lodestone.cache.CacheKey}); whole files use {@link io.lodestone.cache.CacheKey#WHOLE}. Disk entries
 * carry a CRC32C beside them, survive restarts and are verified before they are served.
 * {@link io.lodestone.cache.TieredCache} is the entry point; {@link io.lodestone.cache.CacheAccess} records which
 * tier served each lookup of a query. Blocks of open sparse files that no reader keeps are evicted inside the
 * files ({@link io.lodestone.cache.BlockReclaimer}) and punched once the read sections that may read them have
 * ended ({@link io.lodestone.cache.ReadSections}).
 */
package io.lodestone.cache;
