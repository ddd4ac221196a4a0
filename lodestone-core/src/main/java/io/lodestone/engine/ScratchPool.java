package io.lodestone.engine;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A small bounded pool of reusable scratch objects (searchers, buffers). Queries run on virtual
 * threads that are never reused, so a {@code ThreadLocal} cache there allocates afresh on every
 * request; a pool shared by all threads keeps at most {@code capacity} idle objects warm instead.
 * Lock-free: borrowing and returning is a scan of a few slots with compare-and-set.
 */
final class ScratchPool<T> {
    private final AtomicReferenceArray<T> slots;
    private final Supplier<T> factory;

    ScratchPool(int capacity, Supplier<T> factory) {
        this.slots = new AtomicReferenceArray<>(capacity);
        this.factory = factory;
    }

    /** A pool sized to the cores: as many objects as can be in use at once on them, twice over. */
    static <T> ScratchPool<T> perCore(Supplier<T> factory) {
        return new ScratchPool<>(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), factory);
    }

    /** An idle object, or a new one when none is idle. */
    T borrow() {
        for (int i = 0; i < slots.length(); i++) {
            T t = slots.getPlain(i);
            if (t != null && slots.compareAndSet(i, t, null)) return t;
        }
        return factory.get();
    }

    /** Gives {@code t} back; dropped (left to the GC) when the pool is full. */
    void release(T t) {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.getPlain(i) == null && slots.compareAndSet(i, null, t)) return;
        }
    }

    /** Idle objects held now (tests). */
    int idle() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) if (slots.get(i) != null) n++;
        return n;
    }
}
