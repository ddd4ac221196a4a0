import io.lodestone.cache.ParallelReads;
import io.lodestone.store.ObjectStore;
import io.lodestone.store.ObjectStores;
import io.lodestone.testing.FaultProxy;
import io.lodestone.testing.S3ProxyServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How long a batch of N parallel 8 KiB ranged GETs takes through the benchmarks' latency proxy (100 ms per request) to
 * S3Proxy on this machine: the test rig's own cost per request, apart from Lodestone's. Eight rounds; run after
 * {@code ./lodestone build}:
 * {@code java --add-modules jdk.incubator.vector -cp lodestone-server/target/lodestone-server.jar bench/S3ProxyBatch.java 300}
 */
public class S3ProxyBatch {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        try (S3ProxyServer s3 = S3ProxyServer.start(); FaultProxy proxy = FaultProxy.start(s3, 1)) {
            ObjectStore direct = ObjectStores.open(s3.storageOptions(null));
            byte[] big = new byte[64 << 20];
            new Random(1).nextBytes(big);
            direct.put("big", big);
            ObjectStore store = ObjectStores.open(proxy.storageOptions(s3, null));
            proxy.latency(Duration.ofMillis(100));
            Random r = new Random(2);
            for (int round = 0; round < 8; round++) {
                List<Long> offs = new ArrayList<>();
                for (int i = 0; i < n; i++) offs.add((long) r.nextInt((64 << 20) - 8192));
                proxy.resetStats();
                long t0 = System.nanoTime();
                ParallelReads.map(offs, true, o -> store.getRange("big", o, 8192));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                var ex = proxy.exchanges();
                long first = ex.stream().mapToLong(FaultProxy.Exchange::startNanos).min().orElse(0);
                long last = ex.stream().mapToLong(FaultProxy.Exchange::startNanos).max().orElse(0);
                System.out.printf("round %d: %d reads in %d ms, starts spread %.1f ms, depth %d%n", round, n, ms, (last - first) / 1e6,
                        proxy.traffic().sequentialRoundTrips());
            }
        }
    }
}
