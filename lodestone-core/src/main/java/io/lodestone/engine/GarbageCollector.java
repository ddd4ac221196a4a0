package io.lodestone.engine;

import io.lodestone.segment.Manifest;
import io.lodestone.segment.ManifestStore;
import io.lodestone.segment.SegmentKeys;
import io.lodestone.store.ObjectStore;
import io.lodestone.wal.WalKeys;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes objects no reader can need any more. A manifest version is "retired" once a newer one has
 * been published for longer than the grace period; readers still on a retired version have had that
 * long to move on. Then, step by step:
 * <ol>
 *   <li>find the newest manifest {@code w} published before now − grace (the oldest one still needed);</li>
 *   <li>delete log entries up to {@code w.lastIndexedSeq} (they are folded into segments w names);</li>
 *   <li>delete segment files that no manifest from {@code w} on names, if the segment was created
 *       before now − grace (so a build in progress is never touched);</li>
 *   <li>delete manifests older than {@code w}.</li>
 * </ol>
 * Everything here is idempotent and restart-safe: it derives its work from what is stored.
 */
final class GarbageCollector {
    private final ObjectStore store;
    private final String prefix;
    private final long graceMillis;

    GarbageCollector(ObjectStore store, String prefix, long graceMillis) {
        this.store = store;
        this.prefix = prefix;
        this.graceMillis = graceMillis;
    }

    void collect(Manifest current) throws IOException {
        if (current.version() == 0) return;
        long horizon = System.currentTimeMillis() - graceMillis;
        ManifestStore manifests = new ManifestStore(store, prefix);
        List<String> manifestKeys = SegmentKeys.onlyManifests(store.list(SegmentKeys.manifests(prefix), null, Integer.MAX_VALUE));
        // 1. the oldest manifest still needed: the newest one published before the horizon (if none
        //    is that old, every manifest and the whole log are still needed)
        Manifest oldestNeeded = null;
        Set<String> referenced = new HashSet<>();
        for (int i = manifestKeys.size() - 1; i >= 0 && oldestNeeded == null; i--) {
            Manifest m = manifests.find(version(manifestKeys.get(i)));
            if (m == null) continue;
            addReferences(m, referenced);
            if (m.publishedAtMillis() < horizon) oldestNeeded = m;
        }
        if (oldestNeeded != null) {
            deleteLog(oldestNeeded.lastIndexedSeq());
            // 4. manifests older than the oldest needed
            for (String k : manifestKeys) {
                if (version(k) < oldestNeeded.version()) store.delete(k);
            }
        }
        deleteUnreferencedSegmentFiles(referenced, horizon);
    }

    /** 2. Log entries up to {@code lastSeq}, folded into the oldest needed manifest. */
    private void deleteLog(long lastSeq) throws IOException {
        String walPrefix = prefix + "wal/";
        String lastObsolete = WalKeys.key(prefix, lastSeq);
        List<String> wal;
        while (!(wal = store.list(walPrefix, null, 1000)).isEmpty() && wal.getFirst().compareTo(lastObsolete) <= 0) {
            for (String k : wal) if (k.compareTo(lastObsolete) <= 0) store.delete(k);
        }
    }

    /** 3. Segment files that no needed manifest names, of segments created before the horizon. */
    private void deleteUnreferencedSegmentFiles(Set<String> referenced, long horizon) throws IOException {
        String segPrefix = SegmentKeys.segments(prefix);
        String after = null;
        List<String> keys;
        while (!(keys = store.list(segPrefix, after, 1000)).isEmpty()) {
            for (String k : keys) {
                String segmentId = k.substring(segPrefix.length(), k.indexOf('/', segPrefix.length()));
                boolean deletionVector = k.substring(k.lastIndexOf('/') + 1).startsWith("deletes-");
                // A needed segment keeps all its files but deletion vectors no needed manifest names.
                boolean needed = deletionVector ? referenced.contains(k) : referenced.contains(segPrefix + segmentId + "/");
                if (!needed && SegmentKeys.createdAt(segmentId) < horizon) store.delete(k);
            }
            after = keys.getLast();
        }
    }

    private void addReferences(Manifest m, Set<String> referenced) {
        for (Manifest.SegmentInfo s : m.segments()) {
            referenced.add(SegmentKeys.segmentPrefix(prefix, s.id()));
            if (!s.deletesKey().isEmpty()) referenced.add(s.deletesKey());
        }
    }

    private static long version(String manifestKey) {
        return SegmentKeys.manifestVersion(manifestKey);
    }
}
