package io.lodestone.engine;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.BytesWriter;
import io.lodestone.codec.Frame;
import io.lodestone.store.ObjectNotFoundException;
import io.lodestone.store.ObjectStore;
import io.lodestone.wal.WalKeys;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Which server indexes a namespace: at most one at a time, so no two servers fold the same log entries.
 *
 * <p>The lease is a sequence of numbered epoch objects {@code {prefix}lease/{epoch:020}} (format
 * {@code lodestone.lease} v1: string owner, int64 expiresAtMillis), each created with create-if-absent, like
 * every other coordination step (no compare-and-swap of an existing object). The newest epoch names the
 * holder. The holder renews by creating the next epoch once half the lease has passed; a server takes
 * over by creating the next epoch once the newest one has expired by its clock plus {@link #skewMillis}.
 * Of two servers creating the same epoch exactly one wins. The holder counts its lease on its own
 * monotonic clock from before the create, and stops indexing {@code skewMillis} before the time written
 * in the object, so holder and taker never overlap while clocks differ by less than twice that.
 *
 * <p>The lease only avoids duplicate work: correctness never depends on it, because a manifest is
 * published with create-if-absent too, and a fold that loses that race is dropped (its files are
 * garbage-collected).
 */
final class IndexerLease {
    private static final String FORMAT = "lodestone.lease";
    /** Old epochs kept behind the newest (so a reader between list and get still finds one). */
    private static final int KEEP_EPOCHS = 2;

    private final ObjectStore store;
    private final String prefix;
    private final String owner;
    private final long durationNanos;
    private final long durationMillis;
    private final long skewMillis;

    private long heldEpoch = -1;
    private long heldSinceNanos;
    private long lastLookNanos;
    private boolean looked;

    /**
     * @param prefix         the namespace's data prefix
     * @param owner          this server's identity (unique per process)
     * @param durationMillis how long an epoch lasts without renewal
     */
    IndexerLease(ObjectStore store, String prefix, String owner, long durationMillis) {
        if (durationMillis < 10) throw new IllegalArgumentException("lease must last >= 10 ms; got " + durationMillis);
        this.store = store;
        this.prefix = prefix;
        this.owner = owner;
        this.durationMillis = durationMillis;
        this.durationNanos = TimeUnit.MILLISECONDS.toNanos(durationMillis);
        this.skewMillis = Math.min(2_000, durationMillis / 5);
    }

    static String epochs(String prefix) {
        return prefix + "lease/";
    }

    private String key(long epoch) {
        return epochs(prefix) + WalKeys.digits20(epoch);
    }

    /**
     * Whether this server may index now: keeps, renews, acquires or takes over the lease as needed. A server
     * that does not hold it looks at the newest epoch at most once per quarter lease.
     */
    synchronized boolean acquire() throws IOException {
        long now = System.nanoTime();
        if (heldEpoch >= 0) {
            long age = now - heldSinceNanos;
            if (age < durationNanos / 2) return true;
            if (age < validNanos()) return take(heldEpoch + 1, now);
            heldEpoch = -1; // lapsed unrenewed: compete like any other server
        }
        if (looked && now - lastLookNanos < durationNanos / 4) return false;
        looked = true;
        lastLookNanos = now;
        List<String> keys = store.list(epochs(prefix), null, Integer.MAX_VALUE).stream()
                .filter(k -> WalKeys.digits20Of(k) >= 0).toList(); // objects that are not epochs are no lease
        if (keys.isEmpty()) return take(1, now);
        String newestKey = keys.getLast();
        long newest = WalKeys.digits20Of(newestKey);
        Epoch e = read(newestKey);
        if (e == null) return false; // removed between list and get: a newer epoch exists, look again later
        if (System.currentTimeMillis() <= e.expiresAtMillis() + skewMillis) return false;
        return take(newest + 1, now);
    }

    /**
     * Whether this server still holds the lease for at least {@code marginMillis} more (check before
     * publishing work). Renews first when due.
     */
    synchronized boolean holds(long marginMillis) throws IOException {
        if (heldEpoch < 0) return false;
        long now = System.nanoTime();
        if (now - heldSinceNanos >= durationNanos / 2 && now - heldSinceNanos < validNanos()) take(heldEpoch + 1, now);
        return heldEpoch >= 0 && now - heldSinceNanos + TimeUnit.MILLISECONDS.toNanos(marginMillis) < validNanos();
    }

    /** Renews if half the lease has passed (called while a long fold or merge runs). */
    synchronized void renewIfDue() throws IOException {
        holds(0);
    }

    /** Gives the lease up at once (a clean shutdown): writes an already expired epoch so another server can take over. */
    synchronized void release() throws IOException {
        if (heldEpoch < 0) return;
        long next = heldEpoch + 1;
        heldEpoch = -1;
        store.putIfAbsent(key(next), encode(0));
    }

    /** The epoch this server holds, or -1. */
    synchronized long heldEpoch() {
        return heldEpoch;
    }

    private long validNanos() {
        return durationNanos - TimeUnit.MILLISECONDS.toNanos(skewMillis);
    }

    private boolean take(long epoch, long nowNanos) throws IOException {
        long expires = System.currentTimeMillis() + durationMillis;
        if (!store.putIfAbsent(key(epoch), encode(expires))) {
            heldEpoch = -1; // someone else created this epoch: they hold the lease now
            return false;
        }
        heldEpoch = epoch;
        heldSinceNanos = nowNanos;
        if (epoch > KEEP_EPOCHS + 1) store.delete(key(epoch - KEEP_EPOCHS - 1)); // epochs are consecutive: one goes per take
        return true;
    }

    private byte[] encode(long expiresAtMillis) {
        BytesWriter w = Frame.begin(FORMAT, 1, 64);
        w.writeString(owner).writeLong(expiresAtMillis);
        return Frame.finish(w);
    }

    private record Epoch(String owner, long expiresAtMillis) {
    }

    private Epoch read(String key) throws IOException {
        try {
            BytesReader r = Frame.open(store.get(key), key, FORMAT, 1, 1).body();
            return new Epoch(r.readString(), r.readLong());
        } catch (ObjectNotFoundException e) {
            return null;
        }
    }
}
