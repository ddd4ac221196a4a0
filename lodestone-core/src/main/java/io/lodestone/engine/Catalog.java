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
 *
 * <p>Beside each marker the indexer keeps the namespace's <em>head</em>, {@code {root}head/{name}} (format
 * {@code lodestone.head} v1: string incarnation, varint length, the newest manifest it published, as encoded): a
 * server opening the namespace from a remote store reads it in the same round trip as the marker and opens its
 * segments while a listing of the manifests checks that none is newer. It is a hint, never the proof: a head that is
 * missing, unreadable, of another incarnation or older than the listing (a publisher that failed to write it, or two
 * that wrote it out of order) only costs the reader the round trip it saves.
 */
final class Catalog {
    private static final String FORMAT = "lodestone.catalog";
    private static final String TRASH_FORMAT = "lodestone.trash";
    private static final String HEAD_FORMAT = "lodestone.head";
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Catalog.class.getName());

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

    /** An entry (null when the namespace does not exist) and the newest manifest its head names (null when none). */
    record Found(Entry entry, io.lodestone.segment.Manifest head) {
    }

    /**
     * As {@link #find}; with {@code withHead}, the namespace's head is read at the same time (one round trip for
     * both on a remote store) and returned when it names the entry's incarnation and is readable.
     */
    Found findWithHead(String name, boolean withHead) throws IOException {
        if (!withHead) return new Found(find(name), null);
        java.util.concurrent.FutureTask<Head> head = new java.util.concurrent.FutureTask<>(() -> readHead(name));
        Thread.ofVirtual().name("head-read").start(head);
        Entry e;
        try {
            e = find(name);
        } catch (IOException | RuntimeException failure) {
            head.cancel(true);
            throw failure;
        }
        Head h;
        try {
            h = IoFutures.await(head, "the head of " + name);
        } catch (java.io.InterruptedIOException interrupted) {
            throw interrupted;
        } catch (IOException | RuntimeException unreadable) {
            LOG.log(java.util.logging.Level.FINE, "head of " + name + " not read; listing its manifests", unreadable);
            h = null;
        }
        return new Found(e, e != null && h != null && h.incarnation().equals(e.incarnation()) ? h.manifest() : null);
    }

    /** The head as written: the incarnation it belongs to and its manifest. */
    private record Head(String incarnation, io.lodestone.segment.Manifest manifest) {
    }

    private String headKey(String name) {
        return root + "head/" + name;
    }

    /** The head of {@code name}, or null when there is none; a corrupt one is reported as such. */
    private Head readHead(String name) throws IOException {
        byte[] b;
        try {
            b = store.get(headKey(name));
        } catch (ObjectNotFoundException e) {
            return null;
        }
        BytesReader r = Frame.open(b, headKey(name), HEAD_FORMAT, 1, 1).body();
        String incarnation = r.readString();
        byte[] manifest = r.readBytes(r.readVarInt());
        return new Head(incarnation, io.lodestone.segment.Manifest.decode(manifest, headKey(name)));
    }

    /**
     * Records {@code m}, just published, as the head of {@code e}'s namespace. Best effort: the manifest is published
     * whether or not this succeeds, and a reader of a stale or missing head lists the manifests instead.
     */
    void writeHead(Entry e, io.lodestone.segment.Manifest m) {
        byte[] manifest = m.encode();
        BytesWriter w = Frame.begin(HEAD_FORMAT, 1, manifest.length + 64);
        w.writeString(e.incarnation()).writeVarInt(manifest.length).writeBytes(manifest, 0, manifest.length);
        try {
            store.put(headKey(e.name()), Frame.finish(w));
        } catch (IOException | RuntimeException failure) {
            LOG.log(java.util.logging.Level.FINE, "head of " + e.name() + " not written (readers list the manifests)", failure);
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
                deleteHeadOf(name, incarnation);
                store.delete(key);
            }
            after = keys.getLast();
        }
    }

    /**
     * Deletes the head of a swept incarnation. A namespace recreated meanwhile has written its own head (another
     * incarnation), which is kept; one written between this read and the delete is lost, which costs its readers
     * only a listing until the next publish.
     */
    private void deleteHeadOf(String name, String incarnation) throws IOException {
        Head h;
        try {
            h = readHead(name);
        } catch (io.lodestone.codec.CorruptObjectException unreadable) {
            h = new Head(incarnation, null);
        }
        if (h != null && h.incarnation().equals(incarnation)) store.delete(headKey(name));
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
