package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static io.lodestone.e2e.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several tenants with read-write, read-only, prefix-limited, revoked and wrong keys issue a seeded random mix of
 * writes, queries, listings with cursors, deletes, schema changes and guesses at other tenants' namespace names
 * (plain, and with path and encoding tricks). Every response is checked: none ever shows another tenant's rows or
 * names, every read-only change is 403, every wrong or revoked key 401; at the end each tenant lists exactly the
 * namespaces the model says it has.
 */
@ExtendWith(Seeded.class)
class TestMultiTenantRandomized {
    private static final String OPERATOR_KEY = TestTenancy.OPERATOR_KEY;
    private static final List<String> TENANTS = List.of("alpha-co", "bravo-co", "charlie-co");
    /** Names no namespace may have: each must be refused with a 4xx. */
    private static final List<String> TRICKS = List.of("..", "%2e%2e", "..%2fbravoco-ns1", "%2E%2E%2Fcharlieco-ns0",
            "bravoco-ns1%00", "a//b", "%252e%252e", "x".repeat(200), "alphaco-ns0%2Fquery");
    /** Valid names that echo the store's own layout: each is just a namespace of the caller's tenant. */
    private static final List<String> LOOKALIKES = List.of("tenants", "default", "_system", "catalog", "ns");

    /** What one tenant holds: its keys and the namespaces that exist. */
    record TenantState(String name, String token, String rw, String ro, String prefixed, String revoked,
                       TreeSet<String> namespaces, TreeSet<String> withVectors) {
    }

    @Test
    void noRequestEverSeesAnotherTenant(@TempDir Path root, Random random) {
        try (InProcessServer server = InProcessServer.start(root,
                Map.of("LODESTONE_AUTH_ENABLED", "true", "LODESTONE_AUTH_ADMIN_KEY", OPERATOR_KEY));
             Json.Http operator = new Json.Http(server.baseUrl(), OPERATOR_KEY)) {
            List<TenantState> tenants = new ArrayList<>();
            for (String t : TENANTS) {
                assertThat(operator.post("/v1/admin/tenants", obj("name", t)).status()).isEqualTo(201);
                String revoked = newKey(operator, t, obj("scope", "read_write"));
                String revokedId = revoked.substring(4, 20);
                assertThat(operator.delete("/v1/admin/tenants/" + t + "/keys/" + revokedId).status()).isEqualTo(200);
                tenants.add(new TenantState(t, t.replace("-", ""), newKey(operator, t, obj("scope", "read_write")),
                        newKey(operator, t, obj("scope", "read_only")),
                        newKey(operator, t, obj("scope", "read_write", "namespace_prefix", "p-")), revoked, new TreeSet<>(), new TreeSet<>()));
            }
            int ops = 300;
            int readOnlyRefusals = 0;
            int badKeyRefusals = 0;
            for (int op = 0; op < ops; op++) {
                TenantState me = tenants.get(random.nextInt(tenants.size()));
                TenantState other = tenants.get(random.nextInt(tenants.size()));
                String ownName = (random.nextInt(4) == 0 ? "p-" : "") + me.token() + "-ns" + random.nextInt(4);
                String sharedName = "common" + random.nextInt(2);
                String guessed = other.token() + "-ns" + random.nextInt(4);
                String chosen = switch (random.nextInt(7)) {
                    case 0 -> sharedName;
                    case 6 -> LOOKALIKES.get(random.nextInt(LOOKALIKES.size()));
                    case 1 -> guessed;
                    case 2 -> TRICKS.get(random.nextInt(TRICKS.size()));
                    default -> ownName;
                };
                String target = chosen;
                int keyKind = random.nextInt(10);
                String key = keyKind < 5 ? me.rw() : keyKind < 7 ? me.ro() : keyKind < 8 ? me.prefixed()
                        : keyKind < 9 ? me.revoked() : "lsk_" + "0123456789abcdef" + "_" + "x".repeat(43);
                boolean badKey = keyKind >= 8;
                boolean readOnly = key.equals(me.ro());
                boolean limited = key.equals(me.prefixed());
                try (Json.Http c = new Json.Http(server.baseUrl(), key)) {
                    int action = random.nextInt(6);
                    // A write to a guessed name would just create the caller's own namespace of that name.
                    if (target.equals(guessed) && (action == 0 || action == 1 || action == 4)) target = ownName;
                    Json.Response r = switch (action) {
                        case 0, 1 -> c.post("/v2/namespaces/" + target, TestTenancy.rows(me.name(), random.nextInt(50), 1 + random.nextInt(3)));
                        case 2 -> c.post("/v2/namespaces/" + target + "/query", TestTenancy.query(20));
                        case 3 -> c.delete("/v2/namespaces/" + target);
                        case 4 -> c.post("/v1/namespaces/" + target + "/schema", obj("note" + random.nextInt(3), "string"));
                        default -> listAll(c, random, me, tenants);
                    };
                    String context = me.name() + " op " + op + " action " + action + " on '" + target + "' -> " + r;
                    String answer = r.body().replace(java.net.URLDecoder.decode(target, java.nio.charset.StandardCharsets.UTF_8), "")
                            .replace(target, ""); // an error may quote the caller's own request
                    for (TenantState t : tenants) {
                        if (t != me) assertThat(answer).as(context).doesNotContain(t.token()).doesNotContain(t.name());
                    }
                    if (badKey) {
                        assertThat(r.status()).as(context).isEqualTo(401);
                        badKeyRefusals++;
                        continue;
                    }
                    assertThat(r.status()).as(context).isLessThan(500);
                    boolean changes = action == 0 || action == 1 || action == 3 || action == 4;
                    boolean validName = !TRICKS.contains(target);
                    if (readOnly && changes && validName) {
                        assertThat(r.status()).as(context).isEqualTo(403);
                        readOnlyRefusals++;
                    }
                    if (limited && action != 5 && validName && !target.startsWith("p-")) assertThat(r.status()).as(context).isEqualTo(403);
                    if (!validName && action != 5) assertThat(r.status()).as(context).isBetween(400, 499);
                    if (r.status() == 200 && (action == 0 || action == 1 || action == 4)) me.namespaces().add(target);
                    if (r.status() == 200 && (action == 0 || action == 1)) me.withVectors().add(target);
                    if (r.status() == 200 && action == 3) {
                        me.namespaces().remove(target);
                        me.withVectors().remove(target);
                    }
                    if (action == 2 && validName && !readOnlyOrLimitedRefusal(limited, target)) {
                        int expected = !me.namespaces().contains(target) ? 404 : me.withVectors().contains(target) ? 200 : 400;
                        assertThat(r.status()).as(context).isEqualTo(expected);
                        if (r.status() == 200) {
                            r.json().get("rows").forEach(row -> assertThat(row.get("owner").asText()).as(context).isEqualTo(me.name()));
                        }
                    }
                }
            }
            assertThat(readOnlyRefusals).as("the mix exercised read-only keys").isPositive();
            assertThat(badKeyRefusals).as("the mix exercised bad keys").isPositive();
            for (TenantState t : tenants) {
                try (Json.Http c = new Json.Http(server.baseUrl(), t.rw())) {
                    assertThat(names(c, "/v1/namespaces?page_size=1000")).as(t.name()).isEqualTo(t.namespaces());
                }
            }
        }
    }

