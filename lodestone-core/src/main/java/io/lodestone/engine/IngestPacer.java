package io.lodestone.engine;

import io.lodestone.index.hnsw.BuildPacer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Paces a background graph build so that ingestion keeps the cores: while write requests are in flight
 * ({@link WriteTraffic}), each build thread, after running for {@link #RUN_SLICE_NANOS}, parks between insertions
 * for {@code 1 / MIN_SHARE - 1} times as long as it has just run (so the build keeps {@link #MIN_SHARE} of its time
 * and always finishes), and resumes as soon as the writes pause. It stops stepping aside while the namespace's
 * unindexed tail is large ({@code tailLarge}), so that the write backpressure on the tail's size is not reached
 * merely because the indexer was polite.
 */
final class IngestPacer implements BuildPacer {
    /** The least share of its time a build thread keeps while writes flow. */
    static final double MIN_SHARE = 0.25;
    /** How long a build thread runs between pauses: short, so that a write waits little for a core. */
    static final long RUN_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** The longest single pause (after a thread ran long without being asked to pause). */
    static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final BooleanSupplier tailLarge;
    /** Per build thread: when it last resumed work. */
    private final ThreadLocal<long[]> resumedAt = ThreadLocal.withInitial(() -> new long[]{System.nanoTime()});

    IngestPacer(BooleanSupplier tailLarge) {
        this.tailLarge = tailLarge;
    }

    @Override
    public void pause() {
        if (!WriteTraffic.flowing()) return;
        long[] resumed = resumedAt.get();
        long now = System.nanoTime();
        if (now - resumed[0] < RUN_SLICE_NANOS || tailLarge.getAsBoolean()) return;
        long end = now + Math.min(MAX_PAUSE_NANOS, (long) ((now - resumed[0]) * (1 / MIN_SHARE - 1)));
        for (long left = end - now; left > 0 && WriteTraffic.flowing(); left = end - System.nanoTime()) {
            LockSupport.parkNanos(this, Math.min(left, POLL_NANOS));
        }
        resumed[0] = System.nanoTime();
    }
}
