package io.lodestone.engine;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether write requests are in flight anywhere in this process: received, parsed, applied or waiting for their
 * commit. Background graph builds step aside while they are ({@link IngestPacer}), so that ingestion keeps the
 * cores. One count for the whole process, as {@link Indexer}'s round threads are one pool for the whole process:
 * the cores a write needs are the same whichever database or namespace it goes to.
 */
public final class WriteTraffic {
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    private static final Scope END = WriteTraffic::end;

    private WriteTraffic() {
    }

    /** A write request in flight until closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Counts a write request in flight until the returned scope is closed (once). */
    public static Scope begin() {
        IN_FLIGHT.incrementAndGet();
        return END;
    }

    /** Whether some write request is in flight now. */
    static boolean flowing() {
        return IN_FLIGHT.get() > 0;
    }

    private static void end() {
        IN_FLIGHT.decrementAndGet();
    }
}
