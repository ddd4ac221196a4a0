package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official turbopuffer TypeScript client ({@code @turbopuffer/turbopuffer}) with {@code compression: true}
 * against an in-process server: its write body is gzip-compressed, and the write and the queries must succeed.
 * The client is installed once into {@code target/ts-client} (later runs reuse it). Node and npm are required:
 * the test fails, not skips, without them.
 */
class TestTypeScriptClient {
    /** The client version this test pins. */
    static final String CLIENT_VERSION = "2.8.0";
    private static final Path INSTALL_DIR = Path.of("target", "ts-client").toAbsolutePath();

    @TempDir
    Path root;

    @Test
    void compressedWritesAndQueriesSucceed() throws Exception {
        Path script = install();
        try (InProcessServer server = InProcessServer.start(root)) {
            ProcessBuilder pb = new ProcessBuilder("node", script.toString(), "ts-client-gzip")
                    .directory(INSTALL_DIR.toFile())
                    .redirectErrorStream(true);
            pb.environment().put("TURBOPUFFER_BASE_URL", server.baseUrl());
            pb.environment().put("TURBOPUFFER_API_KEY", "lodestone-test");
            pb.environment().remove("TURBOPUFFER_REGION");
            Result r = run(pb, 120);
            assertThat(r.exitCode()).as("node client output:\n%s", r.output()).isZero();
            JsonNode out = Json.parse(r.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
            assertThat(out.path("encodings").get(0).asText()).as("the write body went out gzip-compressed").isEqualTo("gzip");
            assertThat(out.path("nearest").get(0).asInt()).isEqualTo(123);
            assertThat(out.path("bm25_top").get(0).asInt()).isEqualTo(77);

            Json.Response count = server.http().post("/v2/namespaces/ts-client-gzip/query",
                    Json.obj("aggregate_by", Json.obj("n", List.of("Count"))));
            assertThat(count.json().path("aggregations").path("n").asInt()).as("%s", count).isEqualTo(300);
        }
    }

    /** Installs the pinned client (once) and copies the script next to its node_modules; returns the script. */
    private static Path install() throws Exception {
        Path pkg = INSTALL_DIR.resolve("node_modules/@turbopuffer/turbopuffer/package.json");
        if (!Files.exists(pkg) || !Files.readString(pkg).contains("\"version\": \"" + CLIENT_VERSION + "\"")) {
            Files.createDirectories(INSTALL_DIR);
            Result r;
            try {
                r = run(new ProcessBuilder("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                        INSTALL_DIR.toString(), "@turbopuffer/turbopuffer@" + CLIENT_VERSION).redirectErrorStream(true), 300);
            } catch (IOException e) {
                throw new AssertionError("this test needs node (20+) and npm on the PATH to run the official turbopuffer"
                        + " TypeScript client; could not start npm: " + e.getMessage(), e);
            }
            assertThat(r.exitCode()).as("npm install @turbopuffer/turbopuffer@%s:\n%s", CLIENT_VERSION, r.output()).isZero();
        }
        Path script = INSTALL_DIR.resolve("compression.mjs");
        try (InputStream in = TestTypeScriptClient.class.getResourceAsStream("/ts-client/compression.mjs")) {
            assertThat(in).as("test resource ts-client/compression.mjs").isNotNull();
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            run(new ProcessBuilder("node", "--version"), 30);
        } catch (IOException e) {
            throw new AssertionError("this test needs node (20+) on the PATH; could not start node: " + e.getMessage(), e);
        }
        return script;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(ProcessBuilder pb, int timeoutSeconds) throws IOException, InterruptedException {
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[][] output = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                output[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                output[0] = ("(output unreadable: " + e + ")").getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join();
            throw new AssertionError(String.join(" ", pb.command()) + " did not finish within " + timeoutSeconds + " s:\n"
                    + new String(output[0], StandardCharsets.UTF_8));
        }
        reader.join();
        return new Result(p.exitValue(), new String(output[0], StandardCharsets.UTF_8));
    }
}
