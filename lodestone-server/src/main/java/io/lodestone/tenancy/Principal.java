package io.lodestone.tenancy;

/**
 * Who a request acts for: the tenant its key belongs to, the key's scope and namespace-name prefix.
 *
 * @param tenant          the tenant's name
 * @param scope           what the key may do
 * @param namespacePrefix names the key is limited to, or null for all of the tenant's
 * @param keyId           the key's public id ({@code config} for the configured admin key, {@code none} with auth off)
 */
public record Principal(String tenant, Scope scope, String namespacePrefix, String keyId) {

    /** The principal of every request when auth is off: the default tenant, with every right. */
    static final Principal UNAUTHENTICATED = new Principal(Tenants.DEFAULT, Scope.ADMIN, null, "none");

    /** Whether this principal manages every tenant: an admin key of the default (operator) tenant. */
    public boolean operator() {
        return scope == Scope.ADMIN && tenant.equals(Tenants.DEFAULT);
    }

    /** Whether the key's namespace prefix (if any) admits {@code name}. */
    boolean admits(String name) {
        return namespacePrefix == null || name.startsWith(namespacePrefix);
    }
}
