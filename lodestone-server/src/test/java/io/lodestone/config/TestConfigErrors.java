package io.lodestone.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TestConfigErrors {

    @TempDir
    Path dir;

    private Path file;

    /** Loads {@code toml} and returns the message of the ConfigException it must raise. */
    private String error(String toml) throws IOException {
        file = Files.writeString(dir.resolve("config.toml"), toml);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.getMessage();
    }

    @Test
    void anUnknownKeyIsNamedWithTheKnownKeys() throws IOException {
        assertThat(error("""
                [server]
                prot = 8080
                """)).isEqualTo(file + ": unknown key 'prot' in [server]; known keys: host, port, "
                + "request_timeout_seconds, idle_timeout_seconds, max_body_bytes, query_threads, max_queued_queries, warm_up");
    }

    @Test
    void anUnknownSectionIsNamedWithTheKnownSections() throws IOException {
        assertThat(error("""
                [sever]
                port = 8080
                """)).isEqualTo(file + ": unknown section [sever]; known sections: server, limits, batching, "
                + "indexing, storage, cache, compactor, auth, tls, cors, regions");
    }

    @Test
    void anUnknownIndexTypeIsRefused() throws IOException {
        assertThat(error("""
                [indexing]
                index_type = "ivf"
                """)).contains("index_type", "auto, hnsw, clustered", "ivf");
    }

    @Test
    void aKeyOutsideAnySectionIsNamed() throws IOException {
        assertThat(error("port = 8080\n")).isEqualTo(file + ": unknown key 'port' outside any section; "
                + "known sections: server, limits, batching, indexing, storage, cache, compactor, auth, tls, cors, regions");
    }

    @Test
    void storageRetryAndMultipartKeysAreCheckedTogether() throws IOException {
        assertThat(error("""
                [storage]
                retry_base_ms = 500
                retry_max_wait_ms = 100
                multipart_part_size = "32MiB"
                multipart_threshold = "16MiB"
                max_attempts = 0
                """)).contains(file + ": storage.max_attempts must be in [1, 100]; got 0")
                .contains(file + ": storage.retry_max_wait_ms must be at least storage.retry_base_ms (500); got 100")
                .contains(file + ": storage.multipart_threshold must be at least storage.multipart_part_size (33554432)"
                        + " and at most 5GiB (S3's largest single PUT); got 16777216");
        assertThat(error("""
                [storage]
                multipart_part_size = "4MiB"
                """)).contains("storage.multipart_part_size must be");
    }

    @Test
    void storageTuningReachesTheConfig() throws IOException {
        file = Files.writeString(dir.resolve("config.toml"), """
                [storage]
                max_attempts = 9
                read_timeout_ms = 1500
                multipart_threshold = "100MiB"
                """);
        var tuning = ConfigLoader.load(file, Map.of("LODESTONE_STORAGE_RETRY_BUDGET_MS", "4000")).storage().tuning();
        assertThat(tuning.maxAttempts()).isEqualTo(9);
        assertThat(tuning.readTimeout()).isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(tuning.retryBudget()).isEqualTo(java.time.Duration.ofMillis(4000));
        assertThat(tuning.multipartThreshold()).isEqualTo(100L << 20);
        assertThat(tuning.partSize()).isEqualTo(16L << 20);
    }

    @Test
    void aSectionMustBeATable() throws IOException {
        assertThat(error("server = 5\n")).isEqualTo(file + ": server must be a table ([server]); got 5");
        assertThat(error("regions = { eu = \"b\" }\n"))
                .isEqualTo(file + ": regions.eu must be a table ([regions.eu]); got \"b\"");
    }

    @Test
    void aNestedTableInASectionIsAnUnknownKey() throws IOException {
        assertThat(error("""
                [server.tls]
                enabled = true
                """)).isEqualTo(file + ": unknown key 'tls' in [server]; known keys: host, port, "
                + "request_timeout_seconds, idle_timeout_seconds, max_body_bytes, query_threads, max_queued_queries, warm_up");
    }

    @Test
    void aWrongTypeNamesTheKeyTheTypeAndTheValue() throws IOException {
        assertThat(error("[server]\nport = \"8080\"\n"))
                .isEqualTo(file + ": server.port must be an integer; got \"8080\"");
        assertThat(error("[server]\nport = 80.5\n"))
                .isEqualTo(file + ": server.port must be an integer; got 80.5");
        assertThat(error("[server]\nhost = 127\n"))
                .isEqualTo(file + ": server.host must be a string; got 127");
        assertThat(error("[auth]\nenabled = \"true\"\n"))
                .isEqualTo(file + ": auth.enabled must be true or false; got \"true\"");
        assertThat(error("[auth]\napi_keys = [\"k1\"]\n"))
                .startsWith(file + ": unknown key 'api_keys' in [auth]");
        assertThat(error("[cache]\nmemory_bytes = true\n"))
                .isEqualTo(file + ": cache.memory_bytes must be a size in bytes (an integer, or a string such as "
                        + "\"64MiB\"); got true");
        assertThat(error("[cache]\nmemory_bytes = \"1 gigabyte\"\n"))
                .isEqualTo(file + ": cache.memory_bytes must be a size in bytes (an integer, or a string such as "
                        + "\"64MiB\"); got \"1 gigabyte\"");
        assertThat(error("[storage]\nbackend = \"gcs\"\n"))
                .isEqualTo(file + ": storage.backend must be one of \"local\", \"s3\", \"memory\"; got \"gcs\"");
        assertThat(error("[storage]\nbackend = \"S3\"\n"))
                .isEqualTo(file + ": storage.backend must be one of \"local\", \"s3\", \"memory\"; got \"S3\"");
    }

    @Test
    void aValueOutOfRangeNamesTheRange() throws IOException {
        assertThat(error("[server]\nport = 70000\n"))
                .isEqualTo(file + ": server.port must be in [0, 65535]; got 70000");
        assertThat(error("[server]\nport = -1\n"))
                .isEqualTo(file + ": server.port must be in [0, 65535]; got -1");
        assertThat(error("[server]\nport = 99999999999999999999\n"))
                .isEqualTo(file + ": server.port must be in [0, 65535]; got 99999999999999999999");
        assertThat(error("[server]\nmax_body_bytes = 0\n"))
                .isEqualTo(file + ": server.max_body_bytes must be at least 1; got 0");
        assertThat(error("[cache]\ndisk_bytes = -5\n"))
                .isEqualTo(file + ": cache.disk_bytes must be at least 0; got -5");
        assertThat(error("[limits]\nmax_dimensions = 20000\n"))
                .isEqualTo(file + ": limits.max_dimensions must be in [1, 10752]; got 20000");
        assertThat(error("[limits]\nmax_top_k = 0\n"))
                .isEqualTo(file + ": limits.max_top_k must be at least 1; got 0");
        assertThat(error("[server]\nhost = \" \"\n"))
                .isEqualTo(file + ": server.host must not be empty; got \" \"");
    }

    @Test
    void s3NeedsABucketAndCredentialsComeInPairs() throws IOException {
        assertThat(error("[storage]\nbackend = \"s3\"\n"))
                .isEqualTo(file + ": storage.bucket is required when storage.backend is \"s3\"");
        assertThat(error("[storage]\naccess_key_id = \"AKID\"\n"))
                .isEqualTo(file + ": storage.secret_access_key must be set together with storage.access_key_id");
        assertThat(error("[storage]\nendpoint = \"localhost:9000\"\n"))
                .isEqualTo(file + ": storage.endpoint must be an http or https URL; got \"localhost:9000\"");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("LODESTONE_STORAGE_BACKEND", "s3"), dir.resolve("x")))
                .hasMessage("storage.bucket is required when storage.backend is \"s3\"");
    }

    @Test
    void enabledTlsNeedsBothFiles() throws IOException {
        assertThat(error("[tls]\nenabled = true\n")).isEqualTo("2 configuration problems:\n"
                + "- " + file + ": tls.cert_path is required when tls.enabled is true\n"
                + "- " + file + ": tls.key_path is required when tls.enabled is true");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("LODESTONE_TLS_ENABLED", "true",
                "LODESTONE_TLS_CERT_PATH", "cert.pem"), dir.resolve("x")))
                .hasMessage("tls.key_path is required when tls.enabled is true");
    }

    @Test
    void corsOriginsMethodsAndHeadersAreChecked() throws IOException {
        assertThat(error("[cors]\nallowed_origins = [\"https://app.example.com/\"]\n")).isEqualTo(file
                + ": cors.allowed_origins must list origins as scheme://host[:port] (no path, no trailing /) or \"*\";"
                + " got \"https://app.example.com/\"");
        assertThat(error("[cors]\nallowed_origins = [\"app.example.com\"]\n"))
                .startsWith(file + ": cors.allowed_origins must list origins as scheme://host[:port]");
        assertThat(error("[cors]\nallowed_origins = [\"https://app.example.com:443\"]\n")).isEqualTo(file
                + ": cors.allowed_origins must leave out the default port: browsers send \"https://app.example.com\";"
                + " got \"https://app.example.com:443\"");
        assertThat(error("[cors]\nallowed_origins = [\"*\", \"https://a.example\"]\n")).isEqualTo(file
                + ": cors.allowed_origins lists \"*\" (every origin) with other origins; list \"*\" alone or only origins");
        assertThat(error("[cors]\nallowed_origins = [\"null\"]\n")).isEqualTo(file
                + ": cors.allowed_origins must not list \"null\": sandboxed pages and local files all send it");
        assertThat(error("[cors]\nallowed_methods = [\"get\"]\n")).isEqualTo(file
                + ": cors.allowed_methods must list methods among GET, HEAD, POST, PUT, PATCH, DELETE (upper case);"
                + " got \"get\"");
        assertThat(error("[cors]\nallowed_headers = [\"X Bad\"]\n")).isEqualTo(file
                + ": cors.allowed_headers must list header names (\"*\" is not supported); got \"X Bad\"");
        assertThat(error("[cors]\nmax_age_seconds = 90000\n"))
                .isEqualTo(file + ": cors.max_age_seconds must be in [0, 86400]; got 90000");
    }

    @Test
    void aRegionIsAStorageTargetWithABackendAndKnownKeys() throws IOException {
        assertThat(error("""
                [regions.eu]
                path = "/x"
                """)).isEqualTo(file + ": regions.eu.backend is required in a region (\"local\" or \"s3\")");
        assertThat(error("""
                [regions.eu]
                backend = "s3"
                region = "eu-west-1"
                """)).isEqualTo(file + ": regions.eu.bucket is required when regions.eu.backend is \"s3\"");
        assertThat(error("""
                [regions.eu]
                backend = "s3"
                bucket = "b"
                access_key_id = "AKID"
                """)).isEqualTo(file + ": regions.eu.secret_access_key must be set together with regions.eu.access_key_id");
        assertThat(error("""
                [regions.eu]
                backend = "s3"
                bucket = "b"
                buckett = "c"
                """)).startsWith(file + ": unknown key 'buckett' in [regions.eu]; known keys: backend, path, bucket, prefix,");
    }

    @Test
    void aRegionNameMustBeShortLowerCaseAndNotDefault() throws IOException {
        assertThat(error("""
                [regions.EU]
                backend = "memory"
                """)).isEqualTo(file + ": [regions.EU] region name 'EU' must match [a-z0-9][a-z0-9-]{0,31}"
                + " (lower case letters, digits and '-', at most 32)");
        assertThat(error("[regions.-eu]\nbackend = \"memory\"\n")).contains("region name '-eu' must match");
        assertThat(error("[regions." + "a".repeat(33) + "]\nbackend = \"memory\"\n")).contains("must match");
        assertThat(error("""
                [regions.default]
                backend = "local"
                path = "/elsewhere"
                """)).isEqualTo(file + ": [regions.default] clashes with [storage], which is the region named"
                + " 'default'; configure it there");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("LODESTONE_REGIONS_EU_WEST_BUCKETT", "b"), dir.resolve("x")))
                .hasMessageStartingWith("LODESTONE_REGIONS_EU_WEST_BUCKETT: expected LODESTONE_REGIONS_<NAME>_<KEY> where <KEY> is one of");
    }

    @Test
    void twoRegionsOverOneRootAreRefusedNamingTheKey() throws IOException {
        Path data = dir.resolve("data");
        assertThat(error("""
                [storage]
                path = "%s"

                [regions.eu]
                backend = "local"
                path = "%s/./"
                """.formatted(data, data))).isEqualTo(file + ": regions.eu.path places the region in directory "
                + data.toAbsolutePath() + "/, which shares objects with [storage] (directory " + data.toAbsolutePath()
                + "/): two engines over one root would each serve, cache and count the same namespaces;"
                + " give each region a root of its own");
        assertThat(error("""
                [storage]
                path = "%s"

                [regions.eu]
                backend = "local"
                path = "%s/eu"
                """.formatted(data, data))).contains("regions.eu.path places the region in directory")
                .contains("shares objects with [storage]");
        assertThat(error("""
                [regions.a]
                backend = "s3"
                bucket = "b"
                endpoint = "http://localhost:9000/"
                prefix = "/x/"

                [regions.b]
                backend = "s3"
                bucket = "b"
                endpoint = "http://LOCALHOST:9000"
                prefix = "x"
                """)).isEqualTo(file + ": regions.b.prefix places the region in http://localhost:9000 bucket b prefix x/,"
                + " which shares objects with [regions.a] (http://localhost:9000 bucket b prefix x/): two engines over"
                + " one root would each serve, cache and count the same namespaces; give each region a root of its own");
        assertThat(error("""
                [regions.a]
                backend = "s3"
                bucket = "b"

                [regions.b]
                backend = "s3"
                bucket = "b"
                prefix = "eu"
                """)).contains("regions.b.prefix places the region in AWS bucket b prefix eu/, which shares objects"
                + " with [regions.a] (AWS bucket b (no prefix))");
    }

    @Test
    void regionsWithRootsOfTheirOwnAreAccepted() throws IOException {
        Path data = dir.resolve("data");
        Path file = Files.writeString(dir.resolve("ok.toml"), """
                [storage]
                path = "%s"

                [regions.sibling]
                backend = "local"
                path = "%s2"

                [regions.a]
                backend = "s3"
                bucket = "b"
                prefix = "eu"

                [regions.b]
                backend = "s3"
                bucket = "b"
                prefix = "eu2"

                [regions.c]
                backend = "s3"
                bucket = "b"
                prefix = "eu"
                endpoint = "http://localhost:9000"
                """.formatted(data, data));
        assertThat(ConfigLoader.load(file, Map.of()).regions()).containsOnlyKeys("sibling", "a", "b", "c");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        String message = error("""
                [server]
                prot = 8080
                host = 1

                [limits]
                max_top_k = -1

                [caches]
                memory_bytes = "1GiB"
                """);

        assertThat(message).isEqualTo("4 configuration problems:\n"
                + "- " + file + ": unknown section [caches]; known sections: server, limits, batching, indexing, "
                + "storage, cache, compactor, auth, tls, cors, regions\n"
                + "- " + file + ": server.host must be a string; got 1\n"
                + "- " + file + ": unknown key 'prot' in [server]; known keys: host, port, request_timeout_seconds, "
                + "idle_timeout_seconds, max_body_bytes, query_threads, max_queued_queries, warm_up\n"
                + "- " + file + ": limits.max_top_k must be at least 1; got -1");
    }
}
