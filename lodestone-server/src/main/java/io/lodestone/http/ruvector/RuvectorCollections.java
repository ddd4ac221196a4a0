package io.lodestone.http.ruvector;

import io.helidon.webserver.http.ServerRequest;
import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.engine.NamespaceNames;
import io.lodestone.engine.Query;
import io.lodestone.engine.QueryResult;
import io.lodestone.engine.WriteRequest;
import io.lodestone.http.ConflictException;
import io.lodestone.http.NotFoundException;
import io.lodestone.http.quartz.QuartzIds;
import io.lodestone.http.quartz.QuartzStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ruvector's collections: a catalog namespace ({@value #CATALOG}, one row per collection with its dimension and
 * metric, which a Lodestone namespace has neither of before its first vector) and one namespace per collection
 * ({@value #COLLECTION_PREFIX}{@code name}). All names start with {@value #PREFIX}, so the ruvector API never
 * touches the tenant's other namespaces.
 */
final class RuvectorCollections {
    static final String PREFIX = "ruvector.";
    static final String CATALOG = PREFIX + "collections";
    static final String COLLECTION_PREFIX = PREFIX + "collection.";
    private static final String DIMENSION = "dimension";
    private static final String METRIC = "metric";
    private static final AttributeSchema TEXT = new AttributeSchema(AttributeType.STRING, false, null);
    private static final int MAX_NAME = NamespaceNames.MAX_LENGTH - COLLECTION_PREFIX.length();
    private static final int MAX_LISTED = 10_000;

    /** A collection's settings. */
    record Config(String name, int dimension, RuvectorMetric metric) {
        String namespace() {
            return COLLECTION_PREFIX + name;
        }
    }

    private final QuartzStore store;

    RuvectorCollections(QuartzStore store) {
        this.store = store;
    }

    /** 400 for names a namespace cannot carry. */
    static String validName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new InvalidInputException("collection name must be 1 to " + MAX_NAME + " characters; got " + name.length());
        }
        NamespaceNames.validate(name, "collection name");
        return name;
    }

    Optional<Config> config(ServerRequest req, String name) {
        validName(name);
        return store.row(req, CATALOG, QuartzIds.of(name), Set.of(DIMENSION, METRIC), false).map(r -> config(name, r));
    }

    private static Config config(String name, QueryResult.Row r) {
        return new Config(name, ((Number) r.attributes().get(DIMENSION)).intValue(), RuvectorMetric.parse((String) r.attributes().get(METRIC)));
    }

    Config require(ServerRequest req, String name) {
        return config(req, name).orElseThrow(() -> new NotFoundException("Collection not found: " + name));
    }

    /** Creates the collection; 409 when one of that name exists. */
    void create(ServerRequest req, Config c) {
        if (config(req, c.name()).isPresent()) throw new ConflictException("Collection already exists: " + c.name());
        DocId id = QuartzIds.of(c.name());
        Map<String, Object> attributes = new HashMap<>(QuartzIds.original(c.name(), id));
        attributes.put(DIMENSION, (long) c.dimension());
        attributes.put(METRIC, c.metric().wireName());
        store.write(req, CATALOG, WriteRequest.builder().schema(QuartzIds.ORIGINAL, TEXT)
                .upsert(new Document(id, null, attributes)).build());
    }

    /** Deletes the collection and its points; false when there was none. */
    boolean delete(ServerRequest req, String name) {
        Optional<Config> c = config(req, name);
        if (c.isEmpty()) return false;
        store.deleteNamespace(req, c.get().namespace());
        store.write(req, CATALOG, WriteRequest.builder().delete(QuartzIds.of(name)).build());
        return true;
    }

    /** The largest k a search of the tenant may ask for. */
    int maxTopK(ServerRequest req) {
        return store.maxTopK(req);
    }

    /** The names of the tenant's collections, sorted. */
    List<String> names(ServerRequest req) {
        Query q = new Query(null, null, Math.min(MAX_LISTED, store.maxTopK(req)),
                QuartzStore.selection(Set.of(QuartzIds.ORIGINAL), false), Map.of(), List.of(), false);
        List<String> out = new ArrayList<>();
        for (QueryResult.Row r : store.query(req, CATALOG, q).map(QueryResult::rows).orElse(List.of())) out.add(QuartzIds.key(r));
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
