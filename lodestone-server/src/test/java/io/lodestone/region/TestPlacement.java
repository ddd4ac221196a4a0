package io.lodestone.region;

import io.lodestone.codec.CorruptObjectException;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.store.LocalObjectStore;
import io.lodestone.store.ObjectStore;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(Seeded.class)
class TestPlacement {
    private static final List<String> REGIONS = List.of("default", "eu", "us-east", "ap2");

    @TempDir
    Path dir;

    @Test
    void concurrentPlacementsOfOneNameInDifferentRegionsAgreeOnOne(Random random) throws Exception {
        try (ObjectStore store = new LocalObjectStore(dir)) {
            race(store, random);
        }
    }

    /**
     * Threads of three "servers" (each a Placement with its own cache) place one name at once, each in a region of
     * its own: all must get the same region, and one object must exist. Run on other stores by {@link TestRegions}.
     */
    static void race(ObjectStore store, Random random) throws Exception {
        int threads = 16;
        String ns = "ns-" + random.nextInt(1_000_000);
        List<Placement> servers = List.of(new Placement(store), new Placement(store), new Placement(store));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                Placement server = servers.get(i % servers.size());
                String region = REGIONS.get(random.nextInt(REGIONS.size()));
                answers.add(pool.submit(() -> {
                    go.await();
                    return server.place("t1", ns, region);
                }));
            }
            go.countDown();
            Set<String> distinct = new HashSet<>();
            for (Future<String> answer : answers) distinct.add(answer.get());
            assertThat(distinct).hasSize(1);
            String winner = distinct.iterator().next();
            assertThat(winner).isIn(REGIONS);
            assertThat(store.list(Placement.ROOT + "t1/", null, 100)).containsExactly(Placement.ROOT + "t1/" + ns);
            assertThat(new Placement(store).regionOf("t1", ns)).isEqualTo(winner);
        }
    }

    @Test
    void aPlacementIsPermanentPerTenantAndSeenByEveryServer() throws Exception {
        try (ObjectStore store = new LocalObjectStore(dir)) {
            Placement one = new Placement(store);
            assertThat(one.regionOf("acme", "docs")).isNull();
            assertThat(one.place("acme", "docs", "eu")).isEqualTo("eu");
            assertThat(one.place("acme", "docs", "default")).as("placed already").isEqualTo("eu");

            Placement other = new Placement(store);
            assertThat(other.regionOf("acme", "docs")).isEqualTo("eu");
            assertThat(other.place("acme", "docs", "us-east")).isEqualTo("eu");
            assertThat(other.regionOf("acme", "docs2")).isNull();
            assertThat(other.regionOf("globex", "docs")).as("another tenant's name").isNull();
            assertThat(other.place("globex", "docs", "default")).isEqualTo("default");
            assertThat(new String(store.get("_system/placement/acme/docs"), StandardCharsets.UTF_8)).isEqualTo("eu");
        }
    }

    @Test
    void badNamesAreRefusedAndWriteNothing() throws Exception {
        try (ObjectStore store = new LocalObjectStore(dir)) {
            Placement p = new Placement(store);
            for (String tenant : new String[] {"", "..", "a/b", "../x", "a b", "x".repeat(129)}) {
                assertThatThrownBy(() -> p.place(tenant, "docs", "eu")).as(tenant)
                        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("tenant name");
            }
            for (String ns : new String[] {"", ".", "a/b", "..x"}) {
                assertThatThrownBy(() -> p.place("acme", ns, "eu")).as(ns)
                        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("namespace name");
                assertThatThrownBy(() -> p.regionOf("acme", ns)).isInstanceOf(InvalidInputException.class);
            }
            for (String region : new String[] {"EU", "-eu", "eu/x", "", "r".repeat(33)}) {
                assertThatThrownBy(() -> p.place("acme", "docs", region)).as(region)
                        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("region name");
            }
            assertThatThrownBy(() -> p.place("acme", "docs", null)).isInstanceOf(InvalidInputException.class);
            assertThat(store.list("", null, 10)).isEmpty();
        }
    }

    @Test
    void aPlacementThatHoldsNoRegionNameIsCorrupt() throws Exception {
        try (ObjectStore store = new LocalObjectStore(dir)) {
            store.put("_system/placement/acme/docs", "../other".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> new Placement(store).regionOf("acme", "docs"))
                    .isInstanceOf(CorruptObjectException.class).hasMessageContaining("_system/placement/acme/docs");
            assertThatThrownBy(() -> new Placement(store).place("acme", "docs", "eu"))
                    .isInstanceOf(CorruptObjectException.class);
        }
    }

    @Test
    void answersAreCachedUpToTheBound() throws Exception {
        try (ObjectStore store = new LocalObjectStore(dir)) {
            Placement p = new Placement(store, 2);
            for (String ns : List.of("n1", "n2", "n3")) p.place("acme", ns, "eu");
            for (String ns : List.of("n1", "n2", "n3")) store.delete("_system/placement/acme/" + ns);
            assertThat(p.regionOf("acme", "n3")).as("cached").isEqualTo("eu");
            assertThat(p.regionOf("acme", "n2")).as("cached").isEqualTo("eu");
            assertThat(p.regionOf("acme", "n1")).as("evicted, and gone from the store").isNull();
        }
    }
}
