package io.lodestone.engine;

import java.lang.management.ManagementFactory;

/**
 * Whether other processes leave this machine's cores idle, looked at no more than twice a second: the
 * share of all cores busy minus this process's share (the operating system's recent figures). Spinning to
 * save a thread wake-up pays only on a core nobody else wants; on a machine shared with other busy
 * processes a spinning thread takes the time slice the thread it waits for needs (measured: a 150 µs hand-off
 * then took 490 µs spinning against 190 µs parking).
 */
final class OtherCpuLoad {
    /** At most this many cores' worth of other processes' work still counts as quiet. */
    private static final double QUIET_CORES = 0.5;
    private static final long REFRESH_NANOS = 500_000_000L;

    private final com.sun.management.OperatingSystemMXBean os;
    private final int cores;
    private volatile boolean quiet;
    private volatile long lookedAt = System.nanoTime() - 2 * REFRESH_NANOS;

    OtherCpuLoad(int cores) {
        this.cores = cores;
        this.os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean o ? o : null;
    }

    /** Whether other processes used less than half a core lately (false where the figures are unavailable). */
    boolean quiet() {
        long now = System.nanoTime();
        long last = lookedAt;
        if (now - last >= REFRESH_NANOS && os != null) {
            lookedAt = now; // one refresher per period (a racing second one only repeats the same reads)
            double all = os.getCpuLoad(), own = os.getProcessCpuLoad();
            quiet = all >= 0 && own >= 0 && (all - own) * cores < QUIET_CORES;
        }
        return quiet;
    }
}
