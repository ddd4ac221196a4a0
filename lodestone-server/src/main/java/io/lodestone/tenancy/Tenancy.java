package io.lodestone.tenancy;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.NamespaceNames;
import io.lodestone.engine.NamespaceRoot;
import io.lodestone.engine.WriteRequest;
import io.lodestone.engine.WriteResult;
import io.lodestone.config.LodestoneConfig;
import io.lodestone.http.ConflictException;
import io.lodestone.http.ErrorResponses;
import io.lodestone.region.Placement;
import io.lodestone.region.Regions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves every request to its tenant and guards what it may touch: the one way HTTP services reach namespaces.
 * A filter authenticates each request (all but {@code /health} and {@code /ready}); services then ask for namespaces
 * by name and the {@link Access} they need, so a tenant can only ever reach the namespaces under its own storage
 * prefix, and another tenant's namespace is exactly as missing as one that does not exist.
 * <p>
 * Regions: a namespace of a tenant with more than one allowed region is placed on its first write ({@link Placement},
 * permanent), in the region the write names ({@code ?region=NAME}) or the tenant's default region. A namespace
 * with no placement lives in region {@value LodestoneConfig#DEFAULT_REGION} (single-region tenants, and every
 * namespace made before placement existed).
 */
public final class Tenancy {
    private static final Set<String> OPEN_PATHS = Set.of("/health", "/ready");
    /** Where the namespaces of tenants other than the default one live in the store. */
    static final String TENANT_ROOTS = "tenants/";

    private final Regions regions;
    private final Placement placement;
    private final String defaultRoot;
    private final Tenants tenants;
    private final Authenticator auth;
    private final AuditLog audit;
    private final QuotaEnforcer quotas = new QuotaEnforcer();
    private final FailedAuthThrottle throttle = new FailedAuthThrottle();

    /**
     * @param defaultRoot the key prefix of the default tenant's namespaces (the engine's {@code tenantRoot}, where a
     *                    server without auth has always kept them)
     */
    public Tenancy(Regions regions, Placement placement, String defaultRoot, Tenants tenants, Authenticator auth, AuditLog audit) {
        this.regions = regions;
        this.placement = placement;
        this.defaultRoot = defaultRoot;
        this.tenants = tenants;
        this.auth = auth;
        this.audit = audit;
    }

