package io.lodestone.cache;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One bit per block of a {@link SparseFile}, each read and changed atomically with volatile semantics (the
 * reclamation protocol relies on a write to one array being seen by a later read of another). Thread-safe.
 */
final class BlockBits {
    private final AtomicLongArray words;

    BlockBits(int blocks) {
        this.words = new AtomicLongArray((blocks + 63) / 64);
    }

    boolean get(int block) {
        return (words.get(block >>> 6) & (1L << (block & 63))) != 0;
    }

    /** Sets the bit; returns whether it was clear (so exactly one of several racing callers gets true). */
    boolean set(int block) {
        long bit = 1L << (block & 63);
        int w = block >>> 6;
        if ((words.get(w) & bit) != 0) return false; // a plain read first: no write to a shared line when already set
        return (words.getAndAccumulate(w, bit, (a, b) -> a | b) & bit) == 0;
    }

    /** Clears the bit; returns whether it was set. */
    boolean clear(int block) {
        long bit = 1L << (block & 63);
        int w = block >>> 6;
        if ((words.get(w) & bit) == 0) return false;
        return (words.getAndAccumulate(w, ~bit, (a, b) -> a & b) & bit) != 0;
    }

    /** The 64 bits of word {@code w} (blocks {@code 64w ..}). */
    long word(int w) {
        return words.get(w);
    }

    int words() {
        return words.length();
    }

    void clearAll() {
        for (int w = 0; w < words.length(); w++) words.set(w, 0);
    }
}
