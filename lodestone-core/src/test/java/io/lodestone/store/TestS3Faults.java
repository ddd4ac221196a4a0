package io.lodestone.store;

import io.lodestone.testing.FaultProxy;
import io.lodestone.testing.FaultProxy.Fault;
import io.lodestone.testing.FaultProxy.Kind;
import io.lodestone.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link S3ObjectStore} against S3Proxy through a {@link FaultProxy}: the whole store contract holds
 * while about a third of all requests fail (503 SlowDown, 500 after the work was done, resets before
 * and during the body, truncated bodies and LISTs, responses delayed past the read timeout), conditional
 * PUTs whose answers are lost are never reported lost, retries end in an {@link IOException}, and large
 * objects go up in parts, aborted on failure.
 */
class TestS3Faults extends BaseObjectStoreTestCase {

    private static final AtomicInteger TESTS = new AtomicInteger();
    /** Fast retries for tests: many attempts, short waits, a read timeout below the proxy's delay. */
    static final S3Tuning FAST = S3Tuning.defaults()
            .withRetries(15, Duration.ofMillis(2), Duration.ofMillis(50), Duration.ofSeconds(60))
            .withReadTimeout(Duration.ofMillis(1_000))
            .withMultipart(6L << 20, S3Tuning.MIN_PART_SIZE);
    private static S3ProxyServer s3;
    private static FaultProxy faulty;

    @BeforeAll
    static void start() throws IOException {
        s3 = S3ProxyServer.start();
        faulty = FaultProxy.start(s3, 20261207);
        everyFault(faulty);
    }

    /**
     * About one request in five gets a fault, and a LIST that no other fault hits is cut with 20%. No
     * response is held past the read timeout here, as each costs the timeout: one test adds that fault.
     */
    static void everyFault(FaultProxy proxy) {
        proxy.fault(Fault.SLOW_DOWN, 0.04).fault(Fault.INTERNAL_ERROR, 0.04).fault(Fault.RESET_BEFORE_RESPONSE, 0.04)
                .fault(Fault.RESET_MID_BODY, 0.03).fault(Fault.TRUNCATED_BODY, 0.04).fault(Fault.TRUNCATED_LIST, 0.2);
    }

    @AfterAll
    static void stop() throws IOException {
        if (faulty != null) faulty.close();
        if (s3 != null) s3.close();
    }

    @Override
    protected ObjectStore newStore() throws IOException {
        return ObjectStores.open(faulty.storageOptions(s3, "faults/t" + TESTS.incrementAndGet() + "/").withTuning(FAST));
    }

    @Override
    protected int raceSlotCount() {
        return 10;
    }

    @Test
    void everyFaultWasInjectedAndRetriedAway() throws IOException {
        byte[] data = new byte[50_000];
        new Random(3).nextBytes(data);
        try (var proxy = FaultProxy.start(s3, 12).firstByteDelay(Duration.ofMillis(1_500));
             var store = ObjectStores.open(proxy.storageOptions(s3, "faults/every/").withTuning(FAST))) {
            everyFault(proxy);
            proxy.fault(Fault.DELAYED_FIRST_BYTE, 0.03);
            store.put("ns/big", data);
            for (int i = 0; i < 40; i++) {
                assertThat(store.get("ns/big")).isEqualTo(data);
                assertThat(store.getRange("ns/big", 1000, 20_000)).isEqualTo(Arrays.copyOfRange(data, 1000, 21_000));
                assertThat(store.list("ns/", null, 10)).containsExactly("ns/big");
            }
            for (Fault f : Fault.values()) {
                assertThat(proxy.faults(f)).as("requests that got " + f).isPositive();
            }
        }
    }

    @Test
    void lostAnswersToConditionalPutsAreNeverReportedAsLost() throws IOException {
        try (var proxy = FaultProxy.start(s3, 99);
             var store = ObjectStores.open(proxy.storageOptions(s3, "faults/cond/").withTuning(FAST))) {
            proxy.faultKinds(EnumSet.of(Kind.PUT_IF_ABSENT))
                    .fault(Fault.RESET_BEFORE_RESPONSE, 0.4).fault(Fault.INTERNAL_ERROR, 0.3);
            for (int slot = 0; slot < 20; slot++) {
                String key = "ns/wal/" + slot;
                assertThat(store.putIfAbsent(key, ("mine " + slot).getBytes(StandardCharsets.UTF_8)))
                        .as("first writer of " + key).isTrue();
                assertThat(store.putIfAbsent(key, ("theirs " + slot).getBytes(StandardCharsets.UTF_8)))
                        .as("second writer of " + key).isFalse();
                assertThat(store.get(key)).asString(StandardCharsets.UTF_8).isEqualTo("mine " + slot);
            }
            assertThat(proxy.faults(Fault.RESET_BEFORE_RESPONSE) + proxy.faults(Fault.INTERNAL_ERROR))
                    .as("answers lost after the PUT was done").isGreaterThan(5);
        }
    }

