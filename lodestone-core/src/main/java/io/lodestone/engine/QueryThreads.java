package io.lodestone.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of platform threads that run handed-off queries, behind a bounded admission count. Lighter than a
 * {@link java.util.concurrent.ThreadPoolExecutor} over a blocking queue for one reason: an idle thread spins on
 * the queue for a while ({@link SpinBudget}) and a submitter wakes a parked thread only when no thread is
 * spinning, so at low load a query starts without any thread wake-up, and a submit never signals a thread that
 * will find nothing to do.
 *
 * <p>How a thread and a submitter meet without a lost wake-up:
 * <ol>
 *   <li>The submitter adds the task to the queue, then reads how many threads spin; if none, it unparks one
 *       parked thread (clearing that thread's {@code parked} flag first, so two submitters never count the same
 *       thread).</li>
 *   <li>A thread that stops spinning first stops counting as spinning, then raises its {@code parked} flag, then
 *       looks at the queue once more before it parks. A submitter that saw it spinning added its task before
 *       that last look, so the task is found.</li>
 *   <li>A thread that takes a task and still sees tasks queued wakes another, so a burst that arrived while one
 *       thread spun does not wait behind that thread's task.</li>
 * </ol>
 */
final class QueryThreads implements QueryDeadlines.InFlight, AutoCloseable {
    private final Worker[] workers;
    private final ConcurrentLinkedQueue<HandOff<?>> queue = new ConcurrentLinkedQueue<>();
    /** Tasks queued or running; at most {@link #capacity}. */
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger spinning = new AtomicInteger();
    private final int capacity;
    private final SpinBudget spin;
    private final long spinNanos;
    private final QueryDeadlines deadlines = new QueryDeadlines(this);
    private volatile boolean closed;

    /**
     * Starts {@code threads} threads; {@code queueDepth} tasks may wait for one beyond those running. Idle
     * threads spin for up to {@code spinNanos} (0: park at once) where {@code spin} allows.
     */
    QueryThreads(int threads, int queueDepth, SpinBudget spin, long spinNanos) {
        this.capacity = threads + queueDepth;
        this.spin = spin;
        this.spinNanos = spinNanos;
        this.workers = new Worker[threads];
        for (int i = 0; i < threads; i++) workers[i] = new Worker();
        for (int i = 0; i < threads; i++) {
            workers[i].thread = Thread.ofPlatform().name("query-" + (i + 1)).daemon().start(workers[i]);
        }
        deadlines.start();
    }

    /**
     * Queues {@code task}; returns how many tasks were queued or running before it (fewer than the threads: it
     * starts at once), or -1 when the queue is full (nothing was queued).
     *
     * @throws IllegalStateException once closed
     */
    int submit(HandOff<?> task) {
        int ahead;
        do {
            ahead = admitted.get();
            if (ahead >= capacity) return -1;
        } while (!admitted.compareAndSet(ahead, ahead + 1));
        if (closed) {
            admitted.decrementAndGet();
            throw new IllegalStateException("the database is closed");
        }
        queue.offer(task);
        if (spinning.get() == 0) wakeOne();
        deadlines.taskAdmitted();
        if (closed) failQueued(); // close() may have drained the queue before this task arrived
        return ahead;
    }

    /** How many threads run tasks. */
    int threads() {
        return workers.length;
    }

    @Override
    public void forEachTask(java.util.function.Consumer<HandOff<?>> action) {
        queue.forEach(action);
        for (Worker w : workers) {
            HandOff<?> t = w.current;
            if (t != null) action.accept(t);
        }
    }

    @Override
    public int count() {
        return admitted.get();
    }

    /** Tasks waiting for a thread now. */
    int queued() {
        return Math.max(0, admitted.get() - running.get());
    }

    /** Tasks running now. */
    int running() {
        return running.get();
    }

    /** Stops the threads: queued tasks fail at once, running ones are interrupted and left to finish. */
    @Override
    public void close() {
        closed = true;
        deadlines.close();
        for (Worker w : workers) {
            w.parked.set(false);
            w.thread.interrupt();
            LockSupport.unpark(w.thread);
        }
        failQueued();
    }

    private void failQueued() {
        for (HandOff<?> t; (t = queue.poll()) != null; ) {
            t.refuse(new IllegalStateException("the database is closed"));
            admitted.decrementAndGet();
        }
    }

    private void wakeOne() {
        for (Worker w : workers) {
            if (w.parked.get() && w.parked.compareAndSet(true, false)) {
                LockSupport.unpark(w.thread);
                return;
            }
        }
    }

    /** One query thread: takes tasks, spins briefly when there are none, then parks. */
    private final class Worker implements Runnable {
        final AtomicBoolean parked = new AtomicBoolean();
        Thread thread;
        /** The task running now, for {@link QueryDeadlines}. */
        volatile HandOff<?> current;
        private HandOff<?> found; // the spin's catch
        private final Runnable release = () -> {
            current = null;
            running.decrementAndGet();
            admitted.decrementAndGet();
        };

        @Override
        public void run() {
            while (!closed) {
                HandOff<?> task = next();
                if (task == null) continue;
                if (!queue.isEmpty() && spinning.get() == 0) wakeOne();
                running.incrementAndGet();
                current = task;
                task.run(release);
            }
        }

        /** The next task, or null when woken without one (closing, or a task another thread took). */
        private HandOff<?> next() {
            HandOff<?> task = queue.poll();
            if (task != null) return task;
            if (spinNanos > 0) {
                spinning.incrementAndGet();
                try {
                    if (spin.spinUntil(this::poll, spinNanos)) {
                        task = found;
                        found = null;
                        return task;
                    }
                } finally {
                    spinning.decrementAndGet();
                }
            }
            parked.set(true);
            task = queue.poll();
            if (task != null) {
                // a submitter that cleared the flag meanwhile meant to wake this thread, and did: fine, the
                // permit it left only makes the next park return early
                parked.set(false);
                return task;
            }
            while (parked.get() && !closed) {
                Thread.interrupted(); // a task's leftover interrupt would make park return at once, forever
                LockSupport.park(this);
            }
            return null;
        }

        private boolean poll() {
            return (found = queue.poll()) != null;
        }
    }
}
