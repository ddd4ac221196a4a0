package io.lodestone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.config.ConfigLoader;
import io.lodestone.http.HttpJson;
import io.lodestone.http.LodestoneServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lodestone admin ...} against a real server with auth on: what it prints and its exit codes. */
class TestAdminCli {
    private static final String OPERATOR = "cli-operator-key-0123456789abcdef0123456789";

    /** Exit code and what the command printed to stdout and stderr. */
    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return HttpJson.MAPPER.readTree(out);
        }
    }

    static Run admin(String url, String key, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            String[] full = new String[args.length + 5];
            full[0] = "admin";
            full[1] = "--url";
            full[2] = url;
            full[3] = "--key";
            full[4] = key;
            System.arraycopy(args, 0, full, 5, args.length);
            int exit = LodestoneCli.commandLine().execute(full);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void aConfigurationProblemIsItsMessageAndExitCode2(@TempDir Path root) {
        PrintStream err = System.err;
        java.io.StringWriter text = new java.io.StringWriter();
        CommandLine cli = LodestoneCli.commandLine();
        cli.setErr(new java.io.PrintWriter(text, true));
        java.nio.file.Path config = root.resolve("config.toml");
        try {
            java.nio.file.Files.writeString(config, "[server]\nport = \"eighty\"\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int exit = cli.execute("serve", "--config", config.toString());
        assertThat(exit).isEqualTo(LodestoneCli.CONFIG_ERROR);
        assertThat(text.toString()).startsWith("lodestone: ").contains("server.port must be an integer").doesNotContain("\tat ");
        assertThat(System.err).isSameAs(err);
    }

    @Test
    void managesTenantsAndKeysOfARunningServer(@TempDir Path root) throws Exception {
        Map<String, String> env = Map.of("LODESTONE_SERVER_PORT", "0", "LODESTONE_AUTH_ENABLED", "true",
                "LODESTONE_AUTH_ADMIN_KEY", OPERATOR, "LODESTONE_STORAGE_PATH", root.resolve("data").toString(),
                "LODESTONE_CACHE_DISK_PATH", root.resolve("cache").toString(), "LODESTONE_SERVER_WARM_UP", "false");
        try (LodestoneServer server = LodestoneServer.start(ConfigLoader.load(null, env))) {
            String url = "http://127.0.0.1:" + server.port();
            Run created = admin(url, OPERATOR, "tenant", "create", "cli", "--quota", "max_rows=5", "--quota", "max_top_k=7");
            assertThat(created.exit()).as(created.err()).isZero();
            assertThat(created.json().get("quotas").get("max_rows").asLong()).isEqualTo(5);

            Run key = admin(url, OPERATOR, "key", "create", "cli", "--scope", "read_only", "--namespace-prefix", "docs");
            assertThat(key.exit()).isZero();
            String id = key.json().get("id").asText();
            assertThat(key.json().get("key").asText()).startsWith("lsk_" + id + "_");

            Run listed = admin(url, OPERATOR, "key", "list", "cli");
            assertThat(listed.json().get("keys").get(0).get("scope").asText()).isEqualTo("read_only");
            assertThat(listed.out()).doesNotContain(key.json().get("key").asText());

            Run updated = admin(url, OPERATOR, "tenant", "update", "cli", "--quota", "max_rows=none");
            assertThat(updated.json().get("quotas").has("max_rows")).isFalse();
            assertThat(admin(url, OPERATOR, "tenant", "usage", "cli").json().get("namespaces").asInt()).isZero();
            assertThat(admin(url, OPERATOR, "key", "revoke", "cli", id).exit()).isZero();
            assertThat(admin(url, OPERATOR, "audit").out()).contains("key.revoke");

            Run refused = admin(url, "lsk_0000000000000000_" + "A".repeat(43), "tenant", "list");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("invalid API key");
            assertThat(admin(url, OPERATOR, "tenant", "delete", "cli").exit()).isZero();
            assertThat(admin(url, OPERATOR, "tenant", "get", "cli").exit()).isEqualTo(1);
        }
    }
}
