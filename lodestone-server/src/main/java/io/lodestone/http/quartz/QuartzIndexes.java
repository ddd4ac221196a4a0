package io.lodestone.http.quartz;

import io.helidon.webserver.http.ServerRequest;
import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.NamespaceNames;
import io.lodestone.engine.NamespaceNotFoundException;
import io.lodestone.engine.Query;
import io.lodestone.engine.QueryResult;
import io.lodestone.engine.WriteRequest;
import io.lodestone.http.NotFoundException;
import io.lodestone.tenancy.Access;
import io.lodestone.tenancy.Tenancy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * QuartzDB v1's named indexes: a catalog namespace ({@value QuartzStore#INDEXES}, one row per index with its
 * dimension and metric, since a Lodestone namespace has neither before its first vector) and one namespace per
 * index ({@value QuartzStore#INDEX_PREFIX}{@code name}) whose rows are the vectors under numeric ids 1, 2, 3, ...
 * with the metadata string in {@value #METADATA}.
 * <p>
 * Ids: each insert takes a new id from {@link IdBlocks}, so no two inserts on any servers of the bucket share one.
 */
final class QuartzIndexes {
    static final String METADATA = "metadata";
    private static final String DIMENSION = "dimension";
    private static final String METRIC = "metric";
    private static final AttributeSchema TEXT = new AttributeSchema(AttributeType.STRING, false, null);
    private static final int MAX_NAME = NamespaceNames.MAX_LENGTH - QuartzStore.INDEX_PREFIX.length();
    private static final int MAX_INDEXES_LISTED = 10_000;

    /** An index's settings. */
    record Config(String name, int dimension, QuartzMetric metric) {
    }

    private final QuartzStore store;
    private final IdBlocks ids;

    QuartzIndexes(QuartzStore store, IdBlocks ids) {
        this.store = store;
        this.ids = ids;
    }

    /** The namespace of index {@code name}; 400 for names a namespace cannot carry. */
    static String namespaceOf(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new InvalidInputException("Invalid index name: it must be 1 to " + MAX_NAME + " characters");
        }
        NamespaceNames.validate(name, "index name");
        return QuartzStore.INDEX_PREFIX + name;
    }

    Optional<Config> config(ServerRequest req, String name) {
        namespaceOf(name);
        return store.row(req, QuartzStore.INDEXES, QuartzIds.of(name), Set.of(DIMENSION, METRIC), false)
                .map(r -> new Config(name, ((Number) r.attributes().get(DIMENSION)).intValue(),
                        QuartzMetric.parse((String) r.attributes().get(METRIC))));
    }

    Config require(ServerRequest req, String name) {
        return config(req, name).orElseThrow(() -> new NotFoundException("index_not_found", "Index '" + name + "' not found"));
    }

    /** Creates the index, or accepts an existing one with the same dimension and metric (400 otherwise). */
    void create(ServerRequest req, Config c) {
        Optional<Config> existing = config(req, c.name());
        if (existing.isPresent()) {
            Config e = existing.get();
            if (e.dimension() != c.dimension() || e.metric() != c.metric()) {
                throw new InvalidInputException("Index '" + c.name() + "' already exists with dimension=" + e.dimension()
                        + ", metric=" + e.metric().wireName() + " (requested: dimension=" + c.dimension() + ", metric="
                        + c.metric().wireName() + "). Please delete the existing index or use the existing configuration.");
            }
            return;
        }
        DocId id = QuartzIds.of(c.name());
        Map<String, Object> attributes = new HashMap<>(QuartzIds.original(c.name(), id));
        attributes.put(DIMENSION, (long) c.dimension());
        attributes.put(METRIC, c.metric().wireName());
        store.write(req, QuartzStore.INDEXES, WriteRequest.builder().schema(QuartzIds.ORIGINAL, TEXT)
                .upsert(new Document(id, null, attributes)).build());
    }

    /** Deletes the index and its vectors; false when there was none. */
    boolean delete(ServerRequest req, String name) {
        if (config(req, name).isEmpty()) return false;
        store.deleteNamespace(req, namespaceOf(name));
        store.write(req, QuartzStore.INDEXES, WriteRequest.builder().delete(QuartzIds.of(name)).build());
        return true;
    }

    /** Every index of the tenant, by name. */
    List<Config> list(ServerRequest req) {
        Query q = new Query(null, null, Math.min(MAX_INDEXES_LISTED, store.maxTopK(req)),
                QuartzStore.selection(Set.of(DIMENSION, METRIC, QuartzIds.ORIGINAL), false), Map.of(), List.of(), false);
        List<Config> out = new ArrayList<>();
        for (QueryResult.Row r : store.query(req, QuartzStore.INDEXES, q).map(QueryResult::rows).orElse(List.of())) {
            out.add(new Config(QuartzIds.key(r), ((Number) r.attributes().get(DIMENSION)).intValue(),
                    QuartzMetric.parse((String) r.attributes().get(METRIC))));
        }
        out.sort(java.util.Comparator.comparing(Config::name));
        return out;
    }

    /** Live vectors in the index. */
    long size(ServerRequest req, Config c) {
        Namespace ns = store.namespace(req, namespaceOf(c.name()), Access.READ);
        try {
            return ns.metadata().approxRowCount();
        } catch (NamespaceNotFoundException e) {
            return 0;
        }
    }

    /** Inserts a vector under a new id ({@link IdBlocks}: never one any server handed out before); returns the id. */
    long insert(ServerRequest req, Config c, float[] v, String metadata) {
        if (v.length != c.dimension()) {
            throw new InvalidInputException("Vector dimension mismatch: expected " + c.dimension() + ", got " + v.length);
        }
        long id;
        try {
            id = ids.next(Tenancy.principal(req).tenant(), c.name());
        } catch (IOException e) {
            throw new UncheckedIOException("claiming ids for index '" + c.name() + "' failed: " + e.getMessage(), e);
        }
        Map<String, Object> attributes = metadata == null ? Map.of() : Map.of(METADATA, metadata);
        store.write(req, namespaceOf(c.name()), WriteRequest.builder().distanceMetric(c.metric().engine()).schema(METADATA, TEXT)
                .upsert(new Document(DocId.of(id), v, attributes)).build());
        return id;
    }

    Optional<QueryResult.Row> get(ServerRequest req, Config c, long id) {
        return store.row(req, namespaceOf(c.name()), DocId.of(id), Set.of(METADATA), true);
    }

    /** Deletes vector {@code id}; whether it existed. */
    boolean deleteVector(ServerRequest req, Config c, long id) {
        return store.write(req, namespaceOf(c.name()), WriteRequest.builder().delete(DocId.of(id)).build()).rowsDeleted() > 0;
    }

    /** The {@code k} nearest vectors, with their vectors and metadata; empty before the first insert. */
    List<QueryResult.Row> search(ServerRequest req, Config c, float[] v, int k) {
        if (v.length != c.dimension()) {
            throw new InvalidInputException("Vector dimension mismatch: expected " + c.dimension() + ", got " + v.length);
        }
        Query q = new Query(new Query.RankBy.Vector(v, true), null, k, QuartzStore.selection(Set.of(METADATA), true),
                Map.of(), List.of(), false);
        return store.query(req, namespaceOf(c.name()), q).map(QueryResult::rows).orElse(List.of());
    }
}
