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
 * atomic (delete the marker) and a recreated namespace never sees the old one's objects. Deleted
 * incarnations wait in {@code {root}trash/} for the GC grace period before their data is removed.
 */
final class Catalog {
    private static final String FORMAT = "lodestone.catalog";
    private static final String TRASH_FORMAT = "lodestone.trash";

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

    /**
     * Removes the marker (the namespace is gone for everyone at once) and files the incarnation in the trash
     * ({@code {root}trash/{name}/{incarnation}}, holding the deletion time). Its data stays until
     * {@link #sweep} runs a grace period later: a server that has not yet seen the deletion may still be about
     * to probe or create the log slot that marks it, and must find the mark there.
     */
    void delete(Entry e) throws IOException {
        Entry current = find(e.name());
        if (current != null && current.incarnation().equals(e.incarnation())) store.delete(markerKey(e.name()));
        BytesWriter w = Frame.begin(TRASH_FORMAT, 1, 64);
        w.writeString(e.incarnation()).writeLong(System.currentTimeMillis());
        store.put(trashKey(e), Frame.finish(w));
    }

    private String trashKey(Entry e) {
        return root + "trash/" + e.name() + "/" + e.incarnation();
    }

    /** Deletes the data of incarnations deleted more than {@code graceMillis} ago; idempotent, any server may run it. */
    void sweep(long graceMillis) throws IOException {
        String base = root + "trash/";
        long horizon = System.currentTimeMillis() - graceMillis;
        String after = null;
        List<String> keys;
        while (!(keys = store.list(base, after, 1000)).isEmpty()) {
            for (String key : keys) {
                byte[] b;
                try {
                    b = store.get(key);
                } catch (ObjectNotFoundException gone) {
                    continue; // swept by another server meanwhile
                }
                BytesReader r = Frame.open(b, key, TRASH_FORMAT, 1, 1).body();
                String incarnation = r.readString();
                if (r.readLong() >= horizon) continue;
                String name = key.substring(base.length(), key.lastIndexOf('/'));
                String prefix = dataPrefix(new Entry(name, incarnation, 0));
                List<String> data;
                while (!(data = store.list(prefix, null, 1000)).isEmpty()) {
                    for (String k : data) store.delete(k);
                }
                store.delete(key);
            }
            after = keys.getLast();
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
