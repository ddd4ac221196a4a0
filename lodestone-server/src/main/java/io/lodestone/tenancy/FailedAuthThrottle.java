package io.lodestone.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slows down clients that keep presenting bad keys: after {@value #FREE_FAILURES} failures from one address within
 * a minute of each other, each further 401 is answered only after a delay that doubles per failure, from 100 ms up
 * to {@value #MAX_DELAY_MILLIS} ms. The delay holds only the request's own (virtual) thread. A request that
 * authenticates clears its address's count, so clients behind one proxy that mostly hold good keys are not slowed
 * by one misconfigured neighbour for long.
 */
final class FailedAuthThrottle {
    static final int FREE_FAILURES = 5;
    static final long MAX_DELAY_MILLIS = 5_000;

    private final Cache<String, AtomicInteger> failures = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(100_000).build();

    /** Clears the failures of {@code client} (it presented a good key). */
    void succeeded(String client) {
        if (failures.estimatedSize() > 0) failures.invalidate(client);
    }

    /** Counts a failure of {@code client} and returns how long to wait before answering it. */
    long failed(String client) {
        AtomicInteger n = failures.asMap().compute(client, (k, v) -> {
            AtomicInteger c = v == null ? new AtomicInteger() : v;
            c.incrementAndGet();
            return c; // compute re-writes the entry, so the minute counts from the latest failure
        });
        int over = n.get() - FREE_FAILURES;
        if (over <= 0) return 0;
        return Math.min(MAX_DELAY_MILLIS, 100L << Math.min(over - 1, 16));
    }
}
