package io.lodestone.e2e;

import io.lodestone.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.lodestone.e2e.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code [tls]}: the server port speaks HTTPS with a certificate and key read from PEM files (made here with
 * keytool), plain HTTP to it gets a closed connection, and start-up refuses files that are missing, unreadable or
 * do not belong together, naming the key.
 */
class TestTls {
    private static final int LIVENESS_MS = 30_000;

    @TempDir
    static Path root;
    static SelfSignedCertificate ec;
    static SelfSignedCertificate otherEc;
    static SelfSignedCertificate rsa;
    static InProcessServer server;
    static Json.Http https;

    @BeforeAll
    static void start() {
        Path certs = root.resolve("certs");
        try {
            Files.createDirectories(certs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ec = SelfSignedCertificate.generate(certs, "server", "EC");
        otherEc = SelfSignedCertificate.generate(certs, "other", "EC");
        rsa = SelfSignedCertificate.generate(certs, "rsa", "RSA");
        server = InProcessServer.start(root.resolve("server"), tls(ec.certPem(), ec.keyPem()));
        https = new Json.Http(server.baseUrl(), Duration.ofSeconds(60), ec.trustingContext());
    }

    @AfterAll
    static void stop() {
        if (https != null) https.close();
        if (server != null) server.close();
    }

    private static Map<String, String> tls(Path cert, Path key) {
        Map<String, String> env = new HashMap<>();
        env.put("LODESTONE_TLS_ENABLED", "true");
        env.put("LODESTONE_TLS_CERT_PATH", cert.toString());
        env.put("LODESTONE_TLS_KEY_PATH", key.toString());
        return env;
    }

    @Test
    void anHttpsClientWritesAndQueriesANamespace() {
        assertThat(server.baseUrl()).startsWith("https://");
        Json.Response write = https.post("/v2/namespaces/over-tls", obj("distance_metric", "euclidean_squared",
                "upsert_rows", List.of(obj("id", 1, "vector", List.of(1, 0), "title", "one"),
                        obj("id", 2, "vector", List.of(0, 1), "title", "two"))));
        assertThat(write.status()).as("%s", write).isEqualTo(200);

        Json.Response query = https.post("/v2/namespaces/over-tls/query",
                obj("rank_by", List.of("vector", "ANN", List.of(0.1, 0.9)), "top_k", 1, "include_attributes", List.of("title")));

        assertThat(query.status()).as("%s", query).isEqualTo(200);
        assertThat(query.json().path("rows")).hasSize(1);
        assertThat(query.json().path("rows").get(0).path("id").asInt()).isEqualTo(2);
        assertThat(query.json().path("rows").get(0).path("title").asText()).isEqualTo("two");
    }

    @Test
    void plainHttpToTheTlsPortIsClosedPromptly() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(LIVENESS_MS);
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // The server may send a TLS alert record before closing; it never answers in HTTP, and never hangs
            // (a read timeout would throw SocketTimeoutException and fail the test).
            String answer = readUntilClosed(socket.getInputStream());

            assertThat(answer).doesNotContain("HTTP/1.1");
        }
    }

