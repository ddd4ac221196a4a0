package io.lodestone.bench;

import io.lodestone.index.hnsw.HnswGraphSearcher;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs whole passes over the queries against an {@link AnnBench.Searchable} at one {@code ef}, one
 * query per call, and reports queries per second; keeps the ids of the last pass for recall.
 */
final class QueryRunner {

    private static final int K = 10;

    private final AnnBench.Searchable index;
    private final float[][] queries;
    private final int ef;
    private final HnswGraphSearcher searcher = new HnswGraphSearcher();
    private final int[] ids;
    private final int[] row = new int[K];
    private final float[] distances = new float[K];

    QueryRunner(AnnBench.Searchable index, float[][] queries, int ef) {
        this.index = index;
        this.queries = queries;
        this.ef = ef;
        this.ids = new int[queries.length * K];
    }

    /** One pass over queries {@code [from, to)}. */
    void pass(int from, int to) {
        for (int q = from; q < to; q++) {
            index.search(searcher, queries[q], ef, row, distances);
            System.arraycopy(row, 0, ids, q * K, K);
        }
    }

    /**
     * Whole passes for at least {@code seconds} (at least one); returns queries per second of wall
     * time, or of this thread's CPU time if {@code cpuClock} (a diagnostic for loaded machines).
     */
    double runFor(double seconds, boolean cpuClock) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = cpuClock ? mx.getCurrentThreadCpuTime() : 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long done = 0;
        long now;
        do {
            pass(0, queries.length);
            done += queries.length;
            now = System.nanoTime();
        } while (now < deadline);
        long elapsed = cpuClock ? mx.getCurrentThreadCpuTime() - cpuStart : now - start;
        return done / (elapsed / 1e9);
    }

    int[] lastIds() {
        return ids;
    }

    /**
     * Queries per second with {@code threads} threads each making whole passes over its share of the
     * queries for at least {@code seconds}: the median of {@code runs} runs (after one untimed run).
     */
    static double parallelQps(AnnBench.Searchable index, float[][] queries, int ef, int threads, int runs,
                              double seconds) throws Exception {
        double[] qps = new double[runs];
        for (int r = -1; r < runs; r++) {
            AtomicLong done = new AtomicLong();
            CyclicBarrier barrier = new CyclicBarrier(threads);
            Thread[] workers = new Thread[threads];
            long[] elapsed = new long[threads];
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers[t] = Thread.ofPlatform().start(() -> {
                    QueryRunner runner = new QueryRunner(index, queries, ef);
                    int from = (int) ((long) queries.length * id / threads);
                    int to = (int) ((long) queries.length * (id + 1) / threads);
                    try {
                        barrier.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    long start = System.nanoTime();
                    long deadline = start + (long) (seconds * 1e9);
                    long n = 0;
                    do {
                        runner.pass(from, to);
                        n += to - from;
                    } while (System.nanoTime() < deadline);
                    elapsed[id] = System.nanoTime() - start;
                    done.addAndGet(n);
                });
            }
            long maxElapsed = 0;
            for (int t = 0; t < threads; t++) {
                workers[t].join();
                maxElapsed = Math.max(maxElapsed, elapsed[t]);
            }
            if (r >= 0) {
                qps[r] = done.get() / (maxElapsed / 1e9);
            }
        }
        return AnnBench.median(qps);
    }
}
