package io.lodestone.tenancy;

/** A per-second rate limit with a one-second burst; the rate is passed on each call so quota changes apply at once. */
final class TokenBucket {
    private double tokens = -1;
    private long lastNanos;

    /** Takes one token at {@code perSecond}; returns 0 when taken, else the whole seconds to wait (>= 1). */
    synchronized int take(long perSecond) {
        long now = System.nanoTime();
        if (tokens < 0) {
            tokens = perSecond;
        } else {
            tokens = Math.min(perSecond, tokens + (now - lastNanos) / 1e9 * perSecond);
        }
        lastNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (int) Math.max(1, Math.ceil((1 - tokens) / perSecond));
    }
}
