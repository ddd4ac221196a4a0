package io.lodestone.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.engine.NamespaceNames;
import io.lodestone.engine.NamespaceNotFoundException;
import io.lodestone.engine.NamespaceRoot;
import io.lodestone.http.ConflictException;
import io.lodestone.http.HttpJson;
import io.lodestone.http.NotFoundException;
import io.lodestone.http.JsonValues;
import io.lodestone.http.ServerLimits;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /v1/admin}: tenants, their keys, usage and the audit log. Admin keys of the default tenant (operators)
 * manage every tenant; admin keys of another tenant see their own tenant and manage its keys, but cannot change its
 * quotas or regions. Every change is recorded in the {@link AuditLog}.
 */
public final class AdminService implements HttpService {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> TENANT_FIELDS = Set.of("name", "quotas", "default_region", "regions");
    private static final Set<String> KEY_FIELDS = Set.of("scope", "namespace_prefix", "expires_at");
    private static final Pattern CURSOR = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final Tenancy tenancy;
    private final ServerLimits limits;
    private final Set<String> regionNames;

    /** @param regionNames the regions this server's configuration names (tenants may only use these) */
    public AdminService(Tenancy tenancy, ServerLimits limits, Set<String> regionNames) {
        this.tenancy = tenancy;
        this.limits = limits;
        this.regionNames = Set.copyOf(regionNames);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/admin/tenants", this::createTenant)
                .get("/v1/admin/tenants", this::listTenants)
                .get("/v1/admin/tenants/{tenant}", this::getTenant)
                .patch("/v1/admin/tenants/{tenant}", this::updateTenant)
                .delete("/v1/admin/tenants/{tenant}", this::deleteTenant)
                .get("/v1/admin/tenants/{tenant}/usage", this::usage)
                .post("/v1/admin/tenants/{tenant}/keys", this::createKey)
                .get("/v1/admin/tenants/{tenant}/keys", this::listKeys)
                .delete("/v1/admin/tenants/{tenant}/keys/{id}", this::revokeKey)
                .get("/v1/admin/audit", this::auditLog);
    }

    private void createTenant(ServerRequest req, ServerResponse res) throws IOException {
        Principal p = operator(req);
        JsonNode body = object(req, TENANT_FIELDS, "tenant");
        String name = Tenants.validName(JsonValues.string(body.get("name"), "name"));
        String defaultRegion = body.hasNonNull("default_region") ? region(body.get("default_region"), "default_region") : "default";
        List<String> regions = regions(body.get("regions"), defaultRegion);
        Tenant t = new Tenant(name, Quotas.NONE.with(body.get("quotas")), defaultRegion, regions, Instant.now());
        if (!tenancy.tenants().create(t)) throw new ConflictException("tenant '" + name + "' exists");
        tenancy.authenticator().forgetTenant(name); // a lookup that found no such tenant may be cached here
        tenancy.audit().record(p, Tenancy.client(req), "tenant.create", name, t.toJson());
        HttpJson.send(res, Status.CREATED_201, t.toJson());
    }

    private void listTenants(ServerRequest req, ServerResponse res) throws IOException {
        Principal p = admin(req);
        ObjectNode out = F.objectNode();
        ArrayNode arr = out.putArray("tenants");
        if (!p.operator()) {
            arr.add(visibleTenant(req, p.tenant()).toJson());
            out.putNull("next_cursor");
            HttpJson.ok(res, out);
            return;
        }
        String cursor = req.query().first("cursor").map(c -> cursor(c)).orElse(null);
        int pageSize = req.query().first("page_size").map(JsonValues::pageSize).orElse(100);
        List<String> names = tenancy.tenants().list(cursor, pageSize + 1);
        for (String n : names.subList(0, Math.min(pageSize, names.size()))) tenancy.tenants().find(n).ifPresent(t -> arr.add(t.toJson()));
        if (names.size() > pageSize) out.put("next_cursor", names.get(pageSize - 1));
        else out.putNull("next_cursor");
        HttpJson.ok(res, out);
    }

    private void getTenant(ServerRequest req, ServerResponse res) throws IOException {
        admin(req);
        HttpJson.ok(res, visibleTenant(req, tenantParam(req)).toJson());
    }

