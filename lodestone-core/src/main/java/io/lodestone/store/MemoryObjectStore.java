package io.lodestone.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link ObjectStore} held in memory, for tests and embedded use. Nothing survives the object;
 * "durable" means "visible to every later call".
 *
 * <p>Thread-safe: a {@link ConcurrentSkipListMap} holds private copies of the bytes, so
 * {@link #putIfAbsent} is one atomic map operation and readers always see whole objects.
 */
public final class MemoryObjectStore implements ObjectStore {

    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();
    /** Counts changes after they are made (the store lives in one process, so this is every change). */
    private final AtomicLong changes = new AtomicLong();

    /** Creates an empty store. */
    public MemoryObjectStore() {
    }

    @Override
    public byte[] get(String key) throws ObjectNotFoundException {
        return find(key).clone();
    }

    @Override
    public byte[] getRange(String key, long offset, int length) throws ObjectNotFoundException {
        ObjectKeys.requireValidRange(key, offset, length);
        byte[] data = find(key);
        int from = (int) Math.min(offset, data.length);
        int to = (int) Math.min((long) from + length, data.length);
        return Arrays.copyOfRange(data, from, to);
    }

    @Override
    public Tail getTail(String key, int length) throws ObjectNotFoundException {
        byte[] data = find(key);
        return new Tail(Arrays.copyOfRange(data, Math.max(0, data.length - length), data.length), data.length);
    }

    @Override
    public boolean exists(String key) {
        return objects.containsKey(ObjectKeys.requireValidKey(key));
    }

    @Override
    public long size(String key) throws ObjectNotFoundException {
        return find(key).length;
    }

    @Override
    public void put(String key, byte[] data) {
        objects.put(ObjectKeys.requireValidKey(key), data.clone());
        changes.incrementAndGet();
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        boolean created = objects.putIfAbsent(ObjectKeys.requireValidKey(key), data.clone()) == null;
        if (created) changes.incrementAndGet();
        return created;
    }

    @Override
    public List<String> list(String prefix, String startAfter, int limit) {
        String p = ObjectKeys.requireValidPrefix(prefix);
        ObjectKeys.requireValidLimit(limit);
        NavigableMap<String, byte[]> tail = startAfter != null && startAfter.compareTo(p) >= 0
                ? objects.tailMap(startAfter, false)
                : objects.tailMap(p, true);
        var keys = new ArrayList<String>(Math.min(limit, 1024));
        for (Map.Entry<String, byte[]> e : tail.entrySet()) {
            if (keys.size() >= limit || !e.getKey().startsWith(p)) {
                break;
            }
            keys.add(e.getKey());
        }
        return keys;
    }

    @Override
    public void delete(String key) {
        if (objects.remove(ObjectKeys.requireValidKey(key)) != null) changes.incrementAndGet();
    }

    @Override
    public Optional<ChangeCounter> changes() {
        return Optional.of(changes::get);
    }

    @Override
    public boolean local() {
        return true;
    }

    @Override
    public String describe() {
        return "memory:" + Integer.toHexString(System.identityHashCode(this));
    }

    private byte[] find(String key) throws ObjectNotFoundException {
        byte[] data = objects.get(ObjectKeys.requireValidKey(key));
        if (data == null) {
            throw new ObjectNotFoundException(key);
        }
        return data;
    }
}
