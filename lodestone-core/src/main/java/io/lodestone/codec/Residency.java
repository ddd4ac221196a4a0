package io.lodestone.codec;

import java.io.IOException;

/**
 * Which bytes of a mapped file are present. A file fetched whole (or a local store's own file) is
 * {@link #COMPLETE}; a file the cache fills by ranged reads fetches and verifies missing blocks on
 * {@link #ensure}. Readers call {@code ensure} for a range before they read it from the mapping. Thread-safe.
 */
public interface Residency {
    /** Every byte is present and verified. */
    Residency COMPLETE = new Residency() {
        @Override
        public void ensure(long offset, long length) {
        }

        @Override
        public boolean complete() {
            return true;
        }
    };

    /**
     * Makes bytes {@code [offset, offset + length)} of the file present and verified, fetching what is missing;
     * returns once they are.
     *
     * @throws CorruptObjectException when a block is still wrong after it was fetched again
     */
    void ensure(long offset, long length) throws IOException;

    /** Makes {@code n} ranges present; a store-backed residency fetches what they miss all at once. */
    default void ensure(long[] offsets, long[] lengths, int n) throws IOException {
        for (int i = 0; i < n; i++) ensure(offsets[i], lengths[i]);
    }

    /** Whether every byte is already present (then {@link #ensure} never fetches). */
    default boolean complete() {
        return false;
    }
}
