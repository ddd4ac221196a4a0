package io.lodestone.http.quartz;

import io.helidon.webserver.http.ServerRequest;
import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;
import io.lodestone.engine.WriteRequest;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * QuartzDB's key-value store, shared by both APIs: the namespace {@value QuartzStore#KV}, one row per key
 * ({@link QuartzIds}) with the value, a string kept exactly as given, in the attribute {@value #VALUE}.
 */
final class QuartzKv {
    static final String VALUE = "value";
    /** Values are returned whole, never filtered on: not indexed for filters. */
    private static final AttributeSchema TEXT = new AttributeSchema(AttributeType.STRING, false, null);

    private final QuartzStore store;

    QuartzKv(QuartzStore store) {
        this.store = store;
    }

    Optional<String> get(ServerRequest req, String key) {
        return store.row(req, QuartzStore.KV, QuartzIds.of(QuartzInput.key(key)), Set.of(VALUE), false)
                .map(r -> (String) r.attributes().get(VALUE));
    }

    /** Stores the value; acknowledged once durable. */
    void put(ServerRequest req, String key, String value) {
        DocId id = QuartzIds.of(QuartzInput.key(key));
        Map<String, Object> attributes = new HashMap<>(QuartzIds.original(key, id));
        attributes.put(VALUE, value);
        store.write(req, QuartzStore.KV, WriteRequest.builder().schema(VALUE, TEXT).schema(QuartzIds.ORIGINAL, TEXT)
                .upsert(new Document(id, null, attributes)).build());
    }

    /** Deletes the key; whether it existed. */
    boolean delete(ServerRequest req, String key) {
        DocId id = QuartzIds.of(QuartzInput.key(key));
        return store.write(req, QuartzStore.KV, WriteRequest.builder().delete(id).build()).rowsDeleted() > 0;
    }
}
