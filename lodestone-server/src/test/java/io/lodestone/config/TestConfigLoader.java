package io.lodestone.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestConfigLoader {

    @TempDir
    Path dir;

    @Test
    void noFileAndNoEnvironmentGivesTheDefaults() {
        LodestoneConfig config = ConfigLoader.load(null, Map.of(), dir);

        assertThat(config).isEqualTo(LodestoneConfig.defaults());
        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.server().maxBodyBytes()).isEqualTo(64L << 20);
        assertThat(config.storage().backend()).isEqualTo(StorageConfig.Backend.LOCAL);
        assertThat(config.storage().path()).isEqualTo(Path.of("./data"));
        assertThat(config.auth().enabled()).isFalse();
        assertThat(config.tls().enabled()).isFalse();
        assertThat(config.cors().enabled()).isFalse();
        assertThat(config.limits().maxDimensions()).isEqualTo(10_752);
        assertThat(config.indexing().unindexedBytesLimit()).isEqualTo(2L << 30);
        assertThat(config.regions()).isEmpty();
    }

    @Test
    void anEmptyFileGivesTheDefaults() throws IOException {
        Path file = write("config.toml", "");

        assertThat(ConfigLoader.load(file, Map.of())).isEqualTo(LodestoneConfig.defaults());
    }

    @Test
    void theExampleInTheDocsIsValidAndShowsTheDefaults() {
        Path example = Path.of("..", "docs", "config.example.toml");

        assertThat(ConfigLoader.load(example, Map.of())).isEqualTo(LodestoneConfig.defaults());
    }

    @Test
    void readsEverySection() throws IOException {
        Path file = write("lodestone.toml", """
                [server]
                host = "0.0.0.0"
                port = 9090
                request_timeout_seconds = 10
                idle_timeout_seconds = 30
                max_body_bytes = "128MiB"

                [limits]
                max_top_k = 1200
                max_dimensions = 4096
                max_batch_rows = 5000
                max_namespace_name_length = 64
                max_attribute_value_bytes = 65536
                max_queries_per_request = 4

                [batching]
                group_commit_window_ms = 0
                max_batch_bytes = "16 MiB"

                [indexing]
                enabled = false
                unindexed_bytes_limit = "512MB"
                min_unindexed_bytes = 1
                target_recall = 0.9
                recall_sample_every = 0
                index_type = "clustered"

                [storage]
                backend = "s3"
                path = "/var/lib/lodestone"
                bucket = "vectors"
                prefix = "prod/"
                endpoint = "http://localhost:9000"
                region = "us-east-1"
                access_key_id = "AKID"
                secret_access_key = "SECRET"
                path_style = true

                [cache]
                memory_bytes = "4GiB"
                disk_bytes = 0
                disk_path = "/tmp/lodestone-cache"

                [compactor]
                enabled = false
                interval_seconds = 600

                [auth]
                enabled = true
                admin_key = "0123456789abcdef0123456789abcdef-admin"
                allow_unauthenticated = true

                [tls]
                enabled = true
                cert_path = "/etc/lodestone/fullchain.pem"
                key_path = "/etc/lodestone/privkey.pem"

                [cors]
                allowed_origins = ["https://app.example.com", "http://localhost:3000"]
                allowed_methods = ["GET", "POST"]
                allowed_headers = ["Authorization", "Content-Type"]
                max_age_seconds = 60

                [regions.eu]
                backend = "s3"
                bucket = "vectors-eu"
                endpoint = "https://s3.eu-central-1.amazonaws.com"
                region = "eu-central-1"

                [regions.local-minio]
                backend = "s3"
                bucket = "vectors"
                prefix = "dev"
                endpoint = "http://localhost:9000"
                path_style = true

                [regions.disk2]
                backend = "local"
                path = "/mnt/disk2/lodestone"
                """);

        LodestoneConfig c = ConfigLoader.load(file, Map.of());

        assertThat(c.server()).isEqualTo(new ServerConfig("0.0.0.0", 9090, Duration.ofSeconds(10),
                Duration.ofSeconds(30), 128L << 20));
        assertThat(c.limits()).isEqualTo(new LimitsConfig(1200, 4096, 5000, 64, 65536, 4));
        assertThat(c.batching()).isEqualTo(new BatchingConfig(Duration.ZERO, 16L << 20));
        assertThat(c.indexing()).isEqualTo(new IndexingConfig(false, 512_000_000L, 1, 1000, 8, 600, 16, 200, "none",
                0.9, 0, 60, 15, "clustered"));
        assertThat(c.indexing().newNamespaceIndex(true).type()).isEqualTo("clustered");
        assertThat(IndexingConfig.defaults().newNamespaceIndex(true).type()).as("auto, local storage").isEqualTo("hnsw");
        assertThat(IndexingConfig.defaults().newNamespaceIndex(false).type()).as("auto, S3").isEqualTo("clustered");
        assertThat(c.storage()).isEqualTo(new StorageConfig(StorageConfig.Backend.S3, Path.of("/var/lib/lodestone"),
                Optional.of("vectors"), "prod/", Optional.of("http://localhost:9000"), Optional.of("us-east-1"),
                Optional.of("AKID"), Optional.of("SECRET"), true));
        assertThat(c.cache()).isEqualTo(new CacheConfig(4L << 30, 0, Path.of("/tmp/lodestone-cache")));
        assertThat(c.compactor()).isEqualTo(new CompactorConfig(false, Duration.ofSeconds(600)));
        assertThat(c.auth()).isEqualTo(new AuthConfig(true, Optional.of("0123456789abcdef0123456789abcdef-admin"), true));
        assertThat(c.tls()).isEqualTo(new TlsConfig(true, Optional.of(Path.of("/etc/lodestone/fullchain.pem")),
                Optional.of(Path.of("/etc/lodestone/privkey.pem"))));
        assertThat(c.cors()).isEqualTo(new CorsConfig(List.of("https://app.example.com", "http://localhost:3000"),
                List.of("GET", "POST"), List.of("Authorization", "Content-Type"), Duration.ofSeconds(60)));
        StorageConfig d = StorageConfig.defaults();
        assertThat(c.regions()).containsExactly(
                Map.entry("eu", new StorageConfig(StorageConfig.Backend.S3, d.path(), Optional.of("vectors-eu"), "",
                        Optional.of("https://s3.eu-central-1.amazonaws.com"), Optional.of("eu-central-1"),
                        Optional.empty(), Optional.empty(), false)),
                Map.entry("local-minio", new StorageConfig(StorageConfig.Backend.S3, d.path(), Optional.of("vectors"),
                        "dev", Optional.of("http://localhost:9000"), Optional.empty(), Optional.empty(),
                        Optional.empty(), true)),
                Map.entry("disk2", new StorageConfig(StorageConfig.Backend.LOCAL, Path.of("/mnt/disk2/lodestone"),
                        Optional.empty(), "", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        false)));
        assertThat(c.storageTargets().keySet()).containsExactly("default", "eu", "local-minio", "disk2");
        assertThat(c.storageTargets().get("default")).isSameAs(c.storage());
    }

    @Test
    void keysMissingFromTheFileKeepTheirDefaults() throws IOException {
        Path file = write("config.toml", """
                [server]
                port = 9000
                """);

        LodestoneConfig c = ConfigLoader.load(file, Map.of());

        assertThat(c.server()).isEqualTo(new ServerConfig("127.0.0.1", 9000, Duration.ofSeconds(60),
                Duration.ofSeconds(120), 64L << 20));
        assertThat(c.storage()).isEqualTo(StorageConfig.defaults());
    }

    @Test
    void findsConfigTomlInTheWorkingDirectory() throws IOException {
        write("config.toml", "[server]\nport = 7000\n");

        assertThat(ConfigLoader.load(null, Map.of(), dir).server().port()).isEqualTo(7000);
    }

    @Test
    void lodestoneConfigNamesTheFileAndWinsOverTheWorkingDirectory() throws IOException {
        write("config.toml", "[server]\nport = 7000\n");
        Path named = write("other.toml", "[server]\nport = 7001\n");

        LodestoneConfig c = ConfigLoader.load(null, Map.of("LODESTONE_CONFIG", named.toString()), dir);

        assertThat(c.server().port()).isEqualTo(7001);
    }

    @Test
    void anExplicitPathWinsOverLodestoneConfig() throws IOException {
        Path explicit = write("explicit.toml", "[server]\nport = 7002\n");

        LodestoneConfig c = ConfigLoader.load(explicit, Map.of("LODESTONE_CONFIG", "/nowhere.toml"), dir);

        assertThat(c.server().port()).isEqualTo(7002);
    }

    @Test
    void aNamedFileThatDoesNotExistIsAnError() {
        Path missing = dir.resolve("missing.toml");

        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file not found: " + missing);
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("LODESTONE_CONFIG", missing.toString()), dir))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file not found: " + missing + " (named by LODESTONE_CONFIG)");
    }

    @Test
    void aFileThatIsNotTomlIsAnError() throws IOException {
        Path file = write("config.toml", "[server]\nport = = 8080\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": not valid TOML: ")
                .hasMessageContaining("line 2");
    }

    @Test
    void toStringHidesSecrets() throws IOException {
        Path file = write("config.toml", """
                [storage]
                access_key_id = "AKID"
                secret_access_key = "SECRET"
                [auth]
                admin_key = "TOPSECRETKEY-0123456789abcdef0123456789"
                """);

        String text = ConfigLoader.load(file, Map.of()).toString();

        assertThat(text).contains("AKID").doesNotContain("SECRET").doesNotContain("TOPSECRETKEY");
    }

    private Path write(String name, String toml) throws IOException {
        return Files.writeString(dir.resolve(name), toml);
    }
}
