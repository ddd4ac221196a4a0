package io.lodestone.cache;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Which tiers served the lookups of one piece of work (a query): the cache records every lookup made while a
 * recorder is bound to the thread ({@link #during}). Work handed to another thread binds the same recorder there.
 * The work also runs in a read section ({@link ReadSections}): the blocks it ensures may be evicted once it ends.
 */
public final class CacheAccess {
    private static final ScopedValue<CacheAccess> CURRENT = ScopedValue.newInstance();

    private final LongAdder memory = new LongAdder();
    private final LongAdder disk = new LongAdder();
    private final LongAdder store = new LongAdder();

    /**
     * Runs {@code work} with this recorder bound to the current thread (at once when it is bound already), in a
     * read section (the one this thread is in, if any): read what it ensures before it returns.
     */
    public <T> T during(Supplier<T> work) {
        if (CURRENT.isBound() && CURRENT.get() == this) return work.get(); // nested: no second binding
        return ScopedValue.where(CURRENT, this).call(() -> FetchPriority.query(() -> ReadSections.read(work::get)));
    }

    /** The recorder bound to this thread, or null. */
    public static CacheAccess current() {
        return CURRENT.isBound() ? CURRENT.get() : null;
    }

    /** A read that may fail with an I/O error. */
    public interface IoWork<T> {
        T call() throws java.io.IOException;
    }

    /** Runs I/O {@code work} with this recorder bound to the current thread (work handed to another thread). */
    public <T> T duringIo(IoWork<T> work) throws java.io.IOException {
        return ScopedValue.where(CURRENT, this).call(work::call);
    }

    /** Records a lookup served by {@code tier} in the recorder bound to this thread, if any. */
    static void record(Tier tier) {
        if (CURRENT.isBound()) CURRENT.get().add(tier, 1);
    }

    /** Adds {@code n} lookups served by {@code tier} (e.g. data already mapped in memory). */
    public void add(Tier tier, long n) {
        switch (tier) {
            case MEMORY -> memory.add(n);
            case DISK -> disk.add(n);
            case STORE -> store.add(n);
        }
    }

    /** Lookups served by the tier. */
    public long served(Tier tier) {
        return switch (tier) {
            case MEMORY -> memory.sum();
            case DISK -> disk.sum();
            case STORE -> store.sum();
        };
    }
}
