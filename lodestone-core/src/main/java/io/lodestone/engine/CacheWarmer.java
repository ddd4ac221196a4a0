package io.lodestone.engine;

import io.lodestone.segment.Manifest;
import io.lodestone.segment.SegmentFiles;
import io.lodestone.segment.SegmentKeys;
import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code hint_cache_warm}: on virtual threads (I/O only), reads a namespace's latest manifest, fetches its
 * segments' deletion vectors into the memory tier and their files into the free room of the disk tier
 * ({@link io.lodestone.cache.TieredCache#prefetch}); files stay unpinned until a query opens them.
 */
final class CacheWarmer {
    private static final Executor VIRTUAL = r -> Thread.ofVirtual().name("cache-warm").start(r);

    private CacheWarmer() {
    }

    /** A namespace's data prefix and the manifest to warm. */
    record Target(String prefix, Manifest manifest) {
    }

    /** What to warm, read in the background; null for nothing. */
    interface TargetSource {
        Target read() throws IOException;
    }

    /** Starts warming and returns at once; the future completes when the prefetch is done, never exceptionally. */
    static CompletableFuture<Void> warm(ObjectStore store, SegmentFiles files, TargetSource source) {
        return CompletableFuture.supplyAsync(() -> keysToFetch(store, files, source), VIRTUAL)
                .thenCompose(keys -> files.cache().prefetch(keys))
                .exceptionally(e -> null);
    }

    private static List<String> keysToFetch(ObjectStore store, SegmentFiles files, TargetSource source) {
        List<String> keys = new ArrayList<>();
        try {
            Target t = source.read();
            if (t == null) return keys;
            for (Manifest.SegmentInfo info : t.manifest().segments()) {
                if (!info.deletesKey().isEmpty()) files.bytes(info.deletesKey());
                for (String key : store.list(SegmentKeys.segmentPrefix(t.prefix(), info.id()), null, 1000)) {
                    if (!key.contains("/deletes-")) keys.add(key); // deletion vectors of older manifests: dead
                }
            }
        } catch (IOException e) {
            // a hint: what is not warmed is fetched by the query that needs it
        }
        return keys;
    }
}
