package io.lodestone.cache;

import io.lodestone.codec.Residency;

import java.nio.file.Path;

/**
 * A local file holding an object's bytes, kept from eviction until closed: hold it for as long as the file is
 * memory-mapped. Its {@link #residency()} says which bytes are present: all of them for a whole file, or those
 * fetched so far for a file the cache fills by ranged reads. Closing twice is harmless.
 */
public final class PinnedFile implements AutoCloseable {
    private final Path path;
    private final Residency residency;
    private Runnable release;

    PinnedFile(Path path, Residency residency, Runnable release) {
        this.path = path;
        this.residency = residency;
        this.release = release;
    }

    /** A file the cache does not manage (a local store's own object file): nothing to release. */
    static PinnedFile unmanaged(Path path) {
        return new PinnedFile(path, Residency.COMPLETE, () -> { });
    }

    public Path path() {
        return path;
    }

    /** Which bytes are present; call {@link Residency#ensure} before reading a range that may not be. */
    public Residency residency() {
        return residency;
    }

    @Override
    public synchronized void close() {
        if (release != null) {
            release.run();
            release = null;
        }
    }
}
