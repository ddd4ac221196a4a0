package io.lodestone.testing;

import io.lodestone.testing.FaultProxy.Fault;
import io.lodestone.testing.FaultProxy.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link FaultProxy} in front of S3Proxy: it forwards signed requests unchanged, counts them by kind,
 * and injects each fault as documented. Byte-level faults are checked with a raw socket and an
 * anonymous request (S3Proxy answers it 403 with an XML body, which is all a body check needs).
 */
class TestFaultProxy {
    private static S3ProxyServer s3;

    @BeforeAll
    static void start() throws IOException {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (s3 != null) s3.close();
    }

    @Test
    void forwardsSignedRequestsAndCountsThemByKind() throws IOException {
        byte[] data = new byte[100_000];
        new Random(7).nextBytes(data);
        try (var proxy = FaultProxy.start(s3, 1); S3Client client = client(proxy)) {
            client.putObject(b -> b.bucket(s3.bucket()).key("p/a"), RequestBody.fromBytes(data));
            client.putObject(b -> b.bucket(s3.bucket()).key("p/b").ifNoneMatch("*"), RequestBody.fromBytes(data));
            assertThat(client.getObjectAsBytes(b -> b.bucket(s3.bucket()).key("p/a")).asByteArray()).isEqualTo(data);
            assertThat(client.getObjectAsBytes(b -> b.bucket(s3.bucket()).key("p/a").range("bytes=10-19")).asByteArray())
                    .isEqualTo(java.util.Arrays.copyOfRange(data, 10, 20));
            assertThat(client.headObject(b -> b.bucket(s3.bucket()).key("p/a")).contentLength()).isEqualTo(data.length);
            assertThat(client.listObjectsV2(b -> b.bucket(s3.bucket()).prefix("p/")).contents()).hasSize(2);
            client.deleteObject(b -> b.bucket(s3.bucket()).key("p/a"));

            assertThat(kinds(proxy)).containsExactly(Kind.PUT, Kind.PUT_IF_ABSENT, Kind.GET, Kind.GET_RANGE, Kind.HEAD,
                    Kind.LIST, Kind.DELETE);
            assertThat(proxy.requests(Kind.GET)).isEqualTo(1);
            assertThat(proxy.requestBytes()).isGreaterThanOrEqualTo(2L * data.length);
            assertThat(proxy.exchanges().get(2).responseBytes()).isEqualTo(data.length);
            assertThat(proxy.exchanges()).allMatch(e -> e.fault() == null && e.status() / 100 == 2);
            assertThat(proxy.sequentialRoundTrips()).isEqualTo(7); // one client, one request at a time
        }
    }

