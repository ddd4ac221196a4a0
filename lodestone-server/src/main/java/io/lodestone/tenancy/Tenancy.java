package io.lodestone.tenancy;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.lodestone.engine.Lodestone;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.NamespaceNames;
import io.lodestone.engine.NamespaceRoot;
import io.lodestone.engine.WriteRequest;
import io.lodestone.http.ErrorResponses;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/**
 * Resolves every request to its tenant and guards what it may touch: the one way HTTP services reach namespaces.
 * A filter authenticates each request (all but {@code /health} and {@code /ready}); services then ask for namespaces
 * by name and the {@link Access} they need, so a tenant can only ever reach the namespaces under its own storage
 * prefix, and another tenant's namespace is exactly as missing as one that does not exist.
 */
public final class Tenancy {
    private static final Set<String> OPEN_PATHS = Set.of("/health", "/ready");
    /** Where the namespaces of tenants other than the default one live in the store. */
    static final String TENANT_ROOTS = "tenants/";

    private final Lodestone db;
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
    public Tenancy(Lodestone db, String defaultRoot, Tenants tenants, Authenticator auth, AuditLog audit) {
        this.db = db;
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
                ErrorResponses.send(res, Status.UNAUTHORIZED_401, e.getMessage());
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

    /** The storage roots of a tenant's namespaces. */
    List<NamespaceRoot> roots(String tenant) {
        return List.of(root(tenant));
    }

    NamespaceRoot root(String tenant) {
        return db.root(tenant.equals(Tenants.DEFAULT) ? defaultRoot : TENANT_ROOTS + tenant + "/");
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
        return root(p.tenant()).namespace(name);
    }

    /** Names of the tenant's namespaces the key may see, starting with {@code prefix}, after {@code cursor}. */
    public List<String> listNamespaces(ServerRequest req, String prefix, String cursor, int limit) {
        Principal p = principal(req);
        String effective = prefix;
        if (p.namespacePrefix() != null) {
            if (prefix == null || p.namespacePrefix().startsWith(prefix)) effective = p.namespacePrefix();
            else if (!prefix.startsWith(p.namespacePrefix())) return List.of();
        }
        return root(p.tenant()).listNamespaces(effective, cursor, limit);
    }

    /** Admits a write under the tenant's quotas (400, 403 or 429 when it does not fit). */
    public Permit admitWrite(ServerRequest req, Namespace ns, WriteRequest w) {
        Tenant t = tenant(req);
        return quotas.admitWrite(t, roots(t.name()), ns, w);
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
