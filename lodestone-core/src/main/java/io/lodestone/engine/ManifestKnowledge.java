package io.lodestone.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How recently a namespace handle knew its manifest to be the newest published, and what that knowledge still
 * allows (see {@link Namespace#catchUpLocked} and docs/ARCHITECTURE.md, "Stale servers"): within half the GC
 * grace period, probing the next log entry and the next manifest is sound; older knowledge must be renewed by
 * listing the manifests. Thread-safe; times are {@link System#nanoTime} values taken before each check.
 */
final class ManifestKnowledge {
    /** Half the GC grace period: how long a check may be relied on. */
    private final long trustNanos;
    /** At most this long between probes for the next manifest: 1 s, or the trust window if shorter. */
    private final long probeNanos;
    private final AtomicLong knownAt = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 4);

    ManifestKnowledge(long gcGraceMillis) {
        this.trustNanos = TimeUnit.MILLISECONDS.toNanos(gcGraceMillis / 2);
        this.probeNanos = Math.min(TimeUnit.SECONDS.toNanos(1), trustNanos);
    }

    /** Whether, at {@code now}, the last check is too old to rule out that entries after the state were collected. */
    boolean stale(long now) {
        return now - knownAt.get() >= trustNanos;
    }

    /** Whether the next manifest should be probed at {@code now} (at most every {@link #probeNanos}). */
    boolean probeDue(long now) {
        return now - knownAt.get() >= probeNanos;
    }

    /** Records that the state's manifest was the newest published at {@code nanos} (only moves forward). */
    void known(long nanos) {
        knownAt.accumulateAndGet(nanos, Math::max);
    }
}
