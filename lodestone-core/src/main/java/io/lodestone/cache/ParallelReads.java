package io.lodestone.cache;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Independent reads of several objects at once: on a remote store each costs a round trip, so they go out
 * together on virtual threads (I/O only), each bound to the caller's {@link CacheAccess} recorder and read
 * section ({@link ReadSections}). On a local
 * store, or for one item, they run on the caller's thread.
 */
public final class ParallelReads {
    private ParallelReads() {
    }

    /** A read that may fail with an I/O error. */
    public interface Read<T, R> {
        R apply(T item) throws IOException;
    }

    /** {@code read} of every item, in order; the first failure is thrown after all reads have ended. */
    public static <T, R> List<R> map(List<T> items, boolean remote, Read<T, R> read) throws IOException {
        return map(items, remote, read, r -> { });
    }

    /**
     * As {@link #map(List, boolean, Read)}; when a read fails, the results of the others are handed to
     * {@code discard} (to close what they opened) before the failure is thrown.
     */
    public static <T, R> List<R> map(List<T> items, boolean remote, Read<T, R> read, java.util.function.Consumer<? super R> discard)
            throws IOException {
        List<R> out = new ArrayList<>(items.size());
        Throwable failure = null;
        if (!remote || items.size() < 2) {
            for (T item : items) {
                try {
                    out.add(read.apply(item));
                } catch (IOException | RuntimeException e) {
                    failure = e;
                    break;
                }
            }
        } else {
            CacheAccess access = CacheAccess.current();
            ReadSections.Section section = ReadSections.current(); // this thread waits for the reads: its section covers them
            List<Future<R>> futures = new ArrayList<>(items.size());
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (T item : items) {
                    futures.add(threads.submit(() -> ReadSections.within(section,
                            () -> access == null ? read.apply(item) : access.duringIo(() -> read.apply(item)))));
                }
                for (Future<R> f : futures) {
                    try {
                        out.add(f.get());
                    } catch (ExecutionException e) {
                        if (failure == null) failure = e.getCause();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        if (failure == null) failure = new java.io.InterruptedIOException("interrupted during parallel reads");
                    }
                }
            }
        }
        if (failure == null) return out;
        for (R r : out) if (r != null) discard.accept(r);
        if (failure instanceof IOException io) throw io;
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error e) throw e;
        throw new IOException(failure);
    }

    /** Runs the unchecked reads (prefetches of mapped files) at once. */
    public static void run(List<Runnable> reads, boolean remote) {
        try {
            map(reads, remote, r -> {
                r.run();
                return Boolean.TRUE;
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
