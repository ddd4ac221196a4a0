package io.lodestone.cache;

import java.nio.file.Path;

/**
 * A local file holding an object's bytes, kept from eviction until closed: hold it for as long as the file is
 * memory-mapped. Closing twice is harmless.
 */
public final class PinnedFile implements AutoCloseable {
    private final Path path;
    private Runnable release;

    PinnedFile(Path path, Runnable release) {
        this.path = path;
        this.release = release;
    }

    /** A file the cache does not manage (a local store's own object file): nothing to release. */
    static PinnedFile unmanaged(Path path) {
        return new PinnedFile(path, () -> { });
    }

    public Path path() {
        return path;
    }

    @Override
    public synchronized void close() {
        if (release != null) {
            release.run();
            release = null;
        }
    }
}
