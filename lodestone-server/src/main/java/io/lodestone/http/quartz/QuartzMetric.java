package io.lodestone.http.quartz;

import io.lodestone.doc.InvalidInputException;
import io.lodestone.vector.DistanceMetric;

import java.util.Locale;

/**
 * QuartzDB's three metrics, the Lodestone metric each one ranks by, and how QuartzDB reports a match's distance.
 * Lodestone's distances: cosine {@code 1 - cos}, squared Euclidean, negated dot product. QuartzDB's Worker reports
 * {@code 1 - cos}, the Euclidean distance (square-rooted) and {@code -dot}, with {@code score = 1 - distance}; its
 * v1 server reports in "distance" what its metric computes: the cosine similarity, the Euclidean distance and the
 * dot product.
 */
enum QuartzMetric {
    COSINE("cosine", "Cosine", DistanceMetric.COSINE_DISTANCE),
    EUCLIDEAN("euclidean", "Euclidean", DistanceMetric.EUCLIDEAN_SQUARED),
    DOT_PRODUCT("dotproduct", "DotProduct", DistanceMetric.DOT_PRODUCT);

    private final String wireName;
    private final String v1Name;
    private final DistanceMetric engine;

    QuartzMetric(String wireName, String v1Name, DistanceMetric engine) {
        this.wireName = wireName;
        this.v1Name = v1Name;
        this.engine = engine;
    }

    /** QuartzDB's name ({@code cosine}, {@code euclidean}, {@code dotproduct}; also {@code dot_product}), any case. */
    static QuartzMetric parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cosine" -> COSINE;
            case "euclidean" -> EUCLIDEAN;
            case "dotproduct", "dot_product" -> DOT_PRODUCT;
            default -> throw new InvalidInputException("Invalid distance metric: " + name
                    + ". Must be one of: cosine, euclidean, dotproduct");
        };
    }

    static QuartzMetric of(DistanceMetric m) {
        for (QuartzMetric q : values()) if (q.engine == m) return q;
        throw new IllegalArgumentException("no QuartzDB metric ranks by " + m.wireName());
    }

    String wireName() {
        return wireName;
    }

    /** As QuartzDB v1 lists an index's metric (its Rust enum's name). */
    String v1Name() {
        return v1Name;
    }

    DistanceMetric engine() {
        return engine;
    }

    /** The Worker's {@code distance} of a Lodestone distance. */
    double workerDistance(double d) {
        return this == EUCLIDEAN ? Math.sqrt(Math.max(d, 0)) : d;
    }

    /** The v1 server's {@code distance} (its metric's own value) of a Lodestone distance. */
    double v1Distance(double d) {
        return switch (this) {
            case COSINE -> 1 - d;
            case EUCLIDEAN -> Math.sqrt(Math.max(d, 0));
            case DOT_PRODUCT -> -d;
        };
    }
}
