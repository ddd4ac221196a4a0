package io.lodestone.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Base64;

/**
 * A stored API key: everything but the key itself, which exists only as a salted digest.
 *
 * @param id              public id (the 16 hex digits after {@code lsk_})
 * @param tenant          the tenant it belongs to
 * @param scope           what it may do
 * @param namespacePrefix names it is limited to, or null
 * @param expiresAt       when it stops working, or null
 * @param createdAt       when it was created
 * @param salt            random salt of the digest
 * @param digest          SHA-256 of salt then secret
 */
public record KeyRecord(String id, String tenant, Scope scope, String namespacePrefix, Instant expiresAt, Instant createdAt,
                        byte[] salt, byte[] digest) {

    boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** What the admin API shows: never the salt or digest. */
    public ObjectNode describe() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.put("tenant", tenant);
        o.put("scope", scope.wireName());
        if (namespacePrefix != null) o.put("namespace_prefix", namespacePrefix);
        if (expiresAt != null) o.put("expires_at", expiresAt.toString());
        o.put("created_at", createdAt.toString());
        return o;
    }

    ObjectNode toStored() {
        ObjectNode o = describe();
        o.put("salt", Base64.getEncoder().encodeToString(salt));
        o.put("sha256", Base64.getEncoder().encodeToString(digest));
        return o;
    }

    static KeyRecord fromStored(JsonNode o) {
        return new KeyRecord(o.get("id").asText(), o.get("tenant").asText(), Scope.parse(o.get("scope").asText()),
                o.hasNonNull("namespace_prefix") ? o.get("namespace_prefix").asText() : null,
                o.hasNonNull("expires_at") ? Instant.parse(o.get("expires_at").asText()) : null,
                Instant.parse(o.get("created_at").asText()),
                Base64.getDecoder().decode(o.get("salt").asText()), Base64.getDecoder().decode(o.get("sha256").asText()));
    }
}
