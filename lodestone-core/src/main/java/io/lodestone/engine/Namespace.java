package io.lodestone.engine;

import io.lodestone.store.ObjectNotFoundException;
import io.lodestone.store.ObjectStore;
import io.lodestone.wal.WalCodec;
import io.lodestone.wal.WalKeys;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One namespace of a {@link Lodestone} database: writes go through group commit to the log, queries
 * run over the state the log materializes. Thread-safe. Obtain with {@link Lodestone#namespace(String)}.
 */
public final class Namespace implements AutoCloseable {
    private final String name;
    private final ObjectStore store;
    private final Catalog catalog;
    private final EngineOptions options;
    private final ReentrantLock logLock = new ReentrantLock();
    private volatile Catalog.Entry entry;
    private volatile NamespaceState state = new NamespaceState();
    private volatile boolean loaded;
    private GroupCommitter committer;

    Namespace(String name, ObjectStore store, Catalog catalog, EngineOptions options) {
        this.name = name;
        this.store = store;
        this.catalog = catalog;
        this.options = options;
    }

    public String name() {
        return name;
    }

    /** Writes atomically and returns once the write is durable and visible. */
    public WriteResult write(WriteRequest request) {
        try {
            return writeAsync(request).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for commit", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new StorageException("write to namespace '" + name + "' failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Queues a write; the future completes once it is durable and visible. */
    public CompletableFuture<WriteResult> writeAsync(WriteRequest request) {
        GroupCommitter c;
        synchronized (this) {
            if (committer == null) committer = new GroupCommitter(this, options.groupCommitWindowMs(), options.maxGroupBytes());
            c = committer;
        }
        return c.submit(request);
    }

    /** Runs a query; sees every acknowledged write unless the query asks for eventual consistency. */
    public QueryResult query(Query query) {
        if (query.topK() < 1) throw new io.lodestone.doc.InvalidInputException("top_k must be >= 1; got " + query.topK());
        requireExists();
        if (!query.eventual()) catchUp();
        return state.read(snap -> QueryExecutor.run(snap, query));
    }

    /** Whether the namespace exists (has been written and not deleted). */
    public boolean exists() {
        load();
        return entry != null;
    }

    public NamespaceMetadata metadata() {
        requireExists();
        catchUp();
        return state.read(s -> new NamespaceMetadata(s.table().liveCount(), s.table().liveBytes(),
                s.createdAtMillis() == 0 ? entry.createdAtMillis() : s.createdAtMillis(),
                s.updatedAtMillis() == 0 ? entry.createdAtMillis() : s.updatedAtMillis(),
                s.view().schema(), s.view().metricSet() ? s.view().metric() : null, s.view().dims(), 0));
    }

    /** Deletes the namespace and all its data. */
    public void delete() {
        requireExists();
        logLock.lock();
        try {
            closeCommitter();
            catalog.delete(entry);
            entry = null;
            state = new NamespaceState();
        } catch (IOException e) {
            throw new StorageException("deleting namespace '" + name + "' failed: " + e.getMessage(), e);
        } finally {
            logLock.unlock();
        }
    }

    private void requireExists() {
        if (!exists()) throw new NamespaceNotFoundException(name);
    }

    private void load() {
        if (loaded) return;
        logLock.lock();
        try {
            if (loaded) return;
            entry = catalog.find(name);
            if (entry != null) catchUpLocked();
            loaded = true;
        } catch (IOException e) {
            throw new StorageException("loading namespace '" + name + "' failed: " + e.getMessage(), e);
        } finally {
            logLock.unlock();
        }
    }

    /** Applies log entries other writers (or a crashed earlier run) committed. Probes without the lock. */
    private void catchUp() {
        try {
            while (true) {
                long next = state.lastSeq() + 1;
                byte[] bytes = readWal(next);
                if (bytes == null) return;
                logLock.lock();
                try {
                    if (state.lastSeq() + 1 == next) state.apply(WalCodec.decode(bytes, walKey(next)));
                } finally {
                    logLock.unlock();
                }
            }
        } catch (IOException e) {
            throw new StorageException("reading the log of namespace '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    void catchUpLocked() throws IOException {
        byte[] bytes;
        while ((bytes = readWal(state.lastSeq() + 1)) != null) {
            state.apply(WalCodec.decode(bytes, walKey(state.lastSeq() + 1)));
        }
    }

    private byte[] readWal(long seq) throws IOException {
        if (entry == null) return null;
        try {
            return store.get(walKey(seq));
        } catch (ObjectNotFoundException e) {
            return null;
        }
    }

    void ensureCreated() throws IOException {
        load();
        if (entry == null) {
            entry = catalog.create(name);
            state = new NamespaceState();
        }
    }

    String walKey(long seq) {
        return WalKeys.key(catalog.dataPrefix(entry), seq);
    }

    ReentrantLock logLock() {
        return logLock;
    }

    NamespaceState state() {
        return state;
    }

    ObjectStore store() {
        return store;
    }

    int maxDimensions() {
        return options.maxDimensions();
    }

    private synchronized void closeCommitter() {
        if (committer != null) {
            committer.close();
            committer = null;
        }
    }

    @Override
    public void close() {
        closeCommitter();
    }
}
