package io.lodestone.store;

import java.io.IOException;
import java.util.List;

/** A store that forwards every call to another: tests override the calls they observe or slow down. */
public class ForwardingStore implements ObjectStore {
    private final ObjectStore target;

    public ForwardingStore(ObjectStore target) {
        this.target = target;
    }

    @Override
    public byte[] get(String key) throws IOException {
        return target.get(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) throws IOException {
        return target.getRange(key, offset, length);
    }

    @Override
    public long size(String key) throws IOException {
        return target.size(key);
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        target.put(key, data);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) throws IOException {
        return target.putIfAbsent(key, data);
    }

    @Override
    public List<String> list(String prefix, String startAfter, int limit) throws IOException {
        return target.list(prefix, startAfter, limit);
    }

    @Override
    public void delete(String key) throws IOException {
        target.delete(key);
    }

    @Override
    public boolean local() {
        return target.local();
    }

    @Override
    public String describe() {
        return "forwarding to " + target.describe();
    }
}
