package io.lodestone.cache;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one cache tier, for {@code /metrics}. Thread-safe. */
public final class TierStats {
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder bytesFetched = new LongAdder();
    final LongAdder evictions = new LongAdder();
    final LongAdder corruptions = new LongAdder();

    /** Lookups this tier served. */
    public long hits() {
        return hits.sum();
    }

    /** Lookups this tier could not serve (the object was then read from the store). */
    public long misses() {
        return misses.sum();
    }

    /** Bytes read from the object store to fill this tier. */
    public long bytesFetched() {
        return bytesFetched.sum();
    }

    /** Entries removed to stay within the budget (for the disk tier, also blocks evicted inside open files). */
    public long evictions() {
        return evictions.sum();
    }

    /** Entries whose bytes failed verification (dropped and fetched again). */
    public long corruptions() {
        return corruptions.sum();
    }
}