    private void updateTenant(ServerRequest req, ServerResponse res) throws IOException {
        Principal p = operator(req);
        Tenant t = visibleTenant(req, tenantParam(req));
        JsonNode body = object(req, TENANT_FIELDS, "tenant update");
        if (body.has("name") && !body.get("name").asText().equals(t.name())) throw new InvalidInputException("a tenant cannot be renamed");
        String defaultRegion = body.hasNonNull("default_region") ? region(body.get("default_region"), "default_region") : t.defaultRegion();
        List<String> regions = body.hasNonNull("regions") ? regions(body.get("regions"), defaultRegion) : t.regions();
        if (!regions.contains(defaultRegion)) {
            throw new InvalidInputException("regions " + regions + " must include the default region '" + defaultRegion + "'");
        }
        Set<String> removed = new LinkedHashSet<>(t.regions());
        removed.removeAll(regions);
        if (!removed.isEmpty()) {
            List<String> living = tenancy.placement().placedIn(t.name(), removed, 5);
            if (!living.isEmpty()) {
                throw new ConflictException("tenant '" + t.name() + "' has namespaces in region(s) " + removed + " (" + String.join(", ", living)
                        + (living.size() == 5 ? ", ..." : "") + "); a region can leave a tenant only once none of its namespaces lives there");
            }
        }
        Tenant next = new Tenant(t.name(), t.quotas().with(body.get("quotas")), defaultRegion, regions, t.createdAt());
        tenancy.tenants().update(next);
        tenancy.authenticator().forgetTenant(t.name());
        tenancy.audit().record(p, Tenancy.client(req), "tenant.update", t.name(), (ObjectNode) body);
        HttpJson.ok(res, next.toJson());
    }

    /** Revokes the tenant's keys, deletes its namespaces, then the tenant: a retry after a failure finishes the job. */
    private void deleteTenant(ServerRequest req, ServerResponse res) throws IOException {
        Principal p = operator(req);
        Tenant t = visibleTenant(req, tenantParam(req));
        if (t.name().equals(Tenants.DEFAULT)) throw new InvalidInputException("the default tenant cannot be deleted");
        int keys = 0;
        for (KeyRecord k : tenancy.tenants().keysOf(t.name())) {
            tenancy.tenants().deleteKey(k);
            tenancy.authenticator().forgetKey(k.id());
            keys++;
        }
        int namespaces = 0;
        for (NamespaceRoot root : tenancy.roots(t)) namespaces += deleteAll(root);
        tenancy.tenants().delete(t.name());
        tenancy.authenticator().forgetTenant(t.name());
        tenancy.quotas().forget(t.name());
        ObjectNode details = F.objectNode().put("keys_revoked", keys).put("namespaces_deleted", namespaces);
        tenancy.audit().record(p, Tenancy.client(req), "tenant.delete", t.name(), details);
        HttpJson.ok(res, details.put("status", "OK"));
    }

    private static int deleteAll(NamespaceRoot root) {
        int n = 0;
        while (true) {
            List<String> page = root.listNamespaces(null, null, 1000);
            if (page.isEmpty()) return n;
            for (String name : page) {
                try {
                    root.namespace(name).delete();
                    n++;
                } catch (NamespaceNotFoundException gone) {
                    // deleted concurrently
                }
            }
        }
    }

    private void usage(ServerRequest req, ServerResponse res) throws IOException {
        admin(req);
        Tenant t = visibleTenant(req, tenantParam(req));
        TenantUsage u = TenantUsage.measure(tenancy.roots(t));
        QuotaEnforcer.Meter m = tenancy.quotas().meter(t.name());
        ObjectNode out = F.objectNode();
        out.put("tenant", t.name());
        out.put("namespaces", u.namespaces());
        out.put("rows", u.rows());
        out.put("logical_bytes", u.logicalBytes());
        out.set("quotas", t.quotas().toJson());
        out.putObject("this_server").put("write_requests", m.writesServed.get()).put("query_requests", m.queriesServed.get())
                .put("rate_limited_requests", m.rateLimited.get()).put("running_queries", m.runningQueries.get());
        HttpJson.ok(res, out);
    }

    private void createKey(ServerRequest req, ServerResponse res) throws IOException {
        Principal p = admin(req);
        Tenant t = visibleTenant(req, tenantParam(req));
        JsonNode body = object(req, KEY_FIELDS, "key");
        Scope scope = Scope.parse(JsonValues.string(body.get("scope"), "scope"));
        String prefix = null;
        if (body.hasNonNull("namespace_prefix")) {
            prefix = JsonValues.string(body.get("namespace_prefix"), "namespace_prefix");
            if (!prefix.isEmpty()) NamespaceNames.validate(prefix);
            else prefix = null;
        }
        Instant expires = body.hasNonNull("expires_at") ? expiry(body.get("expires_at")) : null;
        ApiKeys.Generated g = ApiKeys.generate();
        KeyRecord k = new KeyRecord(g.id(), t.name(), scope, prefix, expires, Instant.now(), g.salt(), g.digest());
        tenancy.tenants().createKey(k);
        tenancy.audit().record(p, Tenancy.client(req), "key.create", t.name() + "/" + k.id(), k.describe());
        ObjectNode out = k.describe();
        out.put("key", g.key());
        HttpJson.send(res, Status.CREATED_201, out);
    }