    /** Registers the authenticating filter; call before any route that needs a principal. */
    public void register(HttpRouting.Builder routing) {
        routing.any((req, res) -> {
            if (OPEN_PATHS.contains(req.path().path())) {
                res.next();
                return;
            }
            Principal p;
            try {
                p = auth.authenticate(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null),
                        req.headers().first(HeaderNames.create("X-API-Key")).orElse(null));
            } catch (UnauthenticatedException e) {
                long delay = throttle.failed(client(req));
                if (delay > 0) Thread.sleep(delay);
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
                ErrorResponses.send(req, res, Status.UNAUTHORIZED_401, e.getMessage());
                return;
            }
            throttle.succeeded(client(req));
            req.context().register(p);
            res.next();
        });
    }

    /** The client's address, for throttling and the audit log. */
    public static String client(ServerRequest req) {
        return req.remotePeer().address() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : req.remotePeer().host();
    }

    /** Who the request acts for (set by the filter). */
    public static Principal principal(ServerRequest req) {
        return req.context().get(Principal.class)
                .orElseThrow(() -> new IllegalStateException("no principal: the tenancy filter did not run for " + req.path().path()));
    }

    public Authenticator authenticator() {
        return auth;
    }

    Tenants tenants() {
        return tenants;
    }

    Placement placement() {
        return placement;
    }

    AuditLog audit() {
        return audit;
    }

    QuotaEnforcer quotas() {
        return quotas;
    }

    /** The request's tenant; 401 when it was deleted after its key was cached. */
    public Tenant tenant(ServerRequest req) {
        String name = principal(req).tenant();
        return auth.tenant(name).orElseThrow(() -> new UnauthenticatedException("invalid API key"));
    }

    /**
     * The storage roots a tenant's namespaces can be in: the default region's (namespaces without placement) and
     * those of its allowed regions this server has configured.
     */
    List<NamespaceRoot> roots(Tenant t) {
        Set<String> names = new LinkedHashSet<>();
        names.add(LodestoneConfig.DEFAULT_REGION);
        names.addAll(t.regions());
        List<NamespaceRoot> out = new ArrayList<>();
        for (String r : names) if (regions.names().contains(r)) out.add(root(t.name(), r));
        return out;
    }

    private NamespaceRoot root(String tenant, String region) {
        return regions.get(region).root(tenant.equals(Tenants.DEFAULT) ? defaultRoot : TENANT_ROOTS + tenant + "/");
    }

    /** The region of a tenant's namespace; a write to an unplaced name of a multi-region tenant places it. */
    private String regionOf(Tenant t, String name, boolean creating, String requested) {
        try {
            if (requested != null && !t.regions().contains(requested)) {
                throw new ForbiddenException("tenant '" + t.name() + "' may not use region '" + requested + "'; its regions are " + t.regions());
            }
            if (requested == null && t.regions().equals(List.of(LodestoneConfig.DEFAULT_REGION))) {
                // One region: every namespace is there, placed or not (a region leaves a tenant only once none of its
                // namespaces is placed in it, AdminService), so no request pays a store read for its placement.
                return LodestoneConfig.DEFAULT_REGION;
            }
            String placed = placement.regionOf(t.name(), name);
            if (placed == null && !creating) return LodestoneConfig.DEFAULT_REGION;
            if (placed == null) {
                // A namespace made before placement existed keeps its region.
                boolean legacy = root(t.name(), LodestoneConfig.DEFAULT_REGION).namespace(name).exists();
                String wanted = legacy ? LodestoneConfig.DEFAULT_REGION : requested != null ? requested : t.defaultRegion();
                placed = placement.place(t.name(), name, wanted);
            }
            if (requested != null && !requested.equals(placed)) {
                throw new ConflictException("namespace '" + name + "' lives in region '" + placed + "', not '" + requested
                        + "'; a namespace name keeps the region of its first write");
            }
            return placed;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the placement of namespace '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * The namespace {@code name} of the request's tenant, if the key may do {@code access} to it.
     *
     * @throws ForbiddenException when the key's scope or namespace prefix does not allow it
     */
    public Namespace namespace(ServerRequest req, String name, Access access) {
        Principal p = principal(req);
        NamespaceNames.validate(name);
        if (!p.scope().allows(access)) {
            throw new ForbiddenException("this API key is " + p.scope().wireName() + ": it cannot write, delete or change schemas");
        }
        if (!p.admits(name)) {
            throw new ForbiddenException("this API key is limited to namespaces starting with '" + p.namespacePrefix() + "'");
        }
        String requested = req.query().first("region").orElse(null);
        return root(p.tenant(), regionOf(tenant(req), name, access == Access.WRITE, requested)).namespace(name);
    }

    /** Names of the tenant's namespaces the key may see, starting with {@code prefix}, after {@code cursor}. */
    public List<String> listNamespaces(ServerRequest req, String prefix, String cursor, int limit) {
        Principal p = principal(req);
        String effective = prefix;
        if (p.namespacePrefix() != null) {
            if (prefix == null || p.namespacePrefix().startsWith(prefix)) effective = p.namespacePrefix();
            else if (!prefix.startsWith(p.namespacePrefix())) return List.of();
        }
        List<NamespaceRoot> roots = roots(tenant(req));
        if (roots.size() == 1) return roots.getFirst().listNamespaces(effective, cursor, limit);
        TreeSet<String> merged = new TreeSet<>();
        for (NamespaceRoot r : roots) merged.addAll(r.listNamespaces(effective, cursor, limit));
        return merged.stream().limit(limit).toList();
    }

    /** Admits a write under the tenant's quotas (400, 403 or 429 when it does not fit). */
    public Permit admitWrite(ServerRequest req, Namespace ns, WriteRequest w) {
        Tenant t = tenant(req);
        return quotas.admitWrite(t, roots(t), ns, w);
    }

    /**
     * Applies {@code w} to {@code ns} under the tenant's quotas (400, 403 or 429 when it does not fit) and counts it
     * against them once committed; acknowledged once durable.
     */
    public WriteResult write(ServerRequest req, Namespace ns, WriteRequest w) {
        try (Permit permit = admitWrite(req, ns, w)) {
            WriteResult r = ns.write(w);
            permit.committed();
            return r;
        }
    }

    /** Admits a query request under the tenant's query rate and concurrency (429 when over). */
    public Permit admitQuery(ServerRequest req) {
        return quotas.admitQuery(tenant(req));
    }

    /** The largest top_k the request's tenant may ask for, within the server's own limit. */
    public int maxTopK(ServerRequest req, int serverMax) {
        return QuotaEnforcer.maxTopK(tenant(req), serverMax);
    }
}