    @Test
    void aConnectionThatNeverHandshakesIsClosedAfterTheIdleTimeoutButAnotherOutlivesIt() throws Exception {
        Map<String, String> env = tls(ec.certPem(), ec.keyPem());
        env.put("LODESTONE_SERVER_IDLE_TIMEOUT_SECONDS", "2");
        try (InProcessServer shortIdle = InProcessServer.start(root.resolve("short-idle"), env);
             Socket silent = new Socket("127.0.0.1", shortIdle.port());
             SSLSocket talking = (SSLSocket) ec.trustingContext().getSocketFactory()
                     .createSocket("127.0.0.1", shortIdle.port())) {
            silent.setSoTimeout(LIVENESS_MS);
            talking.setSoTimeout(LIVENESS_MS);
            long start = System.nanoTime();

            // Requests 1.2 s apart keep the connection busy enough for the idle check (2 s) and run past the
            // handshake deadline (2 s after accept), which must leave a negotiated connection alone.
            for (int request = 0; request < 3; request++) {
                if (request > 0) Thread.sleep(1_200);
                talking.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                RawHttp.Response health = RawHttp.read(talking.getInputStream());
                assertThat(health).as("request %d on one TLS connection", request + 1).isNotNull();
                assertThat(health.status()).isEqualTo(200);
            }
            String sentToSilent = readUntilClosed(silent.getInputStream());
            long closedAfterMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(sentToSilent).doesNotContain("HTTP/1.1");
            assertThat(closedAfterMs).as("closed after the 2 s idle timeout, not at once").isGreaterThanOrEqualTo(1_500);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        try (Json.Http untrusting = new Json.Http(server.baseUrl(), Duration.ofSeconds(30))) {
            assertThatThrownBy(() -> untrusting.get("/health"))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void anRsaCertificateServesToo() {
        try (InProcessServer rsaServer = InProcessServer.start(root.resolve("rsa-server"), tls(rsa.certPem(), rsa.keyPem()));
             Json.Http client = new Json.Http(rsaServer.baseUrl(), Duration.ofSeconds(30), rsa.trustingContext())) {
            Json.Response health = client.get("/health");
            assertThat(health.status()).as("%s", health).isEqualTo(200);
        }
    }

    @Test
    void startUpRefusesMissingFilesNamingTheKey() {
        Path missing = root.resolve("certs/missing.pem");

        assertRefused(tls(missing, ec.keyPem()), "tls.cert_path: " + missing + " does not exist");
        assertRefused(tls(ec.certPem(), missing), "tls.key_path: " + missing + " does not exist");
        assertRefused(tls(root.resolve("certs"), ec.keyPem()), "tls.cert_path: " + root.resolve("certs")
                + " is not a regular file");
    }

    @Test
    void startUpRefusesAKeyThatIsNotTheCertificates() {
        assertRefused(tls(ec.certPem(), otherEc.keyPem()), "tls.key_path: the private key in " + otherEc.keyPem()
                + " does not match the certificate in " + ec.certPem());
        assertRefused(tls(ec.certPem(), rsa.keyPem()), "tls.key_path: the private key in " + rsa.keyPem()
                + " does not match the certificate in " + ec.certPem());
    }

    @Test
    void startUpRefusesFilesWithoutACertificateOrAKey() throws IOException {
        Path notPem = Files.writeString(root.resolve("certs/not-pem.txt"), "hello\n");
        Path pkcs1 = Files.writeString(root.resolve("certs/pkcs1.pem"),
                SelfSignedCertificate.pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
        Path twoKeys = Files.writeString(root.resolve("certs/two-keys.pem"),
                Files.readString(ec.keyPem()) + Files.readString(otherEc.keyPem()));
        Path badCert = Files.writeString(root.resolve("certs/bad-cert.pem"),
                SelfSignedCertificate.pem("CERTIFICATE", new byte[] {1, 2, 3}));

        assertRefused(tls(notPem, ec.keyPem()), "tls.cert_path: " + notPem + " holds no PEM certificate");
        assertRefused(tls(ec.keyPem(), ec.keyPem()), "tls.cert_path: " + ec.keyPem() + " holds no PEM certificate");
        assertRefused(tls(badCert, ec.keyPem()), "tls.cert_path: certificate 1 in " + badCert
                + " is not a valid X.509 certificate");
        assertRefused(tls(ec.certPem(), ec.certPem()), "tls.key_path: " + ec.certPem() + " holds no PEM private key");
        assertRefused(tls(ec.certPem(), pkcs1), "tls.key_path: " + pkcs1 + " holds a key in another format"
                + " (-----BEGIN RSA PRIVATE KEY-----); this server reads unencrypted PKCS#8");
        assertRefused(tls(ec.certPem(), twoKeys), "tls.key_path: " + twoKeys + " holds 2 private keys");
    }

    /** Start-up fails with a ConfigException whose message starts with {@code message}, before storage opens. */
    private static void assertRefused(Map<String, String> tls, String message) {
        Path dir = root.resolve("refused");
        assertThatThrownBy(() -> InProcessServer.start(dir, tls).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
        assertThat(dir.resolve("data")).as("nothing is written when start-up is refused").doesNotExist();
    }

    /** Everything the server sends until it closes the connection (a reset counts as closed). */
    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            // reset by the server: closed
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }
}
