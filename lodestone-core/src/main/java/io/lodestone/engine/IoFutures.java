package io.lodestone.engine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for a read that runs on another thread, with the errors the read itself would have thrown. */
final class IoFutures {
    private IoFutures() {
    }

    /**
     * The read's result. Its I/O and runtime failures are rethrown as they were; an interrupt cancels the read, keeps
     * the thread's interrupt status and throws {@link InterruptedIOException} naming {@code what} was read.
     */
    static <T> T await(Future<T> read, String what) throws IOException {
        try {
            return read.get();
        } catch (InterruptedException e) {
            read.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IOException(e.getCause());
        }
    }
}
