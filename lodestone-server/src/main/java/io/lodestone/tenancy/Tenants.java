package io.lodestone.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.http.HttpJson;
import io.lodestone.store.ObjectNotFoundException;
import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tenants and their keys on object storage, so every server over the bucket sees the same ones. Layout (JSON objects):
 * <ul>
 * <li>{@code _system/tenants/{tenant}}: the tenant ({@link Tenant#toJson()});</li>
 * <li>{@code _system/keys/{id}}: a key record (salted digest, never the key), found by the id inside the key;</li>
 * <li>{@code _system/tenant-keys/{tenant}/{id}}: an empty marker per key, so a tenant's keys can be listed. It is
 * written before the record and removed after it, so a usable key is always listed (and can be revoked).</li>
 * </ul>
 * No caching here: {@link Authenticator} caches.
 */
public final class Tenants {
    /** The operator's tenant: always exists, owns the namespaces of a server without auth, and its admins manage every tenant. */
    public static final String DEFAULT = "default";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final String TENANTS = "_system/tenants/";
    private static final String KEYS = "_system/keys/";

    /** The object key of a tenant's record. */
    public static String recordKey(String tenant) {
        return TENANTS + tenant;
    }
    private static final String TENANT_KEYS = "_system/tenant-keys/";

    private final ObjectStore store;

    public Tenants(ObjectStore store) {
        this.store = store;
    }

    /** {@code name}, or 400 when it is not {@code [a-z0-9][a-z0-9_-]{0,63}}. */
    public static String validName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("tenant name must match [a-z0-9][a-z0-9_-]{0,63}; got '"
                    + (name == null ? "" : name.length() > 80 ? name.substring(0, 80) + "..." : name) + "'");
        }
        return name;
    }

    /** Creates the default tenant's record unless it exists (every server does this at start-up). */
    public void ensureDefault(String defaultRegion) throws IOException {
        if (find(DEFAULT).isEmpty()) {
            create(new Tenant(DEFAULT, Quotas.NONE, defaultRegion, List.of(defaultRegion), Instant.now()));
        }
    }

    /** Stores a new tenant; false when one of that name exists. */
    public boolean create(Tenant t) throws IOException {
        return store.putIfAbsent(TENANTS + t.name(), bytes(t.toJson()));
    }

    /** Replaces a tenant's record. */
    public void update(Tenant t) throws IOException {
        store.put(TENANTS + t.name(), bytes(t.toJson()));
    }

    public Optional<Tenant> find(String name) throws IOException {
        return read(TENANTS + name).map(Tenant::fromJson);
    }

    /** Tenant names after {@code cursor} (null: from the start), ascending, at most {@code limit}. */
    public List<String> list(String cursor, int limit) throws IOException {
        List<String> names = new ArrayList<>();
        for (String k : store.list(TENANTS, cursor == null ? null : TENANTS + cursor, limit)) names.add(k.substring(TENANTS.length()));
        return names;
    }

    /** Removes a tenant's record (its keys first: see {@link #deleteKey}). */
    public void delete(String name) throws IOException {
        store.delete(TENANTS + name);
    }

    /** Stores a new key: its listing marker first, then the record. */
    public void createKey(KeyRecord k) throws IOException {
        store.put(TENANT_KEYS + k.tenant() + "/" + k.id(), new byte[0]);
        if (!store.putIfAbsent(KEYS + k.id(), bytes(k.toStored()))) {
            throw new IllegalStateException("key id " + k.id() + " exists already (64 random bits collided)");
        }
    }

    public Optional<KeyRecord> findKey(String id) throws IOException {
        return read(KEYS + id).map(KeyRecord::fromStored);
    }

    /** The tenant's keys, in id order. */
    public List<KeyRecord> keysOf(String tenant) throws IOException {
        List<KeyRecord> out = new ArrayList<>();
        String prefix = TENANT_KEYS + tenant + "/";
        String after = null;
        while (true) {
            List<String> page = store.list(prefix, after, 1000);
            for (String marker : page) {
                findKey(marker.substring(prefix.length())).filter(k -> k.tenant().equals(tenant)).ifPresent(out::add);
            }
            if (page.size() < 1000) return out;
            after = page.getLast();
        }
    }

    /** Revokes a key: the record first (it stops working), then its listing marker. */
    public void deleteKey(KeyRecord k) throws IOException {
        store.delete(KEYS + k.id());
        store.delete(TENANT_KEYS + k.tenant() + "/" + k.id());
    }

    private Optional<JsonNode> read(String key) throws IOException {
        try {
            return Optional.of(HttpJson.MAPPER.readTree(store.get(key)));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return HttpJson.MAPPER.writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