    @Test
    void spentRetriesAreAnIOException() throws IOException {
        S3Tuning few = FAST.withRetries(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(10));
        try (var proxy = FaultProxy.start(s3, 5);
             var store = ObjectStores.open(proxy.storageOptions(s3, "faults/spent/").withTuning(few))) {
            proxy.fault(Fault.SLOW_DOWN, 1);
            assertThatThrownBy(() -> store.get("ns/a")).isExactlyInstanceOf(IOException.class)
                    .hasMessageContaining("get of key 'ns/a'").hasMessageContaining("failed after 3 attempts")
                    .hasMessageContaining("HTTP 503 SlowDown");
            assertThatThrownBy(() -> store.list("ns/", null, 5)).isExactlyInstanceOf(IOException.class)
                    .hasMessageContaining("list of prefix 'ns/'");
            assertThatThrownBy(() -> store.putIfAbsent("ns/b", new byte[1])).isExactlyInstanceOf(IOException.class)
                    .hasMessageContaining("got no decisive answer in 3 attempts and reading the key back failed");
            assertThat(proxy.requests()).isEqualTo(3 + 3 + 3 + 3); // the last: reading the key back
            proxy.clearFaults().fault(Fault.TRUNCATED_BODY, 1);
            store.put("ns/c", new byte[100]); // a PUT's answer has no body to cut
            assertThatThrownBy(() -> store.get("ns/c")).isExactlyInstanceOf(IOException.class)
                    .hasMessageContaining("get of key 'ns/c'").hasMessageContaining("failed after 3 attempts");
        }
    }

    @Test
    void largeObjectsGoUpInParts(@TempDir Path dir) throws IOException {
        byte[] data = new byte[11 << 20]; // parts of 5, 5 and 1 MiB
        new Random(11).nextBytes(data);
        Path file = Files.write(dir.resolve("big"), data);
        // A patient read timeout while counting: a slow part answer on a loaded machine is not a retry here.
        S3Tuning patient = FAST.withReadTimeout(Duration.ofSeconds(30));
        try (var proxy = FaultProxy.start(s3, 8);
             var store = ObjectStores.open(proxy.storageOptions(s3, "faults/parts/").withTuning(FAST));
             var counted = ObjectStores.open(proxy.storageOptions(s3, "faults/parts/").withTuning(patient))) {
            counted.put("ns/from-bytes", data);
            counted.putFile("ns/from-file", file);
            assertThat(proxy.requests(Kind.CREATE_MULTIPART)).isEqualTo(2);
            assertThat(proxy.requests(Kind.UPLOAD_PART)).isEqualTo(6);
            assertThat(proxy.requests(Kind.COMPLETE_MULTIPART)).isEqualTo(2);
            assertThat(proxy.requests(Kind.PUT)).isZero();
            everyFault(proxy);
            store.putFile("ns/under-faults", file);
            proxy.clearFaults();
            for (String key : new String[] {"ns/from-bytes", "ns/from-file", "ns/under-faults"}) {
                assertThat(store.get(key)).as(key).isEqualTo(data);
            }
            counted.put("ns/small", new byte[6 << 20]); // at the threshold: one PUT
            assertThat(proxy.exchanges().getLast().kind()).isEqualTo(Kind.PUT);
        }
    }

    @Test
    void aFailedMultipartUploadIsAborted(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("big"), new byte[7 << 20]);
        try (var proxy = FaultProxy.start(s3, 9);
             var store = ObjectStores.open(proxy.storageOptions(s3, "faults/abort/").withTuning(
                     FAST.withRetries(2, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(10))));
             var direct = s3.client()) {
            proxy.faultKinds(EnumSet.of(Kind.UPLOAD_PART)).fault(Fault.SLOW_DOWN, 1);
            assertThatThrownBy(() -> store.putFile("ns/big", file)).isExactlyInstanceOf(IOException.class)
                    .hasMessageContaining("upload of part").hasMessageContaining("HTTP 503 SlowDown");
            assertThat(proxy.requests(Kind.ABORT_MULTIPART)).isEqualTo(1);
            assertThat(proxy.exchanges().getLast().status()).isEqualTo(204);
            assertThat(direct.listMultipartUploads(b -> b.bucket(s3.bucket()).prefix("faults/abort/")).uploads()).isEmpty();
            assertThat(store.exists("ns/big")).isFalse();
        }
    }
}
