package io.lodestone.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An {@link ObjectStore} held in memory, for tests and embedded use. Nothing survives the object;
 * "durable" means "visible to every later call".
 *
 * <p>Thread-safe: a {@link ConcurrentSkipListMap} holds private copies of the bytes, so
 * {@link #putIfAbsent} is one atomic map operation and readers always see whole objects.
 */
public final class MemoryObjectStore implements ObjectStore {

    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

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
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return objects.putIfAbsent(ObjectKeys.requireValidKey(key), data.clone()) == null;
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
        objects.remove(ObjectKeys.requireValidKey(key));
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