    private static boolean readOnlyOrLimitedRefusal(boolean limited, String target) {
        return limited && !target.startsWith("p-");
    }

    /** Lists a tenant's namespaces in small pages with cursors (sometimes with a prefix); an answer of the last page. */
    private static Json.Response listAll(Json.Http c, Random random, TenantState me, List<TenantState> all) {
        String prefix = switch (random.nextInt(4)) {
            case 0 -> "&prefix=" + all.get(random.nextInt(all.size())).token();
            case 1 -> "&prefix=p-";
            default -> "";
        };
        String cursor = null;
        Json.Response last;
        int pages = 0;
        do {
            last = c.get("/v1/namespaces?page_size=2" + prefix + (cursor == null ? "" : "&cursor=" + cursor));
            if (last.status() != 200) return last;
            for (JsonNode n : last.json().get("namespaces")) {
                for (TenantState t : all) {
                    if (t != me) assertThat(n.get("id").asText()).doesNotContain(t.token());
                }
            }
            cursor = last.json().path("next_cursor").isTextual() ? last.json().get("next_cursor").asText() : null;
        } while (cursor != null && ++pages < 100);
        return last;
    }

    private static TreeSet<String> names(Json.Http c, String path) {
        TreeSet<String> out = new TreeSet<>();
        c.get(path).json().get("namespaces").forEach(n -> out.add(n.get("id").asText()));
        return out;
    }

    private static String newKey(Json.Http operator, String tenant, Map<String, Object> body) {
        Json.Response r = operator.post("/v1/admin/tenants/" + tenant + "/keys", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("key").asText();
    }
}
