package io.lodestone.engine;

import io.lodestone.store.ObjectNotFoundException;
import io.lodestone.store.ObjectStore;
import io.lodestone.wal.WalKeys;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;

/**
 * Reads the log entries that follow a sequence number. On a remote store the reads of a run go out at once
 * on virtual threads, in windows that double from 1 (usually nothing or one entry is new) up to
 * {@link #MAX_WINDOW}, so a cold server replays a long tail in a few round trips instead of one per entry.
 */
final class LogReader {
    static final int MAX_WINDOW = 64;

    private final ObjectStore store;
    private final String prefix;

    LogReader(ObjectStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    /** Hands each entry from {@code first} on to {@code apply}, in order, until the first missing one. */
    void forEachFrom(long first, EntryConsumer apply) throws IOException {
        forEachFrom(first, apply, null);
    }

    /**
     * As {@link #forEachFrom(long, EntryConsumer)}, taking the first entry from {@code ahead} when it was read ahead
     * for {@code first} (a cold load reads it beside the segments, one round trip fewer).
     */
    void forEachFrom(long first, EntryConsumer apply, ReadAhead ahead) throws IOException {
        long next = first;
        int window = 1;
        if (ahead != null && ahead.seq == first) {
            byte[] bytes = ahead.get();
            if (bytes == null) return;
            apply.accept(next++, bytes);
            window = 2;
        }
        while (true) {
            List<byte[]> run = read(next, store.local() ? 1 : window);
            for (byte[] bytes : run) apply.accept(next++, bytes);
            if (run.size() < (store.local() ? 1 : window)) return;
            window = Math.min(MAX_WINDOW, window * 2);
        }
    }

    /** Starts reading the entry at {@code seq} on a virtual thread (I/O only), for a later {@link #forEachFrom}. */
    ReadAhead readAhead(long seq) {
        long started = System.nanoTime();
        FutureTask<byte[]> task = new FutureTask<>(() -> get(seq));
        Thread.ofVirtual().name("log-read-ahead").start(task);
        return new ReadAhead(seq, started, task);
    }

    /**
     * One log entry being read ahead: its bytes, or null when there is none.
     *
     * @param startedNanos when the read began ({@link System#nanoTime()}): a catch-up that uses it has seen the log
     *                     as of then, not as of its own start
     */
    record ReadAhead(long seq, long startedNanos, FutureTask<byte[]> task) {
        byte[] get() throws IOException {
            return IoFutures.await(task, "log entry " + seq);
        }
    }

    /** What is done with each entry. */
    interface EntryConsumer {
        void accept(long seq, byte[] bytes) throws IOException;
    }

    /** Entries {@code from ..} while they exist, at most {@code count}. */
    private List<byte[]> read(long from, int count) throws IOException {
        List<byte[]> out = new ArrayList<>(count);
        if (count == 1) {
            byte[] b = get(from);
            if (b != null) out.add(b);
            return out;
        }
        List<FutureTask<byte[]>> reads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long seq = from + i;
            FutureTask<byte[]> t = new FutureTask<>(() -> get(seq));
            Thread.ofVirtual().name("log-read").start(t);
            reads.add(t);
        }
        try {
            for (FutureTask<byte[]> t : reads) {
                byte[] b = IoFutures.await(t, "the log under " + prefix);
                if (b == null) break;
                out.add(b);
            }
        } finally {
            for (FutureTask<byte[]> t : reads) t.cancel(true);
        }
        return out;
    }

    private byte[] get(long seq) throws IOException {
        try {
            return store.get(WalKeys.key(prefix, seq));
        } catch (ObjectNotFoundException e) {
            return null;
        }
    }
}
