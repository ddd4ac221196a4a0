package io.lodestone.engine;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link Lodestone} database, for metrics. Monotonic; read them with the getters.
 * Thread-safe and cheap to increment on hot paths.
 */
public final class EngineStats {
    final LongAdder writes = new LongAdder();
    final LongAdder rowsWritten = new LongAdder();
    final LongAdder writeBytes = new LongAdder();
    final LongAdder queries = new LongAdder();
    final LongAdder rowsIndexed = new LongAdder();
    final LongAdder bytesIndexed = new LongAdder();
    final LongAdder segmentsBuilt = new LongAdder();
    final LongAdder queriesRefused = new LongAdder();
    final LongAdder queriesTimedOut = new LongAdder();
    private final LongAdder recallSamples = new LongAdder();
    private final DoubleAdder recallSum = new DoubleAdder();
    private final double[] recentRecall = new double[RecallSampler.RECENT];
    private long recentCount;

    /** Adds the measured recall of one sampled ANN query. */
    void recordRecall(double recall) {
        recallSamples.increment();
        recallSum.add(recall);
        synchronized (recentRecall) {
            recentRecall[(int) (recentCount++ % recentRecall.length)] = recall;
        }
    }

    /** ANN queries whose recall was measured in the background. */
    public long recallSamples() {
        return recallSamples.sum();
    }

    /** Sum of the measured recalls (with {@link #recallSamples()}, the mean over any interval). */
    public double recallSum() {
        return recallSum.sum();
    }

    /** Mean recall of the latest (up to 100) measured ANN queries over all namespaces; NaN before the first. */
    public double recentRecall() {
        synchronized (recentRecall) {
            int n = (int) Math.min(recentCount, recentRecall.length);
            if (n == 0) return Double.NaN;
            double sum = 0;
            for (int i = 0; i < n; i++) sum += recentRecall[i];
            return sum / n;
        }
    }

    /** Acknowledged write requests. */
    public long writes() {
        return writes.sum();
    }

    /** Rows (upserts, patches, deletes) in acknowledged writes. */
    public long rowsWritten() {
        return rowsWritten.sum();
    }

    /** Bytes of log objects committed. */
    public long writeBytes() {
        return writeBytes.sum();
    }

    /** Queries run. */
    public long queries() {
        return queries.sum();
    }

    /** Rows written into new segments by the indexer (folds and merges). */
    public long rowsIndexed() {
        return rowsIndexed.sum();
    }

    /** Bytes of segment files written by the indexer. */
    public long bytesIndexed() {
        return bytesIndexed.sum();
    }

    /** Segments built (folds and merges). */
    public long segmentsBuilt() {
        return segmentsBuilt.sum();
    }

    /** Queries refused because the query threads were busy and the admission queue full (429). */
    public long queriesRefused() {
        return queriesRefused.sum();
    }

    /** Queries cancelled at their time limit (408). */
    public long queriesTimedOut() {
        return queriesTimedOut.sum();
    }
}
