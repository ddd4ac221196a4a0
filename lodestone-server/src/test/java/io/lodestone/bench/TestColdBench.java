package io.lodestone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench cold} end to end on a tiny synthetic namespace (S3Proxy and the proxy for real, no latency):
 * it prints a load line and one line per query kind whose counts hang together, and refuses bad options.
 */
class TestColdBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void measuresTheFirstAnswersAndTheWarmQueries(@TempDir Path tmp) throws Exception {
        var out = new StringWriter();
        int status = new CommandLine(new ColdBench()).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                .execute("--synthetic", "200x8", "--queries", "3", "--latency-ms", "0", "--consistency", "eventual",
                        "--tmp", tmp.toString());
        assertThat(status).as("%s", out).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) lines.add(JSON.readTree(line));
        assertThat(lines).extracting(l -> l.get("phase").asText()).containsExactly("load", "ann", "bm25");

        JsonNode load = lines.get(0);
        assertThat(load.get("rows").asInt()).isEqualTo(200);
        assertThat(load.get("segments").asInt()).isPositive();
        assertThat(load.get("namespace_bytes").asLong()).isGreaterThan(200L * 8 * 4); // the vectors at least
        assertThat(load.get("namespace_bytes_by_part").has("wal")).isFalse(); // folded and collected

        for (JsonNode phase : lines.subList(1, 3)) {
            JsonNode first = phase.get("first_answer");
            assertThat(first.get("requests").asLong()).isPositive();
            assertThat(first.get("sequential_round_trips").asLong()).isBetween(1L, first.get("requests").asLong());
            assertThat(first.get("bytes_read").asLong()).isPositive();
            assertThat(first.get("requests_by_method").get("GET").asLong()).isPositive();
            assertThat(phase.get("warm").get("queries").asInt()).isEqualTo(3);
            assertThat(phase.get("warm").get("p99_ms").asDouble())
                    .isGreaterThanOrEqualTo(phase.get("warm").get("p50_ms").asDouble());
            assertThat(phase.get("cache").get("dir_apparent_bytes").asLong()).isPositive();
            assertThat(phase.get("rss_bytes").asLong()).isPositive();
        }
        assertThat(lines.get(1).get("recall_at_10").asDouble()).isGreaterThanOrEqualTo(0.9);
    }

    /** {@code --keep-bucket}: the second run finds the namespace the first loaded and measures it without loading. */
    @Test
    void aKeptBucketIsLoadedOnceAndRefusedForOtherData(@TempDir Path tmp) throws Exception {
        Path bucket = tmp.resolve("bucket");
        List<JsonNode> first = run(tmp, "--synthetic", "200x8", "--keep-bucket", bucket.toString());
        List<JsonNode> second = run(tmp, "--synthetic", "200x8", "--keep-bucket", bucket.toString());
        assertThat(first.get(0).has("reused")).isFalse();
        assertThat(second.get(0).get("reused").asBoolean()).isTrue();
        assertThat(second.get(0).get("namespace_bytes")).isEqualTo(first.get(0).get("namespace_bytes"));
        assertThat(second.get(1).get("recall_at_10").asDouble()).isEqualTo(first.get(1).get("recall_at_10").asDouble());

        var out = new StringWriter();
        var err = new StringWriter();
        int status = new CommandLine(new ColdBench()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("--synthetic", "300x8", "--queries", "3", "--latency-ms", "0", "--keep-bucket", bucket.toString(),
                        "--tmp", tmp.toString());
        assertThat(status).as("%s", err).isEqualTo(2);
        assertThat(err.toString()).contains("holds 'synthetic 200x8");
    }

    private static List<JsonNode> run(Path tmp, String... options) throws Exception {
        var out = new StringWriter();
        List<String> args = new ArrayList<>(List.of("--queries", "3", "--latency-ms", "0", "--consistency", "eventual",
                "--tmp", tmp.toString()));
        args.addAll(List.of(options));
        int status = new CommandLine(new ColdBench()).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                .execute(args.toArray(String[]::new));
        assertThat(status).as("%s", out).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) lines.add(JSON.readTree(line));
        return lines;
    }

    @Test
    void aColdClusteredQueryNeedsThreeRoundTripsAfterTheFreshnessCheck(@TempDir Path tmp) throws Exception {
        var out = new StringWriter();
        int status = new CommandLine(new ColdBench()).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                .execute("--synthetic", "60000x4", "--queries", "20", "--latency-ms", "50", "--consistency", "eventual",
                        "--index", "clustered", "--ef", "32", "--tmp", tmp.toString());
        assertThat(status).as("%s", out).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) lines.add(JSON.readTree(line));
        assertThat(lines.get(0).get("index").asText()).isEqualTo("clustered");
        JsonNode ann = lines.get(1);
        assertThat(ann.get("index").asText()).isEqualTo("clustered");
        // catalog, manifest listing, manifest; then segment ends, probed postings, reranked rows. The docs file's
        // ids (60,000 rows of 9 bytes: 540 KB) outgrow the fixed 512 KiB end, yet arrive with the first read:
        // the manifest says how much of each file's end an open reads. With 50 ms per request a round trip is
        // what waited for an answer, not a batch's requests that merely started late on a busy machine.
        assertThat(ann.get("first_answer").get("sequential_round_trips").asLong()).isLessThanOrEqualTo(6);
        assertThat(ann.get("recall_at_10").asDouble()).isGreaterThanOrEqualTo(0.9);
    }

    /**
     * With {@code --server} the cold phases query a server process of their own over HTTP: the same answers (recall),
     * and the resident set is that process's, split into anonymous memory and mapped files.
     */
    @Test
    void measuresAServerProcessOverHttp(@TempDir Path tmp) throws Exception {
        var out = new StringWriter();
        int status = new CommandLine(new ColdBench()).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                .execute("--synthetic", "300x8", "--queries", "5", "--latency-ms", "0", "--server", "--server-heap", "256m",
                        "--consistency", "eventual", "--tmp", tmp.toString());
        assertThat(status).as("%s", out).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) lines.add(JSON.readTree(line));
        assertThat(lines).extracting(l -> l.get("phase").asText()).containsExactly("load", "ann", "bm25");
        for (JsonNode phase : lines.subList(1, 3)) {
            assertThat(phase.get("answered_by").asText()).isEqualTo("server process over HTTP");
            assertThat(phase.get("first_answer").get("requests").asLong()).isPositive();
            assertThat(phase.get("warm").get("queries").asInt()).isEqualTo(5);
            assertThat(phase.get("server_max_heap").asText()).isEqualTo("256m");
            long rss = phase.get("rss_bytes").asLong();
            assertThat(phase.get("rss_anon_bytes").asLong()).isPositive().isLessThanOrEqualTo(rss);
            assertThat(phase.get("rss_file_bytes").asLong()).isLessThanOrEqualTo(rss - phase.get("rss_anon_bytes").asLong());
        }
        assertThat(lines.get(1).get("recall_at_10").asDouble()).isGreaterThanOrEqualTo(0.9);
        // Warm eventual text queries on a namespace the first answer brought in whole ask the store nothing: not for
        // freshness, and not for the namespace's region (the default tenant has one region; no placement read).
        assertThat(lines.get(2).get("warm").get("requests").asLong()).isZero();
    }

    @Test
    void refusesAmbiguousOrMalformedData() {
        assertThat(run("--synthetic", "100x8", "--dataset", "/nonexistent")).contains("exactly one of --dataset");
        assertThat(run("--synthetic", "100by8")).contains("--synthetic must be ROWSxDIMS");
        assertThat(run("--synthetic", "5x8")).contains("at least 10 rows");
        assertThat(run("--synthetic", "100x8", "--rows", "50")).contains("--rows applies to --dataset");
        assertThat(run("--synthetic", "100x8", "--disk-bytes", "lots")).contains("--disk-bytes");
        assertThat(run("--synthetic", "100x8", "--consistency", "sometimes")).contains("strong or eventual");
        assertThat(run("--synthetic", "100x8", "--index", "ivf")).contains("--index must be one of");
    }

    /** Runs the command expecting a usage error (status 2); returns what it printed on stderr. */
    private static String run(String... args) {
        var err = new StringWriter();
        int status = new CommandLine(new ColdBench()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
                .execute(args);
        assertThat(status).as("%s", err).isEqualTo(2);
        return err.toString();
    }
}
