package io.lodestone.segment;

import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Local files for segment objects, so they can be memory-mapped: the object's own file when the store
 * keeps objects as local files, else a copy in the disk cache directory (objects are immutable, so a
 * cached copy never goes stale).
 */
public final class SegmentFiles {
    private final ObjectStore store;
    private final Path cacheDir;
    private final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder misses = new java.util.concurrent.atomic.LongAdder();

    public SegmentFiles(ObjectStore store, Path cacheDir) {
        this.store = store;
        this.cacheDir = cacheDir;
    }

    public ObjectStore store() {
        return store;
    }

    /** A local path holding the object's bytes. */
    public Path local(String key) throws IOException {
        Optional<Path> direct = store.localPath(key);
        if (direct.isPresent()) {
            hits.increment();
            return direct.get();
        }
        Path target = cacheDir.resolve(key);
        if (Files.isRegularFile(target)) {
            hits.increment();
            return target;
        }
        misses.increment();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".download", ".tmp");
        try {
            store.getToFile(key, tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** Segment file opens served from local disk (the store's own files or the cache). */
    public long cacheHits() {
        return hits.sum();
    }

    /** Segment file opens that had to fetch the object from the store. */
    public long cacheMisses() {
        return misses.sum();
    }

    /** A directory for building new segment files before upload. */
    public Path scratchDir() throws IOException {
        Path d = cacheDir.resolve(".build");
        Files.createDirectories(d);
        return Files.createTempDirectory(d, "seg");
    }
}
