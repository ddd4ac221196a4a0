package io.lodestone.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Concurrent freshness checks share a refresh, and each caller still waits for one that started after it arrived. */
class TestSharedRefresh {

    @Test
    void aLoneCallerRunsItsOwnRefreshEveryTime() throws Exception {
        SharedRefresh shared = new SharedRefresh(null);
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 5; i++) shared.await(runs::incrementAndGet);
        assertThat(runs).hasValue(5);
    }

    @Test
    void withAChangeCounterARefreshRunsOnlyAfterTheStoreChanged() throws Exception {
        AtomicLong count = new AtomicLong(7);
        SharedRefresh shared = new SharedRefresh(count::get);
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 5; i++) shared.await(runs::incrementAndGet);
        assertThat(runs).as("the store did not change after the first refresh").hasValue(1);
        count.incrementAndGet();
        shared.await(runs::incrementAndGet);
        shared.await(runs::incrementAndGet);
        assertThat(runs).as("one more refresh after a change").hasValue(2);
    }

    @Test
    void aChangeDuringARefreshIsLookedForAgain() throws Exception {
        AtomicLong count = new AtomicLong();
        SharedRefresh shared = new SharedRefresh(count::get);
        AtomicInteger runs = new AtomicInteger();
        // the change lands after the refresh read the count, maybe after it looked: the next caller must look again
        shared.await(() -> {
            runs.incrementAndGet();
            count.incrementAndGet();
        });
        shared.await(runs::incrementAndGet);
        assertThat(runs).hasValue(2);
    }

    @Test
    void aFailedRefreshIsNotTakenAsLooked() throws Exception {
        SharedRefresh shared = new SharedRefresh(() -> 3);
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> shared.await(() -> {
            runs.incrementAndGet();
            throw new IOException("store unavailable");
        })).hasMessage("store unavailable");
        shared.await(runs::incrementAndGet);
        shared.await(runs::incrementAndGet);
        assertThat(runs).hasValue(2);
    }

    @Test
    void callersArrivingDuringARefreshShareTheNextOne() throws Exception {
        SharedRefresh shared = new SharedRefresh(null);
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger arrived = new AtomicInteger();
        List<Integer> arrivedAtStart = new ArrayList<>();
        CountDownLatch firstStarted = new CountDownLatch(1), releaseFirst = new CountDownLatch(1);
        SharedRefresh.Refresh refresh = () -> {
            synchronized (arrivedAtStart) {
                arrivedAtStart.add(arrived.get());
            }
            if (runs.incrementAndGet() == 1) {
                firstStarted.countDown();
                await(releaseFirst);
            }
        };
        Thread first = Thread.ofPlatform().start(() -> call(shared, arrived, refresh));
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        List<Thread> late = new ArrayList<>();
        for (int i = 0; i < 3; i++) late.add(Thread.ofPlatform().start(() -> call(shared, arrived, refresh)));
        for (Thread t : late) waitUntilParked(t);
        releaseFirst.countDown();
        first.join(10_000);
        for (Thread t : late) t.join(10_000);

        assertThat(runs).as("one refresh for the first caller, one shared by the three late ones").hasValue(2);
        assertThat(arrivedAtStart.get(1)).as("the shared refresh started after all four had arrived").isEqualTo(4);
    }

    @Test
    void whenARefreshFailsAWaiterRunsTheNextOne() throws Exception {
        SharedRefresh shared = new SharedRefresh(null);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch firstStarted = new CountDownLatch(1), releaseFirst = new CountDownLatch(1);
        SharedRefresh.Refresh refresh = () -> {
            if (runs.incrementAndGet() == 1) {
                firstStarted.countDown();
                await(releaseFirst);
                throw new IOException("store unavailable");
            }
        };
        Thread first = Thread.ofPlatform().start(() ->
                assertThatThrownBy(() -> shared.await(refresh)).hasMessage("store unavailable"));
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        Thread waiter = Thread.ofPlatform().start(() -> call(shared, new AtomicInteger(), refresh));
        waitUntilParked(waiter);
        releaseFirst.countDown();
        first.join(10_000);
        waiter.join(10_000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(runs).hasValue(2);
    }

    private static void call(SharedRefresh shared, AtomicInteger arrived, SharedRefresh.Refresh refresh) {
        try {
            arrived.incrementAndGet();
            shared.await(refresh);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Liveness poll: the thread is blocked waiting for the refresh in flight. */
    private static void waitUntilParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) Thread.sleep(1);
        assertThat(t.getState()).isEqualTo(Thread.State.WAITING);
    }
}
