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

class TestEnvironmentOverrides {

    @TempDir
    Path dir;

    private LodestoneConfig load(Map<String, String> env) {
        return ConfigLoader.load(null, env, dir);
    }

    @Test
    void overridesAnInteger() {
        assertThat(load(Map.of("LODESTONE_SERVER_PORT", "9090")).server().port()).isEqualTo(9090);
        assertThat(load(Map.of("LODESTONE_LIMITS_MAX_TOP_K", " 500 ")).limits().maxTopK()).isEqualTo(500);
    }

    @Test
    void overridesADuration() {
        LodestoneConfig c = load(Map.of(
                "LODESTONE_BATCHING_GROUP_COMMIT_WINDOW_MS", "5",
                "LODESTONE_SERVER_REQUEST_TIMEOUT_SECONDS", "7",
                "LODESTONE_COMPACTOR_INTERVAL_SECONDS", "3600"));

        assertThat(c.batching().groupCommitWindow()).isEqualTo(Duration.ofMillis(5));
        assertThat(c.server().requestTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.compactor().interval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void overridesAStringAndAPath() {
        LodestoneConfig c = load(Map.of(
                "LODESTONE_SERVER_HOST", "0.0.0.0",
                "LODESTONE_STORAGE_PATH", "/tmp/x",
                "LODESTONE_CACHE_DISK_PATH", "/tmp/cache"));

        assertThat(c.server().host()).isEqualTo("0.0.0.0");
        assertThat(c.storage().path()).isEqualTo(Path.of("/tmp/x"));
        assertThat(c.cache().diskPath()).isEqualTo(Path.of("/tmp/cache"));
    }

    @Test
    void overridesTlsAndCorsLists() {
        LodestoneConfig c = load(Map.of(
                "LODESTONE_TLS_ENABLED", "true",
                "LODESTONE_TLS_CERT_PATH", "/tls/cert.pem",
                "LODESTONE_TLS_KEY_PATH", "/tls/key.pem",
                "LODESTONE_CORS_ALLOWED_ORIGINS", "https://a.example, http://localhost:3000",
                "LODESTONE_CORS_ALLOWED_METHODS", "GET,POST",
                "LODESTONE_CORS_MAX_AGE_SECONDS", "0"));

        assertThat(c.tls()).isEqualTo(new TlsConfig(true, Optional.of(Path.of("/tls/cert.pem")),
                Optional.of(Path.of("/tls/key.pem"))));
        assertThat(c.cors().allowedOrigins()).containsExactly("https://a.example", "http://localhost:3000");
        assertThat(c.cors().allowedMethods()).containsExactly("GET", "POST");
        assertThat(c.cors().allowedHeaders()).isEqualTo(CorsConfig.defaults().allowedHeaders());
        assertThat(c.cors().maxAge()).isEqualTo(Duration.ZERO);
    }

    @Test
    void overridesASizeGivenInBytesOrWithAUnit() {
        LodestoneConfig c = load(Map.of(
                "LODESTONE_SERVER_MAX_BODY_BYTES", "1048576",
                "LODESTONE_CACHE_MEMORY_BYTES", "2GiB",
                "LODESTONE_INDEXING_UNINDEXED_BYTES_LIMIT", "500 MB"));

        assertThat(c.server().maxBodyBytes()).isEqualTo(1L << 20);
        assertThat(c.cache().memoryBytes()).isEqualTo(2L << 30);
        assertThat(c.indexing().unindexedBytesLimit()).isEqualTo(500_000_000L);
    }

    @Test
    void overridesABooleanInAnyCase() {
        LodestoneConfig c = load(Map.of(
                "LODESTONE_AUTH_ENABLED", "TRUE",
                "LODESTONE_INDEXING_ENABLED", "false",
                "LODESTONE_STORAGE_PATH_STYLE", "True"));

        assertThat(c.auth().enabled()).isTrue();
        assertThat(c.indexing().enabled()).isFalse();
        assertThat(c.storage().pathStyle()).isTrue();
    }

    @Test
    void overridesTheAdminKeyAndRefusesAShortOne() {
        AuthConfig auth = load(Map.of("LODESTONE_AUTH_ADMIN_KEY", "k".repeat(40))).auth();

        assertThat(auth.adminKey()).contains("k".repeat(40));
        assertThat(auth.toString()).doesNotContain("kkkk");
        assertThatThrownBy(() -> load(Map.of("LODESTONE_AUTH_ADMIN_KEY", "short")))
                .hasMessageContaining("auth.admin_key must be at least 32 characters");
    }

    @Test
    void overridesAChoiceAndOptionalStrings() {
        StorageConfig s = load(Map.of(
                "LODESTONE_STORAGE_BACKEND", "s3",
                "LODESTONE_STORAGE_BUCKET", "b",
                "LODESTONE_STORAGE_ENDPOINT", "http://minio:9000",
                "LODESTONE_STORAGE_REGION", "auto")).storage();

        assertThat(s.backend()).isEqualTo(StorageConfig.Backend.S3);
        assertThat(s.bucket()).contains("b");
        assertThat(s.endpoint()).contains("http://minio:9000");
        assertThat(s.region()).contains("auto");
        assertThat(s.accessKeyId()).isEmpty();
    }

    @Test
    void theEnvironmentWinsOverTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("config.toml"), """
                [server]
                host = "10.0.0.1"
                port = 8000
                """);

        ServerConfig server = ConfigLoader.load(file, Map.of("LODESTONE_SERVER_PORT", "8001")).server();

        assertThat(server.host()).isEqualTo("10.0.0.1");
        assertThat(server.port()).isEqualTo(8001);
    }

