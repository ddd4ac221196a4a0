package io.lodestone.engine;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.BytesWriter;
import io.lodestone.codec.Frame;
import io.lodestone.store.ObjectNotFoundException;
import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The list of namespaces of one tenant: one small marker object per namespace at
 * {@code {root}catalog/{name}} (format {@code lodestone.catalog} v1: string incarnation, int64 createdAt).
 * A namespace's data lives under {@code {root}ns/{name}/{incarnation}/}, so deleting a namespace is
 * atomic (delete the marker) and a recreated namespace never sees the old one's objects.
 */
final class Catalog {
    private static final String FORMAT = "lodestone.catalog";

    private final ObjectStore store;
    private final String root;

    Catalog(ObjectStore store, String root) {
        this.store = store;
        this.root = root;
    }

    /** Entry of an existing namespace. */
    record Entry(String name, String incarnation, long createdAtMillis) {
    }

    private String markerKey(String name) {
        return root + "catalog/" + name;
    }

    String dataPrefix(Entry e) {
        return root + "ns/" + e.name() + "/" + e.incarnation() + "/";
    }

    /** The entry, or null when the namespace does not exist. */
    Entry find(String name) throws IOException {
        try {
            byte[] b = store.get(markerKey(name));
            BytesReader r = Frame.open(b, markerKey(name), FORMAT, 1, 1).body();
            return new Entry(name, r.readString(), r.readLong());
        } catch (ObjectNotFoundException e) {
            return null;
        }
    }

    /** Creates the namespace unless it exists; either way returns the entry that won. */
    Entry create(String name) throws IOException {
        Entry fresh = new Entry(name, UUID.randomUUID().toString(), System.currentTimeMillis());
        BytesWriter w = Frame.begin(FORMAT, 1, 64);
        w.writeString(fresh.incarnation()).writeLong(fresh.createdAtMillis());
        if (store.putIfAbsent(markerKey(name), Frame.finish(w))) return fresh;
        Entry winner = find(name);
        if (winner == null) throw new IOException("namespace " + name + " was deleted while being created; retry");
        return winner;
    }

    /** Removes the marker, then the data; a crash in between leaves only unreachable objects. */
    void delete(Entry e) throws IOException {
        store.delete(markerKey(e.name()));
        String prefix = dataPrefix(e);
        List<String> keys;
        while (!(keys = store.list(prefix, null, 1000)).isEmpty()) {
            for (String k : keys) store.delete(k);
        }
    }

    /** Namespace names starting with {@code prefix}, after {@code cursor}, at most {@code limit}. */
    List<String> list(String prefix, String cursor, int limit) throws IOException {
        String base = root + "catalog/";
        List<String> names = new ArrayList<>();
        for (String key : store.list(base + (prefix == null ? "" : prefix), cursor == null ? null : base + cursor, limit)) {
            names.add(key.substring(base.length()));
        }
        return names;
    }
}
