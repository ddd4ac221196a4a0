package io.lodestone.engine;

/**
 * A segment's default ANN search width ({@code ef}), adjusted toward a target recall from the recall
 * measured on sampled queries ({@link RecallSampler}). Measurements are taken in windows of
 * {@link #WINDOW}: a window whose mean is below the target widens the search by half (recall lost is
 * what users notice, so it grows fast); one well above the target (more than half the distance to 1)
 * narrows it by 15% (it shrinks slowly, so the width settles just above the target). Queries that pass
 * {@code ef} explicitly do not use it. Thread-safe.
 */
final class AnnTuning {
    /** The width a segment starts with, before any measurement. */
    static final int INITIAL_EF = 64;
    static final int MIN_EF = 16;
    static final int MAX_EF = 4096;
    /** Measurements per adjustment: few enough to adapt within a few hundred sampled queries. */
    static final int WINDOW = 16;

    private volatile int ef;
    private double windowSum;
    private int windowCount;

    AnnTuning(int initialEf) {
        this.ef = initialEf;
    }

    /** The default search width now. */
    int ef() {
        return ef;
    }

    /** Adds one measured recall (at the current width); adjusts the width at the end of a window. */
    synchronized void record(double recall, double target) {
        windowSum += recall;
        if (++windowCount < WINDOW) return;
        double mean = windowSum / windowCount;
        windowSum = 0;
        windowCount = 0;
        int now = ef;
        if (mean < target) {
            ef = Math.min(MAX_EF, (int) Math.ceil(now * 1.5));
        } else if (mean > target + (1 - target) / 2) {
            ef = Math.max(MIN_EF, (int) (now * 0.85));
        }
    }
}