    @Test
    void overridesAndAddsRegions() throws IOException {
        Path file = Files.writeString(dir.resolve("config.toml"), """
                [regions.eu-west]
                backend = "s3"
                bucket = "from-file"
                """);

        LodestoneConfig c = ConfigLoader.load(file, Map.of(
                "LODESTONE_REGIONS_EU_WEST_BUCKET", "from-env",
                "LODESTONE_REGIONS_EU_WEST_REGION", "eu-west-1",
                "LODESTONE_REGIONS_EU_WEST_PATH_STYLE", "true",
                "LODESTONE_REGIONS_US_EAST_BACKEND", "s3",
                "LODESTONE_REGIONS_US_EAST_BUCKET", "us-bucket",
                "LODESTONE_REGIONS_US_EAST_ENDPOINT", "https://s3.example.com",
                "LODESTONE_REGIONS_US_EAST_ACCESS_KEY_ID", "AKID",
                "LODESTONE_REGIONS_US_EAST_SECRET_ACCESS_KEY", "SECRET"));

        assertThat(c.regions()).containsOnlyKeys("eu-west", "us-east");
        StorageConfig eu = c.regions().get("eu-west");
        assertThat(eu.bucket()).contains("from-env");
        assertThat(eu.region()).contains("eu-west-1");
        assertThat(eu.pathStyle()).isTrue();
        StorageConfig us = c.regions().get("us-east");
        assertThat(us.backend()).isEqualTo(StorageConfig.Backend.S3);
        assertThat(us.bucket()).contains("us-bucket");
        assertThat(us.endpoint()).contains("https://s3.example.com");
        assertThat(us.accessKeyId()).contains("AKID");
        assertThat(us.secretAccessKey()).contains("SECRET");
    }

    @Test
    void leavesOtherVariablesAndEmptyValuesAlone() {
        LodestoneConfig c = load(Map.of(
                "LODESTONE_JAVA_OPTS", "-Xmx1g",
                "LODESTONE_SERVERPORT", "1",
                "LODESTONE_SERVER_", "1",
                "LODESTONE_SERVER_PORT", "",
                "PATH", "/usr/bin",
                "lodestone_server_port", "1"));

        assertThat(c).isEqualTo(LodestoneConfig.defaults());
    }

    @Test
    void namesTheVariableWhenItsValueIsWrong() {
        assertThatThrownBy(() -> load(Map.of("LODESTONE_SERVER_PORT", "80a")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("LODESTONE_SERVER_PORT: server.port must be an integer; got \"80a\"");
        assertThatThrownBy(() -> load(Map.of("LODESTONE_SERVER_PORT", "99999999999999999999")))
                .hasMessage("LODESTONE_SERVER_PORT: server.port must be in [0, 65535]; got \"99999999999999999999\"");
        assertThatThrownBy(() -> load(Map.of("LODESTONE_BATCHING_GROUP_COMMIT_WINDOW_MS", "-1")))
                .hasMessage("LODESTONE_BATCHING_GROUP_COMMIT_WINDOW_MS: batching.group_commit_window_ms "
                        + "must be in [0, 10000]; got \"-1\"");
        assertThatThrownBy(() -> load(Map.of("LODESTONE_AUTH_ENABLED", "yes")))
                .hasMessage("LODESTONE_AUTH_ENABLED: auth.enabled must be true or false; got \"yes\"");
        assertThatThrownBy(() -> load(Map.of("LODESTONE_CACHE_DISK_BYTES", "10 GiBs")))
                .hasMessage("LODESTONE_CACHE_DISK_BYTES: cache.disk_bytes must be a size in bytes "
                        + "(an integer, or a string such as \"64MiB\"); got \"10 GiBs\"");
        assertThatThrownBy(() -> load(Map.of("LODESTONE_STORAGE_BACKEND", "gcs")))
                .hasMessage("LODESTONE_STORAGE_BACKEND: storage.backend must be one of \"local\", \"s3\", \"memory\"; "
                        + "got \"gcs\"");
    }

    @Test
    void anUnknownKeyInAKnownSectionIsAnError() {
        assertThatThrownBy(() -> load(Map.of("LODESTONE_SERVER_PROT", "9090")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("LODESTONE_SERVER_PROT: unknown key 'prot' in [server]; known keys: host, port, "
                        + "request_timeout_seconds, idle_timeout_seconds, max_body_bytes, query_threads, max_queued_queries, warm_up");
        assertThatThrownBy(() -> load(Map.of("LODESTONE_REGIONS_EU_BUCKETS", "b")))
                .hasMessage("LODESTONE_REGIONS_EU_BUCKETS: expected LODESTONE_REGIONS_<NAME>_<KEY> where <KEY> "
                        + "is one of BACKEND, PATH, BUCKET, PREFIX, ENDPOINT, REGION, ACCESS_KEY_ID, SECRET_ACCESS_KEY, "
                        + "PATH_STYLE, MAX_ATTEMPTS, RETRY_BASE_MS, RETRY_MAX_WAIT_MS, RETRY_BUDGET_MS, READ_TIMEOUT_MS, "
                        + "MULTIPART_THRESHOLD, MULTIPART_PART_SIZE");
    }
}
