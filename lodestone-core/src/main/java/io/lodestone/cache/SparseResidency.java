package io.lodestone.cache;

import io.lodestone.codec.Residency;
import io.lodestone.store.ObjectStore;

import java.io.IOException;

/**
 * The {@link Residency} of a pinned {@link SparseFile}: fetches from the store, records which tier served, and
 * after a fetch lets the tier evict to stay within its budget. Blocks ensured inside a read section may be evicted
 * once it ends; any other ensure keeps its blocks while the file is pinned ({@link ReadSections}).
 */
final class SparseResidency implements Residency {
    private final SparseFile file;
    private final ObjectStore store;
    private final TierStats stats;
    private final Runnable afterFetch;

    SparseResidency(SparseFile file, ObjectStore store, TierStats stats, Runnable afterFetch) {
        this.file = file;
        this.store = store;
        this.stats = stats;
        this.afterFetch = afterFetch;
    }

    @Override
    public void ensure(long offset, long length) throws IOException {
        ensure(new long[] {offset}, new long[] {length}, 1);
    }

    @Override
    public void ensure(long[] offsets, long[] lengths, int n) throws IOException {
        long fetched = file.ensure(offsets, lengths, n, !ReadSections.evictable(), store, stats);
        CacheAccess.record(fetched > 0 ? Tier.STORE : Tier.DISK);
        if (fetched > 0) afterFetch.run();
    }

    @Override
    public boolean complete() {
        return file.completeForReader();
    }
}
