package io.lodestone.cache;

import io.lodestone.codec.Residency;
import io.lodestone.store.ObjectStore;

import java.io.IOException;

/** The {@link Residency} of a pinned {@link SparseFile}: fetches from the store, records which tier served. */
final class SparseResidency implements Residency {
    private final SparseFile file;
    private final ObjectStore store;
    private final TierStats stats;

    SparseResidency(SparseFile file, ObjectStore store, TierStats stats) {
        this.file = file;
        this.store = store;
        this.stats = stats;
    }

    @Override
    public void ensure(long offset, long length) throws IOException {
        long fetched = file.ensure(offset, length, store, stats);
        CacheAccess.record(fetched > 0 ? Tier.STORE : Tier.DISK);
    }

    @Override
    public void ensure(long[] offsets, long[] lengths, int n) throws IOException {
        long fetched = file.ensure(offsets, lengths, n, store, stats);
        CacheAccess.record(fetched > 0 ? Tier.STORE : Tier.DISK);
    }

    @Override
    public boolean complete() {
        return file.complete();
    }
}
