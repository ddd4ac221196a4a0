package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.doc.IndexConfig;
import io.lodestone.store.MemoryObjectStore;
import io.lodestone.testing.ForwardingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What a warm, strongly consistent query asks a remote store before answering. */
class TestFreshnessRoundTrips {

    /**
     * A remote store (memory with {@code local() = false}) whose existence checks wait, up to 5 s, until two are in
     * flight at once: if the freshness probes run one after the other, the first one times out and is counted.
     */
    static final class RemoteStore extends ForwardingStore {
        final AtomicInteger exists = new AtomicInteger();
        final AtomicInteger alone = new AtomicInteger();
        /** Set when the test starts watching. */
        volatile CountDownLatch pair;

        RemoteStore() {
            super(new MemoryObjectStore());
        }

        @Override
        public boolean local() {
            return false;
        }

        @Override
        public boolean exists(String key) throws IOException {
            CountDownLatch p = pair;
            if (p == null) return super.exists(key);
            exists.incrementAndGet();
            p.countDown();
            try {
                if (!p.await(5, TimeUnit.SECONDS)) alone.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.exists(key);
        }
    }

    @Test
    void theLogAndManifestProbesOfAWarmQueryGoOutTogether(@TempDir Path dir) throws Exception {
        RemoteStore store = new RemoteStore();
        EngineOptions.Indexing ix = new EngineOptions.Indexing(false, Long.MAX_VALUE, 3_600_000, 2L << 30, 8, 60_000,
                IndexConfig.defaults());
        try (Lodestone db = Lodestone.open(store, new EngineOptions("t/", 0, 1 << 20, 64, ix, dir))) {
            Namespace ns = db.namespace("probe");
            ns.write(WriteRequest.builder().upsert(DocId.of(1), new float[] {1, 0}, Map.of()).build());
            Thread.sleep(1_100); // the manifest check is due (at most once a second)
            store.pair = new CountDownLatch(2);
            QueryResult r = ns.query(new Query(new Query.RankBy.Vector(new float[] {1, 0}, false), null, 1,
                    Query.AttributeSelection.NONE, Map.of(), List.of(), false));
            assertThat(r.rows()).hasSize(1);
            assertThat(store.exists.get()).as("one check of the next log entry, one of the next manifest").isEqualTo(2);
            assertThat(store.alone.get()).as("both in flight at once: one round trip").isZero();
        }
    }
}