    private void listKeys(ServerRequest req, ServerResponse res) throws IOException {
        admin(req);
        Tenant t = visibleTenant(req, tenantParam(req));
        ObjectNode out = F.objectNode();
        ArrayNode arr = out.putArray("keys");
        for (KeyRecord k : tenancy.tenants().keysOf(t.name())) arr.add(k.describe());
        HttpJson.ok(res, out);
    }

    private void revokeKey(ServerRequest req, ServerResponse res) throws IOException {
        Principal p = admin(req);
        Tenant t = visibleTenant(req, tenantParam(req));
        String id = req.path().pathParameters().get("id");
        KeyRecord k = (id.matches("[0-9a-f]{16}") ? tenancy.tenants().findKey(id) : java.util.Optional.<KeyRecord>empty())
                .filter(r -> r.tenant().equals(t.name()))
                .orElseThrow(() -> new NotFoundException("no key '" + JsonValues.abbreviate(F.textNode(id)) + "' in tenant '" + t.name() + "'"));
        tenancy.tenants().deleteKey(k);
        tenancy.authenticator().forgetKey(k.id());
        tenancy.audit().record(p, Tenancy.client(req), "key.revoke", t.name() + "/" + k.id(), null);
        HttpJson.ok(res, F.objectNode().put("status", "OK").put("id", k.id()));
    }

    private void auditLog(ServerRequest req, ServerResponse res) throws IOException {
        operator(req);
        String cursor = req.query().first("cursor").map(c -> cursor(c)).orElse(null);
        int pageSize = req.query().first("page_size").map(JsonValues::pageSize).orElse(100);
        HttpJson.ok(res, tenancy.audit().page(cursor, pageSize));
    }

    private static Principal admin(ServerRequest req) {
        Principal p = Tenancy.principal(req);
        if (p.scope() != Scope.ADMIN) throw new ForbiddenException("the admin API needs an admin key; this key is " + p.scope().wireName());
        return p;
    }

    private static Principal operator(ServerRequest req) {
        Principal p = admin(req);
        if (!p.operator()) {
            throw new ForbiddenException("only admin keys of the '" + Tenants.DEFAULT + "' tenant create, change or delete tenants");
        }
        return p;
    }

    /** The tenant, when it exists and the principal may see it; 404 otherwise (another tenant looks missing). */
    private Tenant visibleTenant(ServerRequest req, String name) throws IOException {
        Principal p = Tenancy.principal(req);
        if (!p.operator() && !p.tenant().equals(name)) throw new NotFoundException("no tenant '" + name + "'");
        return tenancy.tenants().find(name).orElseThrow(() -> new NotFoundException("no tenant '" + name + "'"));
    }

    private static String tenantParam(ServerRequest req) {
        return Tenants.validName(req.path().pathParameters().get("tenant"));
    }

    private JsonNode object(ServerRequest req, Set<String> fields, String what) {
        JsonNode body = JsonValues.object(HttpJson.body(req, limits), what);
        for (var e : body.properties()) {
            if (!fields.contains(e.getKey())) {
                throw new InvalidInputException("unknown field '" + JsonValues.abbreviate(F.textNode(e.getKey())) + "' in " + what
                        + "; expected " + String.join(", ", new java.util.TreeSet<>(fields)));
            }
        }
        return body;
    }

    private String region(JsonNode n, String field) {
        String r = JsonValues.string(n, field);
        if (!regionNames.contains(r)) {
            throw new InvalidInputException(field + " '" + JsonValues.abbreviate(n) + "' is not a configured region; regions are "
                    + String.join(", ", new java.util.TreeSet<>(regionNames)));
        }
        return r;
    }

    private List<String> regions(JsonNode n, String defaultRegion) {
        if (n == null || n.isNull()) return List.of(defaultRegion);
        JsonNode arr = JsonValues.array(n, "regions");
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < arr.size(); i++) out.add(region(arr.get(i), "regions[" + i + "]"));
        if (!out.contains(defaultRegion)) {
            throw new InvalidInputException("regions " + out + " must include the default region '" + defaultRegion + "'");
        }
        return new ArrayList<>(out);
    }

    private static Instant expiry(JsonNode n) {
        String s = JsonValues.string(n, "expires_at");
        Instant at;
        try {
            at = OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("expires_at must be an RFC 3339 time such as 2027-01-31T00:00:00Z; got '"
                    + JsonValues.abbreviate(n) + "'");
        }
        if (!at.isAfter(Instant.now())) throw new InvalidInputException("expires_at " + at + " is not in the future");
        return at;
    }

    private static String cursor(String c) {
        if (!CURSOR.matcher(c).matches()) throw new InvalidInputException("cursor must be a value a previous page returned");
        return c;
    }
}
