package io.lodestone.engine;

import io.lodestone.segment.Segment;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Segments a newer manifest no longer names, kept mapped until no query on an earlier snapshot can still
 * read them: queries are cancelled at the query time limit, so twice that plus a second is enough. Closing
 * releases their mappings and cache pins (their cache entries are already gone). Thread-safe.
 */
final class RetiredSegments {
    private final long delayMillis;
    private final Set<Segment> pending = new HashSet<>();

    RetiredSegments(long queryTimeoutMillis) {
        this.delayMillis = 2 * queryTimeoutMillis + 1000;
    }

    /** Closes the segments after the delay (or at {@link #closeAll}, whichever comes first). */
    void closeLater(List<Segment> segments) {
        if (segments.isEmpty()) return;
        synchronized (pending) {
            pending.addAll(segments);
        }
        CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS).execute(() -> {
            for (Segment seg : segments) {
                boolean mine;
                synchronized (pending) {
                    mine = pending.remove(seg); // else closeAll closed it already
                }
                if (mine) seg.close();
            }
        });
    }

    /** Closes every pending segment now (the namespace closes or is deleted). */
    void closeAll() {
        synchronized (pending) {
            pending.forEach(Segment::close);
            pending.clear();
        }
    }
}
