package io.lodestone.segment;

import io.lodestone.store.ObjectNotFoundException;
import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.util.List;

/** Reads and publishes a namespace's manifests ({@code manifest/{version:020}}, create-if-absent). */
public final class ManifestStore {
    private final ObjectStore store;
    private final String prefix;

    public ManifestStore(ObjectStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    /** The newest published manifest, or null when none has been published. */
    public Manifest latest() throws IOException {
        List<String> keys = listed();
        if (keys.isEmpty()) return null;
        // A newer version may have been published after the listing: on a remote store the version after the newest
        // listed one is asked for beside it (one round trip, not two).
        long newest = SegmentKeys.manifestVersion(keys.getLast());
        List<Manifest> read = io.lodestone.cache.ParallelReads.map(List.of(newest, newest + 1), !store.local(), this::find);
        Manifest m = read.get(0);
        Manifest next = read.get(1);
        for (int i = keys.size() - 2; i >= 0 && m == null; i--) { // the newest listed was unreadable (deleted meanwhile)
            m = read(keys.get(i));
            next = m == null ? null : find(m.version() + 1);
        }
        while (next != null) {
            m = next;
            next = find(m.version() + 1);
        }
        return m;
    }

    /**
     * The version of the newest manifest a listing shows, or -1 when none is published: one round trip, which proves
     * that no newer manifest existed when the listing was made.
     */
    public long newestListed() throws IOException {
        List<String> keys = listed();
        return keys.isEmpty() ? -1 : SegmentKeys.manifestVersion(keys.getLast());
    }

    private List<String> listed() throws IOException {
        return SegmentKeys.onlyManifests(store.list(SegmentKeys.manifests(prefix), null, Integer.MAX_VALUE));
    }

    /** Version {@code v}, or null when it does not exist. */
    public Manifest find(long version) throws IOException {
        return read(SegmentKeys.manifest(prefix, version));
    }

    /** Whether version {@code v} has been published (without reading it). */
    public boolean exists(long version) throws IOException {
        return store.exists(SegmentKeys.manifest(prefix, version));
    }

    private Manifest read(String key) throws IOException {
        try {
            return Manifest.decode(store.get(key), key);
        } catch (ObjectNotFoundException e) {
            return null;
        }
    }

    /** Publishes {@code m} as its version; false when another publisher already took that version. */
    public boolean publish(Manifest m) throws IOException {
        return store.putIfAbsent(SegmentKeys.manifest(prefix, m.version()), m.encode());
    }
}
