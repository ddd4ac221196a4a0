package io.lodestone.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A tenant: its quotas and where its namespaces may live.
 *
 * @param name          {@code [a-z0-9][a-z0-9_-]{0,63}}
 * @param quotas        its quotas
 * @param defaultRegion the region new namespaces are created in
 * @param regions       the regions it may use (always holds the default one)
 * @param createdAt     when it was created
 */
public record Tenant(String name, Quotas quotas, String defaultRegion, List<String> regions, Instant createdAt) {

    public Tenant {
        regions = List.copyOf(regions);
    }

    /** The JSON the admin API answers and the store keeps. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.set("quotas", quotas.toJson());
        o.put("default_region", defaultRegion);
        ArrayNode rs = o.putArray("regions");
        regions.forEach(rs::add);
        o.put("created_at", createdAt.toString());
        return o;
    }

    static Tenant fromJson(JsonNode o) {
        List<String> regions = new ArrayList<>();
        o.path("regions").forEach(r -> regions.add(r.asText()));
        return new Tenant(o.get("name").asText(), Quotas.NONE.with(o.get("quotas")), o.get("default_region").asText(),
                regions, Instant.parse(o.get("created_at").asText()));
    }
}
