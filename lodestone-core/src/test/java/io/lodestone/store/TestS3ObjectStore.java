package io.lodestone.store;

import io.lodestone.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract suite on {@link S3ObjectStore} against a real S3-compatible server (S3Proxy,
 * started once for the class). Each test gets its own key prefix in the shared bucket.
 */
class TestS3ObjectStore extends BaseObjectStoreTestCase {

    private static final AtomicInteger TESTS = new AtomicInteger();
    private static S3ProxyServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = S3ProxyServer.start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected ObjectStore newStore() throws IOException {
        return ObjectStores.open(server.storageOptions("/tests/t" + TESTS.incrementAndGet() + "/"));
    }

    @Override
    protected int pagingKeyCount() {
        return 1100; // more than one ListObjectsV2 page of 1,000
    }

    @Override
    protected int raceSlotCount() {
        return 25;
    }

    @Test
    void keysAreStoredUnderThePrefix() throws IOException {
        store.put("ns/a", new byte[] {1});
        String prefix = "tests/t" + TESTS.get() + "/";
        try (var client = server.client()) {
            assertThat(client.listObjectsV2(b -> b.bucket(server.bucket()).prefix(prefix)).contents())
                    .extracting(o -> o.key())
                    .filteredOn(k -> !k.endsWith("/")) // directory placeholders of older S3Proxy backends
                    .containsExactly(prefix + "ns/a");
        }
        assertThat(store.describe()).isEqualTo("s3://" + server.bucket() + "/" + prefix + " at " + server.endpoint());
    }

    @Test
    void worksAtTheRootOfABucket() throws IOException {
        server.createBucket("lodestone-root");
        StorageOptions o = server.storageOptions(null);
        var atRoot = new StorageOptions("s3", null, "lodestone-root", null, o.endpoint(), o.region(),
                o.accessKeyId(), o.secretAccessKey(), true);
        try (ObjectStore rootStore = ObjectStores.open(atRoot)) {
            rootStore.put("a/b", new byte[] {1});
            assertThat(rootStore.putIfAbsent("a/b", new byte[] {2})).isFalse();
            assertThat(rootStore.list("", null, 10)).containsExactly("a/b");
            assertThat(rootStore.list("a/", "a/a", 10)).containsExactly("a/b");
            assertThat(rootStore.describe()).isEqualTo("s3://lodestone-root/ at " + server.endpoint());
        }
        assertThat(store.list("", null, 10)).isEmpty(); // another bucket
    }

    @Test
    void serverErrorsNameTheKey() throws IOException {
        var wrongSecret = server.storageOptions("x").withCredentials(S3ProxyServer.ACCESS_KEY, "wrong");
        try (var denied = ObjectStores.open(wrongSecret)) {
            assertThatThrownBy(() -> denied.get("ns/doc"))
                    .isInstanceOf(IOException.class).isNotInstanceOf(ObjectNotFoundException.class)
                    .hasMessageStartingWith("get of key 'ns/doc' in s3://" + server.bucket() + "/x/ at "
                            + server.endpoint() + " failed: HTTP 403");
        }
        var noBucket = server.storageOptions(null);
        noBucket = new StorageOptions("s3", null, "no-such-bucket", null, noBucket.endpoint(), noBucket.region(),
                noBucket.accessKeyId(), noBucket.secretAccessKey(), true);
        try (var missing = ObjectStores.open(noBucket)) {
            assertThatThrownBy(() -> missing.get("ns/doc"))
                    .isInstanceOf(IOException.class).isNotInstanceOf(ObjectNotFoundException.class)
                    .hasMessageContaining("key 'ns/doc'").hasMessageContaining("NoSuchBucket");
            assertThatThrownBy(() -> missing.putIfAbsent("ns/doc", new byte[1]))
                    .isInstanceOf(IOException.class).hasMessageContaining("key 'ns/doc'");
            assertThatThrownBy(() -> missing.list("ns/", null, 10))
                    .isInstanceOf(IOException.class).hasMessageContaining("prefix 'ns/'");
        }
    }
}