    @Test
    void slowDownIsNotForwardedAndInternalErrorIs() throws IOException {
        try (var proxy = FaultProxy.start(s3, 2); S3Client client = client(proxy); S3Client direct = s3.client()) {
            proxy.fault(Fault.SLOW_DOWN, 1);
            assertThatThrownBy(() -> client.putObject(b -> b.bucket(s3.bucket()).key("q/slow"), RequestBody.fromString("x")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
                    });
            assertThatThrownBy(() -> direct.headObject(b -> b.bucket(s3.bucket()).key("q/slow")))
                    .isInstanceOf(NoSuchKeyException.class);

            proxy.clearFaults().fault(Fault.INTERNAL_ERROR, 1);
            assertThatThrownBy(() -> client.putObject(b -> b.bucket(s3.bucket()).key("q/done"), RequestBody.fromString("x")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(500));
            assertThat(direct.headObject(b -> b.bucket(s3.bucket()).key("q/done")).contentLength()).isEqualTo(1);
            assertThat(proxy.faults(Fault.SLOW_DOWN)).isEqualTo(1);
            assertThat(proxy.faults(Fault.INTERNAL_ERROR)).isEqualTo(1);
        }
    }

    @Test
    void anErrorAnsweringAHeadHasNoBodySoTheConnectionServesTheNextRequest() throws IOException {
        // The Apache client, as the store uses: it keeps the connection, so a stray body would be read as the next response.
        try (var proxy = FaultProxy.start(s3, 2);
             S3Client client = client(proxy, ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(5)).build());
             S3Client direct = s3.client()) {
            direct.putObject(b -> b.bucket(s3.bucket()).key("q/head"), RequestBody.fromString("xyz"));
            proxy.fault(Fault.SLOW_DOWN, 1);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> client.headObject(b -> b.bucket(s3.bucket()).key("q/head")))
                        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(503));
            }
            proxy.clearFaults().fault(Fault.INTERNAL_ERROR, 1);
            assertThatThrownBy(() -> client.headObject(b -> b.bucket(s3.bucket()).key("q/head")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(500));
            proxy.clearFaults();
            assertThat(client.headObject(b -> b.bucket(s3.bucket()).key("q/head")).contentLength()).isEqualTo(3);
            assertThat(proxy.faults(Fault.SLOW_DOWN)).isEqualTo(3);
        }
    }

    @Test
    void truncatedBodyKeepsItsContentLength() throws IOException {
        try (var proxy = FaultProxy.start(s3, 3)) {
            Raw whole = Raw.get(proxy, "/" + s3.bucket() + "/some/key");
            assertThat(whole.body.length).isEqualTo(whole.contentLength).isGreaterThan(10);
            proxy.fault(Fault.TRUNCATED_BODY, 1);
            Raw cut = Raw.get(proxy, "/" + s3.bucket() + "/some/key");
            assertThat(cut.contentLength).isEqualTo(whole.contentLength);
            assertThat(cut.body).hasSize(whole.body.length / 2);
            assertThat(proxy.exchanges().getLast().fault()).isEqualTo(Fault.TRUNCATED_BODY);
        }
    }

    @Test
    void truncatedListIsShortWithAMatchingLength() throws IOException {
        try (var proxy = FaultProxy.start(s3, 4)) {
            String list = "/" + s3.bucket() + "/?list-type=2&prefix=x";
            Raw whole = Raw.get(proxy, list);
            proxy.fault(Fault.TRUNCATED_LIST, 1);
            Raw object = Raw.get(proxy, "/" + s3.bucket() + "/some/key");
            assertThat((long) object.body.length).isEqualTo(object.contentLength); // not a LIST: untouched
            Raw cut = Raw.get(proxy, list);
            assertThat(cut.contentLength).isEqualTo(whole.contentLength / 2).isEqualTo(cut.body.length);
            assertThat(kinds(proxy)).containsExactly(Kind.LIST, Kind.GET, Kind.LIST);
        }
    }

    @Test
    void resetsAndDelaysEndTheExchange() throws IOException {
        try (var proxy = FaultProxy.start(s3, 5)) {
            String key = "/" + s3.bucket() + "/some/key";
            proxy.fault(Fault.RESET_BEFORE_RESPONSE, 1);
            assertThatThrownBy(() -> Raw.get(proxy, key)).isInstanceOf(IOException.class);
            proxy.clearFaults().fault(Fault.RESET_MID_BODY, 1);
            assertThatThrownBy(() -> Raw.get(proxy, key)).isInstanceOf(IOException.class);
            proxy.clearFaults().fault(Fault.DELAYED_FIRST_BYTE, 1).firstByteDelay(Duration.ofMillis(1_500));
            assertThatThrownBy(() -> Raw.get(proxy, key, 200)).isInstanceOf(SocketTimeoutException.class);
            proxy.clearFaults();
            assertThat(Raw.get(proxy, key).body).isNotEmpty();
        }
    }

    @Test
    void seededDrawsRepeatAndFaultKindsFilter() throws IOException {
        List<List<Fault>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (var proxy = FaultProxy.start(s3, 42)) {
                proxy.fault(Fault.SLOW_DOWN, 0.3).fault(Fault.INTERNAL_ERROR, 0.3);
                for (int i = 0; i < 30; i++) Raw.get(proxy, "/" + s3.bucket() + "/k" + i);
                runs.add(proxy.exchanges().stream().map(FaultProxy.Exchange::fault).toList());
            }
        }
        assertThat(runs.get(0)).isEqualTo(runs.get(1)).contains(Fault.SLOW_DOWN, Fault.INTERNAL_ERROR).containsNull();
        try (var proxy = FaultProxy.start(s3, 42)) {
            proxy.fault(Fault.SLOW_DOWN, 1).faultKinds(EnumSet.of(Kind.LIST));
            assertThat(Raw.get(proxy, "/" + s3.bucket() + "/k").status).isNotEqualTo(503);
            assertThat(Raw.get(proxy, "/" + s3.bucket() + "/?list-type=2").status).isEqualTo(503);
        }
    }

    @Test
    void latencyDelaysEveryRequestAndParallelRequestsAreOneRoundTrip() throws Exception {
        try (var proxy = FaultProxy.start(s3, 6)) {
            proxy.latency(Duration.ofMillis(300));
            Raw.get(proxy, "/" + s3.bucket() + "/k");
            var e = proxy.exchanges().getFirst();
            assertThat(e.endNanos() - e.startNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
            proxy.resetStats();
            inParallel(4, () -> Raw.get(proxy, "/" + s3.bucket() + "/k"));
            assertThat(proxy.requests()).isEqualTo(4);
            assertThat(proxy.sequentialRoundTrips()).isEqualTo(1); // all four waited out the latency together
        }
    }

    @Test
    void roundTripDepthIsTheCriticalPath() throws Exception {
        try (var proxy = FaultProxy.start(s3, 7)) {
            proxy.latency(Duration.ofMillis(200));
            String key = "/" + s3.bucket() + "/k";
            for (int i = 0; i < 3; i++) Raw.get(proxy, key); // a chain: each waits for the one before
            assertThat(proxy.exchanges()).extracting(FaultProxy.Exchange::depth).containsExactly(1, 2, 3);
            assertThat(proxy.sequentialRoundTrips()).isEqualTo(3);

            proxy.resetStats();
            assertThat(proxy.sequentialRoundTrips()).isZero();
            inParallel(3, () -> Raw.get(proxy, key));
            assertThat(proxy.exchanges()).extracting(FaultProxy.Exchange::depth).containsExactly(1, 1, 1);
            assertThat(proxy.sequentialRoundTrips()).isEqualTo(1);

            proxy.resetStats();
            inParallel(2, () -> Raw.get(proxy, key));
            Raw.get(proxy, key); // after both: one deeper
            assertThat(proxy.exchanges()).extracting(FaultProxy.Exchange::depth).containsExactly(1, 1, 2);
            FaultProxy.Traffic t = proxy.traffic();
            assertThat(t.sequentialRoundTrips()).isEqualTo(2);
            assertThat(t.requests()).isEqualTo(3);
            assertThat(t.byMethod()).containsExactly(java.util.Map.entry("GET", 3L));
            assertThat(t.responseBytes()).isEqualTo(proxy.responseBytes()).isPositive();
        }
    }

    /** Runs {@code n} copies of {@code call} at once on virtual threads and waits for them all. */
    private static void inParallel(int n, java.util.concurrent.Callable<?> call) throws Exception {
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var start = new java.util.concurrent.CountDownLatch(1);
            var all = new ArrayList<java.util.concurrent.Future<?>>();
            for (int i = 0; i < n; i++) {
                all.add(threads.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            for (var f : all) f.get();
        }
    }

    private static List<Kind> kinds(FaultProxy proxy) {
        return proxy.exchanges().stream().map(FaultProxy.Exchange::kind).toList();
    }

    /** An SDK client that reaches S3Proxy through the proxy, with no retries of its own. */
    private static S3Client client(FaultProxy proxy) {
        return client(proxy, UrlConnectionHttpClient.create());
    }

    private static S3Client client(FaultProxy proxy, SdkHttpClient http) {
        return S3Client.builder()
                .httpClient(http)
                .endpointOverride(proxy.endpoint())
                .region(Region.of(S3ProxyServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .forcePathStyle(true)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** One anonymous GET on a new connection, read as far as the server sends it. */
    private record Raw(int status, long contentLength, byte[] body) {
        static Raw get(FaultProxy proxy, String target) throws IOException {
            return get(proxy, target, 10_000);
        }

        static Raw get(FaultProxy proxy, String target, int timeoutMillis) throws IOException {
            try (var socket = new Socket(proxy.endpoint().getHost(), proxy.endpoint().getPort())) {
                socket.setSoTimeout(timeoutMillis);
                socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + proxy.endpoint().getAuthority()
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = socket.getInputStream();
                var all = new ByteArrayOutputStream();
                in.transferTo(all);
                String text = all.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end < 0) throw new IOException("no response head in " + all.size() + " bytes");
                String head = text.substring(0, end);
                long length = -1;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) length = Long.parseLong(line.substring(15).trim());
                }
                byte[] body = java.util.Arrays.copyOfRange(all.toByteArray(), end + 4, all.size());
                return new Raw(Integer.parseInt(head.split(" ")[1]), length, body);
            }
        }
    }
}
