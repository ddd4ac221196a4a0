package io.lodestone.testing;

import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** An {@link ObjectStore} that passes every call to another; tests override the calls they watch or disturb. */
public class ForwardingStore implements ObjectStore {
    private final ObjectStore delegate;

    public ForwardingStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public byte[] get(String key) throws IOException {
        return delegate.get(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) throws IOException {
        return delegate.getRange(key, offset, length);
    }

    @Override
    public Tail getTail(String key, int length) throws IOException {
        return delegate.getTail(key, length);
    }

    @Override
    public long size(String key) throws IOException {
        return delegate.size(key);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return delegate.exists(key);
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        delegate.put(key, data);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) throws IOException {
        return delegate.putIfAbsent(key, data);
    }

    @Override
    public List<String> list(String prefix, String startAfter, int limit) throws IOException {
        return delegate.list(prefix, startAfter, limit);
    }

    @Override
    public void delete(String key) throws IOException {
        delegate.delete(key);
    }

    @Override
    public void putFile(String key, Path file) throws IOException {
        delegate.putFile(key, file);
    }

    @Override
    public void getToFile(String key, Path target) throws IOException {
        delegate.getToFile(key, target);
    }

    @Override
    public Optional<Path> localPath(String key) throws IOException {
        return delegate.localPath(key);
    }

    @Override
    public boolean local() {
        return delegate.local();
    }

    @Override
    public String describe() {
        return "forwarding to " + delegate.describe();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
