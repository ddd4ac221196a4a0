package io.lodestone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lodestone.http.HttpJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code lodestone admin ...}: the admin API from the command line. It talks to a running server
 * ({@code --url}, default http://127.0.0.1:8080) with an admin key ({@code --key} or {@code LODESTONE_API_KEY}),
 * prints the JSON answer, and exits 0 on success and 1 on an error answer.
 */
@Command(name = "admin", description = "Manage tenants and API keys of a running server (see docs/tenancy.md).",
        subcommands = {AdminCommand.Tenant.class, AdminCommand.Key.class, AdminCommand.Audit.class})
public final class AdminCommand {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "server URL (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--key", defaultValue = "${env:LODESTONE_API_KEY}",
            description = "admin API key (default: the LODESTONE_API_KEY environment variable)")
    String key;

    /** Sends one admin request and prints the answer; the exit code says whether it succeeded. */
    int call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(HttpJson.MAPPER.writeValueAsString(body)));
        if (body != null) b.header("Content-Type", "application/json");
        if (key != null && !key.isBlank()) b.header("Authorization", "Bearer " + key);
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String text = r.body();
            try {
                text = HttpJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(HttpJson.MAPPER.readTree(r.body()));
            } catch (IOException notJson) {
                // printed as it came
            }
            (r.statusCode() < 300 ? System.out : System.err).println(text);
            return r.statusCode() < 300 ? 0 : 1;
        }
    }

    /** A tenant body with the quotas and regions the options name. */
    private static ObjectNode settings(String[] quota, String defaultRegion, String[] regions) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("quotas", quotas(quota));
        if (defaultRegion != null) body.put("default_region", defaultRegion);
        if (regions != null) {
            var arr = body.putArray("regions");
            for (String r : regions) arr.add(r);
        }
        return body;
    }

    private static ObjectNode quotas(String[] settings) {
        ObjectNode q = JsonNodeFactory.instance.objectNode();
        if (settings == null) return q;
        for (String s : settings) {
            int eq = s.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--quota takes name=value (value 'none' removes it); got '" + s + "'");
            String v = s.substring(eq + 1);
            if (v.equals("none")) q.putNull(s.substring(0, eq));
            else q.put(s.substring(0, eq), Long.parseLong(v));
        }
        return q;
    }

    /** {@code lodestone admin tenant create|list|get|update|delete|usage}. */
    @Command(name = "tenant", description = "Create, list, show, change and delete tenants; show their usage.")
    static final class Tenant {
        @ParentCommand
        AdminCommand admin;

        @Command(name = "create", description = "Create a tenant.")
        int create(@Parameters(paramLabel = "NAME") String name,
                   @Option(names = "--quota", paramLabel = "NAME=VALUE", description = "a quota, e.g. max_namespaces=10") String[] quota,
                   @Option(names = "--default-region") String defaultRegion,
                   @Option(names = "--region", description = "an allowed region (repeatable)") String[] regions) throws Exception {
            return admin.call("POST", "/v1/admin/tenants", settings(quota, defaultRegion, regions).put("name", name));
        }

        @Command(name = "list", description = "List tenants.")
        int list() throws Exception {
            return admin.call("GET", "/v1/admin/tenants?page_size=1000", null);
        }

        @Command(name = "get", description = "Show a tenant.")
        int get(@Parameters(paramLabel = "NAME") String name) throws Exception {
            return admin.call("GET", "/v1/admin/tenants/" + name, null);
        }

        @Command(name = "update", description = "Change a tenant's quotas or regions.")
        int update(@Parameters(paramLabel = "NAME") String name,
                   @Option(names = "--quota", paramLabel = "NAME=VALUE", description = "set a quota; VALUE 'none' removes it") String[] quota,
                   @Option(names = "--default-region") String defaultRegion,
                   @Option(names = "--region", description = "an allowed region (repeatable; replaces the list)") String[] regions) throws Exception {
            return admin.call("PATCH", "/v1/admin/tenants/" + name, settings(quota, defaultRegion, regions));
        }

        @Command(name = "delete", description = "Delete a tenant: revoke its keys and delete its namespaces.")
        int delete(@Parameters(paramLabel = "NAME") String name) throws Exception {
            return admin.call("DELETE", "/v1/admin/tenants/" + name, null);
        }

        @Command(name = "usage", description = "Show a tenant's usage and quotas.")
        int usage(@Parameters(paramLabel = "NAME") String name) throws Exception {
            return admin.call("GET", "/v1/admin/tenants/" + name + "/usage", null);
        }
    }

    /** {@code lodestone admin key create|list|revoke}. */
    @Command(name = "key", description = "Create, list and revoke a tenant's API keys.")
    static final class Key {
        @ParentCommand
        AdminCommand admin;

        @Command(name = "create", description = "Create a key; it is printed once and cannot be shown again.")
        int create(@Parameters(paramLabel = "TENANT") String tenant,
                   @Option(names = "--scope", required = true, description = "admin, read_write or read_only") String scope,
                   @Option(names = "--namespace-prefix", description = "limit the key to namespaces starting with this") String prefix,
                   @Option(names = "--expires-at", description = "RFC 3339 time, e.g. 2027-01-31T00:00:00Z") String expiresAt) throws Exception {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("scope", scope);
            if (prefix != null) body.put("namespace_prefix", prefix);
            if (expiresAt != null) body.put("expires_at", expiresAt);
            return admin.call("POST", "/v1/admin/tenants/" + tenant + "/keys", body);
        }

        @Command(name = "list", description = "List a tenant's keys (never their secrets).")
        int list(@Parameters(paramLabel = "TENANT") String tenant) throws Exception {
            return admin.call("GET", "/v1/admin/tenants/" + tenant + "/keys", null);
        }

        @Command(name = "revoke", description = "Revoke a key by its id.")
        int revoke(@Parameters(paramLabel = "TENANT") String tenant, @Parameters(paramLabel = "KEY_ID") String id) throws Exception {
            return admin.call("DELETE", "/v1/admin/tenants/" + tenant + "/keys/" + id, null);
        }
    }

    /** {@code lodestone admin audit}. */
    @Command(name = "audit", description = "Show the audit log of admin actions, oldest first.")
    static final class Audit implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Option(names = "--cursor", description = "continue after this entry id") String cursor;

        @Override
        public Integer call() throws Exception {
            return admin.call("GET", "/v1/admin/audit?page_size=1000" + (cursor == null ? "" : "&cursor=" + cursor), null);
        }
    }
}
