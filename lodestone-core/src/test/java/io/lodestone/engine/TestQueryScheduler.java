package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.store.MemoryObjectStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Query threads: admission control, time limits and cooperative cancellation. Callers on virtual threads (as
 * the server's) hand work to the query threads; callers on platform threads run it themselves.
 */
class TestQueryScheduler {

    @Test
    void aQueryPastItsTimeLimitIsCancelledAndFreesItsThread() throws Exception {
        try (QueryScheduler s = new QueryScheduler(new EngineOptions.Queries(1, 4, 60_000))) {
            CountDownLatch stopped = new CountDownLatch(1);
            assertThatThrownBy(() -> onVirtualThread(() -> s.run(cancel -> {
                assertThat(Thread.currentThread().getName()).startsWith("query-");
                try {
                    while (true) cancel.check(); // a loop that would never end on its own
                } finally {
                    stopped.countDown();
                }
            }, 100))).isInstanceOf(QueryTimeoutException.class).hasMessageContaining("100 ms");
            assertThat(stopped.await(30, TimeUnit.SECONDS)).as("the cancelled work stopped").isTrue();
            assertThat(onVirtualThread(() -> s.<Integer>run(cancel -> 42))).as("the only query thread is free again").isEqualTo(42);
        }
    }

    @Test
    void aWaiterStopsSpinningAndParksWhenItsQueryOutlastsTheSpin() throws Exception {
        try (QueryScheduler s = new QueryScheduler(new EngineOptions.Queries(1, 4, 60_000))) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> out = new CompletableFuture<>();
            Thread waiter = Thread.ofVirtual().start(() -> out.complete(s.run(cancel -> {
                await(release);
                return 7;
            })));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < deadline) Thread.sleep(1);
            assertThat(waiter.getState()).as("parked, not spinning, while its query runs on").isEqualTo(Thread.State.WAITING);
            release.countDown();
            assertThat(out.get(30, TimeUnit.SECONDS)).isEqualTo(7);
        }
    }

    @Test
    void spinningIsBoundedAndOnlyOnAFreeCore() {
        SpinBudget budget = new SpinBudget(2, () -> true);
        long start = System.nanoTime();
        assertThat(budget.spinUntil(() -> false, TimeUnit.MILLISECONDS.toNanos(1))).isFalse();
        assertThat(System.nanoTime() - start).as("stops near its bound").isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(budget.used()).isZero();

        budget.taskStarted();
        int[] looks = new int[1];
        assertThat(budget.spinUntil(() -> ++looks[0] > 3, TimeUnit.SECONDS.toNanos(5))).as("one core free").isTrue();
        assertThat(looks[0]).isEqualTo(4);
        budget.taskStarted();
        assertThat(budget.spinUntil(() -> ++looks[0] > 0, TimeUnit.SECONDS.toNanos(5))).as("every core busy: no spin").isFalse();
        assertThat(looks[0]).as("not even one look").isEqualTo(4);
        budget.taskFinished();
        budget.taskFinished();
        assertThat(budget.used()).isZero();

        SpinBudget shared = new SpinBudget(2, () -> false); // other processes keep the cores busy
        assertThat(shared.spinUntil(() -> ++looks[0] > 0, TimeUnit.SECONDS.toNanos(5))).isFalse();
        assertThat(looks[0]).as("no spinning on a busy machine").isEqualTo(4);
        assertThat(new OtherCpuLoad(2).quiet()).as("answers (either way) without failing").isIn(true, false);
    }

    @Test
    void aFailingQueryThrowsItsOwnExceptionToItsWaiter() {
        try (QueryScheduler s = new QueryScheduler(new EngineOptions.Queries(1, 4, 60_000))) {
            assertThatThrownBy(() -> onVirtualThread(() -> s.run(cancel -> {
                throw new io.lodestone.doc.InvalidInputException("bad vector");
            }))).isInstanceOf(io.lodestone.doc.InvalidInputException.class).hasMessage("bad vector");
        }
    }

    @Test
    void aFullQueueRefusesAtOnceInsteadOfQueueingWithoutBound() throws Exception {
        try (QueryScheduler s = new QueryScheduler(new EngineOptions.Queries(1, 1, 60_000))) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> busy = occupyAThread(s, release);
            CompletableFuture<Integer> queued = CompletableFuture.supplyAsync(() -> s.run(cancel -> 2), r -> Thread.ofVirtual().start(r));
            while (s.queued() < 1) Thread.sleep(1);
            assertThatThrownBy(() -> onVirtualThread(() -> s.run(cancel -> 3))).isInstanceOf(OverloadedException.class)
                    .hasMessageContaining("retry");
            assertThat(s.<Integer>run(cancel -> 4)).as("a platform thread runs its own query, never queued").isEqualTo(4);
            release.countDown();
            assertThat(busy.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(queued.get(30, TimeUnit.SECONDS)).isEqualTo(2);
        }
    }

    @Test
    void aPlatformThreadRunsItsOwnQueryAndIsCancelledAlike() {
        try (QueryScheduler s = new QueryScheduler(new EngineOptions.Queries(1, 1, 60_000))) {
            Thread caller = Thread.currentThread();
            assertThatThrownBy(() -> s.run(cancel -> {
                assertThat(Thread.currentThread()).isSameAs(caller);
                while (true) cancel.check();
            }, 100)).isInstanceOf(QueryTimeoutException.class);
        }
    }

    @Test
    void aLongQueryThroughTheEngineTimesOutAndWritesGoOn() {
        EngineOptions o = EngineOptions.defaults().withIndexing(new EngineOptions.Indexing(false, 1 << 20, 1000, 1L << 40, 8,
                60_000, io.lodestone.doc.IndexConfig.defaults())).withQueries(new EngineOptions.Queries(1, 4, 1));
        try (Lodestone db = Lodestone.open(new MemoryObjectStore(), o)) {
            Namespace ns = db.namespace("slow");
            Random r = new Random(3);
            for (int b = 0; b < 20; b++) {
                WriteRequest.Builder w = WriteRequest.builder();
                for (int i = 0; i < 10_000; i++) {
                    Map<String, Object> attrs = new HashMap<>();
                    attrs.put("n", (long) r.nextInt(1000));
                    w.upsert(DocId.of(b * 10_000L + i), null, attrs);
                }
                ns.write(w.build());
            }
            // Ordering 200,000 rows by an attribute takes far longer than the 1 ms limit.
            Query byN = new Query(new Query.RankBy.Attribute("n", true), null, 10, Query.AttributeSelection.NONE,
                    Map.of(), java.util.List.of(), false, null);
            assertThatThrownBy(() -> onVirtualThread(() -> ns.query(byN))).isInstanceOf(QueryTimeoutException.class);
            assertThat(db.stats().queriesTimedOut()).isEqualTo(1);
            ns.write(WriteRequest.builder().upsert(DocId.of(-1), null, Map.of("n", 5L)).build());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aQueuedQueryTimesOutAtItsDeadlineAndNeverRuns() throws Exception {
        try (QueryScheduler s = new QueryScheduler(new EngineOptions.Queries(1, 4, 60_000))) {
            CountDownLatch release = new CountDownLatch(1);
            // its query never checks its cancellation: only the deadline watch can wake the next waiter
            CompletableFuture<Integer> busy = occupyAThread(s, release);
            java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
            assertThatThrownBy(() -> onVirtualThread(() -> s.run(cancel -> ran.getAndSet(true), 100)))
                    .isInstanceOf(QueryTimeoutException.class).hasMessageContaining("100 ms");
            release.countDown();
            assertThat(busy.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(onVirtualThread(() -> s.<Integer>run(cancel -> 3))).isEqualTo(3);
            assertThat(ran).as("the abandoned query was skipped").isFalse();
        }
    }

    @Test
    void queriesSubmittedTogetherRunOnSeveralThreadsAtOnce() throws Exception {
        // Two queries that each wait for the other: they finish only if a second thread is woken while the first spins.
        for (long spin : new long[]{0, QueryScheduler.WORKER_SPIN_NANOS}) {
            try (QueryScheduler s = new QueryScheduler(new EngineOptions.Queries(2, 4, 60_000), spin, spin)) {
                java.util.concurrent.CyclicBarrier both = new java.util.concurrent.CyclicBarrier(2);
                List<CompletableFuture<Integer>> out = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    int id = i;
                    out.add(CompletableFuture.supplyAsync(() -> s.run(cancel -> {
                        try {
                            both.await(30, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return id;
                    }), r -> Thread.ofVirtual().start(r)));
                }
                for (int i = 0; i < 2; i++) assertThat(out.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i);
            }
        }
    }

    @Test
    void manyCallersGetEveryAnswerWhateverTheSpinning() throws Exception {
        Random random = new Random(new Random().nextLong());
        long[] spins = {0, 1_000, QueryScheduler.WORKER_SPIN_NANOS};
        for (int round = 0; round < 4; round++) {
            long waiterSpin = spins[random.nextInt(spins.length)], workerSpin = spins[random.nextInt(spins.length)];
            int threads = 1 + random.nextInt(3), callers = 1 + random.nextInt(8), each = 500;
            try (QueryScheduler s = new QueryScheduler(new EngineOptions.Queries(threads, 64, 60_000), waiterSpin, workerSpin)) {
                List<CompletableFuture<Long>> sums = new ArrayList<>();
                for (int c = 0; c < callers; c++) {
                    long base = c * 1_000_000L;
                    sums.add(CompletableFuture.supplyAsync(() -> {
                        long sum = 0;
                        for (int i = 0; i < each; i++) {
                            long v = base + i;
                            sum += s.<Long>run(cancel -> v * 2);
                        }
                        return sum;
                    }, r -> Thread.ofVirtual().start(r)));
                }
                for (int c = 0; c < callers; c++) {
                    long expected = 2 * ((long) c * 1_000_000L * each + (long) each * (each - 1) / 2);
                    assertThat(sums.get(c).get(60, TimeUnit.SECONDS)).as("threads %d, spins %d/%d", threads, waiterSpin, workerSpin)
                            .isEqualTo(expected);
                }
                assertThat(s.handOffCounts().handOffs()).isEqualTo((long) callers * each);
                assertThat(s.queued()).isZero();
            }
        }
    }

    @Test
    void closingFailsQueuedQueriesAtOnce() throws Exception {
        QueryScheduler s = new QueryScheduler(new EngineOptions.Queries(1, 4, 60_000));
        CountDownLatch release = new CountDownLatch(1);
        occupyAThread(s, release);
        CompletableFuture<Integer> queued = CompletableFuture.supplyAsync(() -> s.run(cancel -> 2), r -> Thread.ofVirtual().start(r));
        while (s.queued() < 1) Thread.sleep(1);
        s.close();
        assertThatThrownBy(() -> queued.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> onVirtualThread(() -> s.run(cancel -> 3))).isInstanceOf(IllegalStateException.class);
        release.countDown();
    }

    /** Starts, from a virtual thread, a query that returns 1 once {@code release} opens; returns once it runs. */
    private static CompletableFuture<Integer> occupyAThread(QueryScheduler s, CountDownLatch release) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Integer> busy = CompletableFuture.supplyAsync(() -> s.run(cancel -> {
            running.countDown();
            await(release);
            return 1;
        }), r -> Thread.ofVirtual().start(r));
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        return busy;
    }

    /** Runs {@code work} on a virtual thread, as a server request would, and returns or rethrows its outcome. */
    private static <T> T onVirtualThread(java.util.concurrent.Callable<T> work) throws Exception {
        CompletableFuture<T> out = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                out.complete(work.call());
            } catch (Throwable t) {
                out.completeExceptionally(t);
            }
        }).join();
        try {
            return out.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception ex) throw ex;
            throw e;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
