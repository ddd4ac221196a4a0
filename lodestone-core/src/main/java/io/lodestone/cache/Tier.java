package io.lodestone.cache;

/** Where a lookup was served from: a cache tier, or the object store itself (a miss in every tier). */
public enum Tier {
    MEMORY, DISK, STORE;

    /** The lowercase name used in metric labels. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
