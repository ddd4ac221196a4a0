package io.lodestone.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lodestone.doc.DocId;
import io.lodestone.engine.QueryResult;
import io.lodestone.vector.VectorCodec;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Renders ids, values and result rows as JSON. */
public final class ResultJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ResultJson() {
    }

    public static JsonNode id(DocId id) {
        return switch (id) {
            case DocId.U64 u -> u.value() >= 0 ? F.numberNode(u.value())
                    : F.numberNode(new BigInteger(Long.toUnsignedString(u.value())));
            case DocId.Uuid u -> F.textNode(u.value().toString());
            case DocId.Str s -> F.textNode(s.value());
        };
    }

    public static JsonNode value(Object v) {
        return switch (v) {
            case null -> F.nullNode();
            case String s -> F.textNode(s);
            case Long l -> F.numberNode(l);
            case Double d -> F.numberNode(d);
            case Boolean b -> F.booleanNode(b);
            case UUID u -> F.textNode(u.toString());
            case Instant t -> F.textNode(t.toString());
            case DocId id -> id(id);
            case List<?> list -> {
                ArrayNode a = F.arrayNode(list.size());
                list.forEach(e -> a.add(value(e)));
                yield a;
            }
            default -> F.textNode(v.toString());
        };
    }

    public static JsonNode vector(float[] v, boolean base64) {
        if (base64) return F.textNode(VectorCodec.encodeBase64(v));
        ArrayNode a = F.arrayNode(v.length);
        for (float x : v) a.add(x);
        return a;
    }

    /** A row as turbopuffer renders it: id, $dist (when ranked by distance), vector (when asked), attributes. */
    public static ObjectNode row(QueryResult.Row r, boolean base64, String distanceField) {
        ObjectNode o = F.objectNode();
        o.set("id", id(r.id()));
        if (r.distance() != null) o.put(distanceField, r.distance());
        if (r.vector() != null) o.set("vector", vector(r.vector(), base64));
        for (Map.Entry<String, Object> e : r.attributes().entrySet()) o.set(e.getKey(), value(e.getValue()));
        return o;
    }

    public static ArrayNode rows(List<QueryResult.Row> rows, boolean base64) {
        ArrayNode a = F.arrayNode(rows.size());
        rows.forEach(r -> a.add(row(r, base64, "$dist")));
        return a;
    }
}
