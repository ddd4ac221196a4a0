package io.lodestone.http.quartz;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.helidon.webserver.http.ServerRequest;
import io.lodestone.doc.DocId;
import io.lodestone.engine.FilterSpec;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.NamespaceNotFoundException;
import io.lodestone.engine.Query;
import io.lodestone.engine.QueryResult;
import io.lodestone.engine.WriteRequest;
import io.lodestone.engine.WriteResult;
import io.lodestone.http.AttributeValueLimit;
import io.lodestone.http.ResultJson;
import io.lodestone.http.ServerLimits;
import io.lodestone.tenancy.Access;
import io.lodestone.tenancy.Permit;
import io.lodestone.tenancy.Tenancy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The engine side of both QuartzDB APIs: the caller's tenant's namespaces through {@link Tenancy} (scopes, regions,
 * quotas), writes under the attribute value limit, and reads of single rows. Namespace names all start with
 * {@value #PREFIX}, so the QuartzDB APIs never touch another namespace of the tenant (which may still read and
 * change these through the turbopuffer API: they are ordinary namespaces). The ruvector API
 * ({@code http.ruvector}) reaches its own {@code ruvector.} namespaces through it too.
 */
public final class QuartzStore {
    static final String PREFIX = "quartzdb.";
    /** The key-value store of both APIs. */
    static final String KV = PREFIX + "kv";
    /** The Worker's one vector collection. */
    static final String VECTORS = PREFIX + "vectors";
    /** The v1 index catalog: one row per index (dimension, metric). */
    static final String INDEXES = PREFIX + "indexes";
    /** Prefix of each v1 index's namespace. */
    static final String INDEX_PREFIX = PREFIX + "index.";

    private final Tenancy tenancy;
    private final ServerLimits limits;
    private final AttributeValueLimit valueLimit;

    public QuartzStore(Tenancy tenancy, ServerLimits limits) {
        this.tenancy = tenancy;
        this.limits = limits;
        this.valueLimit = new AttributeValueLimit(limits.maxAttributeValueBytes());
    }

    public Namespace namespace(ServerRequest req, String name, Access access) {
        return tenancy.namespace(req, limits.namespaceName(name), access);
    }

    /** Writes under the tenant's quotas; acknowledged once durable. */
    public WriteResult write(ServerRequest req, String name, WriteRequest w) {
        Namespace ns = namespace(req, name, Access.WRITE);
        valueLimit.check(w);
        return tenancy.write(req, ns, w);
    }

    /** Runs a query; empty when the namespace does not exist yet (nothing was ever written to it). */
    public Optional<QueryResult> query(ServerRequest req, String name, Query q) {
        Namespace ns = namespace(req, name, Access.READ);
        try (Permit permit = tenancy.admitQuery(req)) {
            return Optional.of(ns.query(q));
        } catch (NamespaceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The row with this id carrying {@code attributes} (and its vector when asked), if it exists. */
    public Optional<QueryResult.Row> row(ServerRequest req, String name, DocId id, Set<String> attributes, boolean vector) {
        var byId = JsonNodeFactory.instance.arrayNode().add("id").add("Eq").add(ResultJson.id(id));
        Query q = new Query(null, FilterSpec.json(byId), 1, selection(attributes, vector), Map.of(), List.of(), false);
        return query(req, name, q).flatMap(r -> r.rows().stream().findFirst());
    }

    /** Deletes the namespace; false when it did not exist. */
    public boolean deleteNamespace(ServerRequest req, String name) {
        try {
            namespace(req, name, Access.DELETE).delete();
            return true;
        } catch (NamespaceNotFoundException e) {
            return false;
        }
    }

    /** The largest top_k the tenant may ask for. */
    public int maxTopK(ServerRequest req) {
        return tenancy.maxTopK(req, limits.maxTopK());
    }

    public static Query.AttributeSelection selection(Set<String> attributes, boolean vector) {
        Set<String> include = new java.util.HashSet<>(attributes);
        if (vector) include.add("vector");
        return new Query.AttributeSelection(false, Set.copyOf(include), Set.of());
    }
}
