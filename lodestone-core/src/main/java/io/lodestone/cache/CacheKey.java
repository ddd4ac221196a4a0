package io.lodestone.cache;

/**
 * What a cache entry holds: a block of an object, or the whole object ({@link #WHOLE}). Objects are
 * immutable, so an entry never goes stale; it only leaves when evicted or when its object is dead.
 *
 * @param objectKey the object store key
 * @param block     block number within the object, or {@link #WHOLE}
 */
public record CacheKey(String objectKey, long block) {
    /** The block number of an entry holding the whole object. */
    public static final long WHOLE = -1;

    public CacheKey {
        if (objectKey == null || objectKey.isEmpty()) throw new IllegalArgumentException("object key must not be empty");
        if (block < WHOLE) throw new IllegalArgumentException("block must be >= 0 or WHOLE; got " + block);
    }

    /** The entry for a whole object. */
    public static CacheKey whole(String objectKey) {
        return new CacheKey(objectKey, WHOLE);
    }
}
