package io.lodestone.http.quartz;

import io.lodestone.store.MemoryObjectStore;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Ids from {@link IdBlocks}: never one twice, whatever servers share the store, restart or race. */
@ExtendWith(Seeded.class)
class TestIdBlocks {

    @Test
    void oneServerCountsFromOne() throws Exception {
        IdBlocks ids = new IdBlocks(new MemoryObjectStore());
        assertThat(List.of(ids.next("t", "a"), ids.next("t", "a"), ids.next("t", "b"), ids.next("u", "a")))
                .containsExactly(1L, 2L, 1L, 1L);
    }

    @Test
    void serversRacingAndRestartingNeverShareAnId(Random random) throws Exception {
        MemoryObjectStore store = new MemoryObjectStore();
        List<IdBlocks> servers = new ArrayList<>(List.of(new IdBlocks(store), new IdBlocks(store), new IdBlocks(store)));
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        long seed = random.nextLong();
        try (var pool = Executors.newFixedThreadPool(6)) {
            for (int round = 0; round < 3; round++) {
                List<Future<?>> tasks = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    Random r = new Random(seed + round * 31L + t);
                    tasks.add(pool.submit(() -> {
                        for (int i = 0; i < 2_000; i++) {
                            long id = servers.get(r.nextInt(servers.size())).next("tenant", "index");
                            assertThat(seen.add(id)).as("id %d handed out twice", id).isTrue();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : tasks) f.get();
                servers.set(random.nextInt(servers.size()), new IdBlocks(store)); // a restart forgets its block
            }
        }
        assertThat(seen).hasSize(3 * 6 * 2_000);
        assertThat(seen).allMatch(id -> id >= 1);
    }
}
