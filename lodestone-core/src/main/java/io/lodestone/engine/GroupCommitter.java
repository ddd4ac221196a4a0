package io.lodestone.engine;

import io.lodestone.doc.InvalidInputException;
import io.lodestone.wal.WalCodec;
import io.lodestone.wal.WalEntry;
import io.lodestone.wal.WriteBatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Group commit for one namespace: requests that arrive within the commit window share one log
 * object. One virtual thread per namespace runs the loop, so commits of a namespace are serial.
 *
 * <p>A commit, step by step:
 * <ol>
 *   <li>take the first waiting request, then gather more until the window closes or the group is full (a lone
 *       writer's request, with nothing queued behind it, goes at once);</li>
 *   <li>catch up first only if this server's knowledge of the newest manifest is stale (an idle server: the
 *       next slot may have been used, folded and collected meanwhile; see {@link Namespace#catchUpLocked});</li>
 *   <li>validate each request against the state as the earlier requests of the group leave it; a bad
 *       request fails alone, the others go on; a namespace that does not exist yet is created only
 *       now, once some request of the group is valid;</li>
 *   <li>encode the group as log entry {@code lastSeq + 1} and create it with create-if-absent (durable on return);</li>
 *   <li>if another writer owns that slot, apply the foreign entries and go back to step 3; if the commit took
 *       so long that the knowledge went stale, make sure no manifest covers the slot (else catch up and go back);</li>
 *   <li>apply the entry to the in-memory state, then acknowledge every request of the group.</li>
 * </ol>
 * A storage error fails the whole group: nothing is acknowledged (the entry may still appear later,
 * whole, if the store wrote it).
 */
final class GroupCommitter implements AutoCloseable {
    private record Pending(WriteRequest request, CompletableFuture<WriteResult> result, long bytes) {
    }

    private final Namespace namespace;
    private final long windowNanos;
    private final long maxGroupBytes;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    /** Requests in the last group gathered; only the commit thread reads and writes it. */
    private int lastGroupSize;
    /** The failure given to every request still waiting when the committer closes. */
    private volatile Supplier<RuntimeException> closedFailure =
            () -> new IllegalStateException("the namespace was closed before this write was committed");

    GroupCommitter(Namespace namespace, long windowMillis, long maxGroupBytes) {
        this.namespace = namespace;
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
        this.maxGroupBytes = maxGroupBytes;
        this.thread = Thread.ofVirtual().name("commit-" + namespace.name()).start(this::loop);
    }

    CompletableFuture<WriteResult> submit(WriteRequest request) {
        CompletableFuture<WriteResult> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(closedFailure.get());
            return f;
        }
        queue.add(new Pending(request, f, estimateBytes(request)));
        // Closed between the check and the add: the loop may have drained already, so fail what is left here.
        if (closed) failWaiting();
        return f;
    }

    private static long estimateBytes(WriteRequest r) {
        long n = 64L * r.rowCount();
        for (var d : r.upserts()) if (d.vector() != null) n += 4L * d.vector().length;
        return n;
    }

    private void loop() {
        while (!closed) {
            List<Pending> group = new ArrayList<>();
            try {
                gather(group);
            } catch (InterruptedException e) {
                for (Pending p : group) p.result.completeExceptionally(closedFailure.get());
                break;
            }
            try {
                commit(group);
            } catch (Throwable t) {
                for (Pending p : group) p.result.completeExceptionally(t);
            }
        }
        failWaiting();
    }

    private void failWaiting() {
        Pending p;
        while ((p = queue.poll()) != null) p.result.completeExceptionally(closedFailure.get());
    }

    /**
     * Takes the first waiting request, then more until the window closes or the group is full. A request with no
     * other writer in sight (nothing queued behind it, and the last group a lone request too) does not wait for
     * the window: nobody would join it, and the wait would only add to every acknowledgement of a lone writer.
     * Under concurrency requests queue up during each commit, and the window gathers them as before.
     */
    private void gather(List<Pending> group) throws InterruptedException {
        Pending first = queue.take();
        group.add(first);
        long bytes = first.bytes;
        boolean alone = queue.isEmpty() && lastGroupSize <= 1;
        long deadline = System.nanoTime() + (alone ? 0 : windowNanos);
        while (bytes < maxGroupBytes) {
            long left = deadline - System.nanoTime();
            Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) break;
            group.add(next);
            bytes += next.bytes;
        }
        lastGroupSize = group.size();
    }

    private void commit(List<Pending> group) throws IOException {
        namespace.logLock().lock();
        try {
            if (closed) { // a delete or close won the lock: this group is not committed
                for (Pending p : group) p.result.completeExceptionally(closedFailure.get());
                return;
            }
            if (namespace.existsLocked()) namespace.catchUpIfStaleLocked();
            boolean exists = namespace.existsLocked(); // a catch-up may find that another server deleted it
            List<Pending> waiting = group;
            while (!waiting.isEmpty()) {
                NamespaceView view = exists ? namespace.state().view() : NamespaceView.EMPTY;
                List<Pending> accepted = new ArrayList<>();
                List<WriteBatch> batches = new ArrayList<>();
                for (Pending p : waiting) {
                    try {
                        BatchValidator.Result r = BatchValidator.validate(namespace.name(), namespace.maxDimensions(), view, p.request);
                        view = view.after(r.batch(), r.dims());
                        accepted.add(p);
                        batches.add(r.batch());
                    } catch (InvalidInputException | IllegalArgumentException e) {
                        p.result.completeExceptionally(e instanceof InvalidInputException ? e : new InvalidInputException(e.getMessage(), e));
                    }
                }
                if (accepted.isEmpty()) return; // nothing valid: a namespace is never created by a refused write
                waiting = accepted;
                if (!exists) {
                    namespace.ensureCreated();
                    exists = true;
                    if (namespace.state().lastSeq() > 0) continue; // another writer created it first: revalidate
                }
                long seq = namespace.state().lastSeq() + 1;
                WalEntry entry = new WalEntry(seq, System.currentTimeMillis(), batches);
                byte[] bytes = WalCodec.encode(entry);
                if (namespace.store().putIfAbsent(namespace.walKey(seq), bytes)) {
                    if (!namespace.committedSlotIsNew(seq)) {
                        // The slot had been used, folded and collected: the entry lies below the index, where no
                        // reader looks. Catch up past it (the listing) and commit again in a fresh slot.
                        namespace.catchUpLocked();
                        exists = namespace.existsLocked();
                        continue;
                    }
                    List<WriteResult> results = namespace.state().apply(entry, bytes);
                    EngineStats stats = namespace.stats();
                    stats.writes.add(accepted.size());
                    stats.writeBytes.add(bytes.length);
                    for (Pending p : accepted) stats.rowsWritten.add(p.request.rowCount());
                    for (int i = 0; i < accepted.size(); i++) accepted.get(i).result.complete(results.get(i));
                    namespace.committed();
                    return;
                }
                namespace.catchUpLocked(); // another writer took the slot: apply its entries and revalidate
                exists = namespace.existsLocked(); // ... unless it was the deletion mark: then create anew
            }
        } finally {
            namespace.logLock().unlock();
        }
    }

    /** Stops committing; every request not yet committed fails with {@code failure}. */
    void close(Supplier<RuntimeException> failure) {
        closedFailure = failure;
        close();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
