package io.lodestone.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ObjectStores#open} validation: every error names the option. */
class TestObjectStores {

    @TempDir
    Path tmp;

    @Test
    void opensLocalAndMemory() throws IOException {
        try (ObjectStore local = ObjectStores.open(StorageOptions.local(tmp.resolve("data")))) {
            assertThat(local).isInstanceOf(LocalObjectStore.class);
            local.put("a", new byte[] {1});
            assertThat(tmp.resolve("data/a")).exists();
        }
        try (ObjectStore memory = ObjectStores.open(StorageOptions.memory())) {
            assertThat(memory).isInstanceOf(MemoryObjectStore.class);
        }
        var upper = new StorageOptions(" Local ", tmp, null, null, null, null, null, null, false);
        try (ObjectStore local = ObjectStores.open(upper)) {
            assertThat(local).isInstanceOf(LocalObjectStore.class);
        }
    }

    @Test
    void opensS3WithoutContactingIt() throws IOException {
        var options = StorageOptions.s3("bucket").withPrefix("/prod/lodestone/").withEndpoint("http://127.0.0.1:1")
                .withRegion("auto").withCredentials("id", "secret").withPathStyle(true);
        try (ObjectStore s3 = ObjectStores.open(options)) {
            assertThat(s3).isInstanceOf(S3ObjectStore.class);
            assertThat(s3.describe()).isEqualTo("s3://bucket/prod/lodestone/ at http://127.0.0.1:1");
        }
    }

    @Test
    void badOptionsAreNamed() throws IOException {
        assertError(new StorageOptions(null, null, null, null, null, null, null, null, false),
                "storage.backend must be one of 'local', 's3', 'memory'; got null");
        assertError(new StorageOptions("gcs", null, null, null, null, null, null, null, false),
                "storage.backend must be one of 'local', 's3', 'memory'; got 'gcs'");
        assertError(StorageOptions.local(null), "storage.path is required when storage.backend is 'local'");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertError(StorageOptions.local(file),
                "storage.path '" + file + "' exists and is not a directory");
        assertError(StorageOptions.s3(null), "storage.bucket is required when storage.backend is 's3'");
        assertError(StorageOptions.s3("bucket/prefix"), "storage.bucket 'bucket/prefix' is not a bucket name "
                + "(3..63 of [A-Za-z0-9._-]); put any key prefix in storage.prefix");
        assertError(StorageOptions.s3("bucket").withPrefix("a/../b"),
                "storage.prefix 'a/../b' is not a valid key prefix: object key 'a/../b' has a '..' segment");
        assertError(StorageOptions.s3("bucket").withEndpoint("ftp://host"),
                "storage.endpoint 'ftp://host' must be an http:// or https:// URL with a host, e.g. 'http://127.0.0.1:9000'");
        assertError(StorageOptions.s3("bucket").withRegion("us east"),
                "storage.region 'us east' is not a region name such as 'us-east-1'");
        assertError(StorageOptions.s3("bucket").withCredentials("id", null),
                "storage.accessKeyId and storage.secretAccessKey must be given together; got only storage.accessKeyId");
        assertError(StorageOptions.s3("bucket").withCredentials(null, "secret"),
                "storage.accessKeyId and storage.secretAccessKey must be given together; got only storage.secretAccessKey");
    }

    @Test
    void toStringHidesTheSecret() {
        String text = StorageOptions.s3("b").withCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI").toString();
        assertThat(text).contains("AKIDEXAMPLE").doesNotContain("wJalrXUtnFEMI").contains("secretAccessKey=***");
    }

    private static void assertError(StorageOptions options, String message) {
        assertThatThrownBy(() -> ObjectStores.open(options))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
