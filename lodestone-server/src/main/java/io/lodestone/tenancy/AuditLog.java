package io.lodestone.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lodestone.http.HttpJson;
import io.lodestone.store.ObjectNotFoundException;
import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * Admin actions on object storage: one JSON object per action at {@code _system/audit/{time}-{random}}, so listing
 * the prefix reads them in time order from every server. An entry says who (key id, tenant, client address), what
 * (action, target, non-secret details) and when; never a key.
 */
public final class AuditLog {
    private static final String PREFIX = "_system/audit/";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectStore store;

    public AuditLog(ObjectStore store) {
        this.store = store;
    }

    /** Records an action; returns once it is durable. */
    public void record(Principal actor, String client, String action, String target, ObjectNode details) throws IOException {
        Instant now = Instant.now();
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("at", now.toString());
        e.put("actor_key_id", actor.keyId());
        e.put("actor_tenant", actor.tenant());
        e.put("client", client);
        e.put("action", action);
        e.put("target", target);
        if (details != null && !details.isEmpty()) e.set("details", details);
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        store.put(PREFIX + TIME.format(now) + "-" + HexFormat.of().formatHex(suffix),
                HttpJson.MAPPER.writeValueAsString(e).getBytes(StandardCharsets.UTF_8));
    }

    /** A page of entries after {@code cursor} (an entry id), oldest first, and the next cursor (null at the end). */
    public ObjectNode page(String cursor, int limit) throws IOException {
        List<String> keys = store.list(PREFIX, cursor == null ? null : PREFIX + cursor, limit + 1);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode entries = out.putArray("entries");
        for (String k : keys.subList(0, Math.min(limit, keys.size()))) {
            try {
                JsonNode e = HttpJson.MAPPER.readTree(store.get(k));
                ((ObjectNode) e).put("id", k.substring(PREFIX.length()));
                entries.add(e);
            } catch (ObjectNotFoundException gone) {
                // removed by an operator between list and get
            }
        }
        if (keys.size() > limit) out.put("next_cursor", keys.get(limit - 1).substring(PREFIX.length()));
        else out.putNull("next_cursor");
        return out;
    }
}
