package io.lodestone.vector;

import java.util.Locale;

/** Placeholder until the vector package lands. */
public enum DistanceMetric {
    COSINE_DISTANCE("cosine_distance"), EUCLIDEAN_SQUARED("euclidean_squared"), DOT_PRODUCT("dot_product");

    private final String wire;

    DistanceMetric(String wire) { this.wire = wire; }

    public String wireName() { return wire; }

    public static DistanceMetric parse(String s) {
        String n = s.toLowerCase(Locale.ROOT);
        for (DistanceMetric m : values()) if (m.wire.equals(n)) return m;
        if (n.equals("cosine")) return COSINE_DISTANCE;
        if (n.equals("euclidean") || n.equals("l2")) return EUCLIDEAN_SQUARED;
        throw new IllegalArgumentException("unknown distance metric '" + s + "'");
    }
}
