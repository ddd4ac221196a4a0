package io.lodestone.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Scratch objects are reused across calls (and threads), and the pool never holds more than its capacity. */
class TestScratchPool {

    @Test
    void aReleasedObjectIsBorrowedAgainInsteadOfANewOne() {
        AtomicInteger made = new AtomicInteger();
        ScratchPool<int[]> pool = new ScratchPool<>(2, () -> new int[made.incrementAndGet()]);
        int[] a = pool.borrow();
        pool.release(a);
        assertThat(pool.borrow()).isSameAs(a);
        assertThat(made).hasValue(1);
    }

    @Test
    void objectsBeyondTheCapacityAreDropped() {
        ScratchPool<Object> pool = new ScratchPool<>(3, Object::new);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) out.add(pool.borrow());
        out.forEach(pool::release);
        assertThat(pool.idle()).isEqualTo(3);
    }

    @Test
    void virtualThreadsShareThePooledObjects() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ScratchPool<Object> pool = new ScratchPool<>(4, () -> {
            made.incrementAndGet();
            return new Object();
        });
        for (int i = 0; i < 100; i++) { // one request after another, each on a new virtual thread
            Thread.ofVirtual().start(() -> pool.release(pool.borrow())).join();
        }
        assertThat(made).hasValue(1);
    }
}
