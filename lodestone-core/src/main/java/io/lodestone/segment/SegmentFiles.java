package io.lodestone.segment;

import io.lodestone.cache.PinnedFile;
import io.lodestone.cache.TieredCache;
import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Local files for segment objects, so they can be memory-mapped: the object's own file when the store keeps
 * objects as local files, else a copy in the disk tier of the {@link TieredCache} (objects are immutable, so a
 * cached copy never goes stale). Files are pinned while mapped; segments this server builds enter the cache
 * by moving the built file in; dead segments leave it ({@link #forgetSegment}).
 */
public final class SegmentFiles {
    private final TieredCache cache;
    private final Path scratchRoot;
    /** Object key → what its manifest says an open reads; learnt from manifests, dropped with dead segments. */
    private final java.util.concurrent.ConcurrentHashMap<String, FileExtent> extents = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param cache       the tiered cache in front of the store
     * @param scratchRoot where segments are built before upload; on the disk tier's file system, so a built file
     *                    moves into the cache without a copy
     */
    public SegmentFiles(TieredCache cache, Path scratchRoot) {
        this.cache = cache;
        this.scratchRoot = scratchRoot;
    }

    public ObjectStore store() {
        return cache.store();
    }

    public TieredCache cache() {
        return cache;
    }

    /**
     * A local file for the object, pinned until closed, possibly filled by ranged reads as its
     * {@link PinnedFile#residency()} is asked for ranges; {@code ObjectNotFoundException} when absent.
     */
    public PinnedFile open(String key) throws IOException {
        FileExtent extent = extents.get(key);
        return extent == null ? cache.open(key) : cache.open(key, extent.size(), extent.headBytes(), extent.endBytes());
    }

    /**
     * Remembers what a manifest says about a segment's files, so that their first open over ranged reads fetches
     * everything the open parses in one round trip.
     */
    public void learn(String prefix, Manifest.SegmentInfo segment) {
        String segmentPrefix = SegmentKeys.segmentPrefix(prefix, segment.id());
        for (FileExtent f : segment.files()) extents.putIfAbsent(segmentPrefix + f.name(), f);
    }

    /** A small immutable object (a deletion vector), through the memory tier. */
    public byte[] bytes(String key) throws IOException {
        return cache.bytes(key);
    }

    /** Hands a built and uploaded segment file to the cache (moved, so it is not downloaded again). */
    public void adopt(String key, Path built) throws IOException {
        cache.adopt(key, built);
    }

    /** Drops a segment that no manifest names any more from the cache. */
    public void forgetSegment(String prefix, String segmentId) {
        forget(SegmentKeys.segmentPrefix(prefix, segmentId));
    }

    /** Drops every dead object whose key starts with {@code prefix} (a segment, a deleted namespace) from the cache. */
    public void forget(String prefix) {
        cache.forget(prefix);
        extents.keySet().removeIf(k -> k.startsWith(prefix));
    }

    /** A directory for building new segment files before upload. */
    public Path scratchDir() throws IOException {
        Files.createDirectories(scratchRoot);
        return Files.createTempDirectory(scratchRoot, "seg");
    }
}
