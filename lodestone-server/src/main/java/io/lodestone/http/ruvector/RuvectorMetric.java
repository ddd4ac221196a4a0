package io.lodestone.http.ruvector;

import io.lodestone.doc.InvalidInputException;
import io.lodestone.vector.DistanceMetric;

/**
 * ruvector's four metrics ({@code ruvector_core::DistanceMetric}, named as serde writes them), what each ranks by
 * in Lodestone, and ruvector's {@code score}: the distance its {@code distance.rs} computes, lower is closer:
 * {@code 1 - cos}, the Euclidean distance (the square root of {@code euclidean_squared}), {@code -dot}, the L1 distance.
 * Manhattan has no ANN index in Lodestone: its collections rank by exact kNN.
 */
enum RuvectorMetric {
    EUCLIDEAN("Euclidean", DistanceMetric.EUCLIDEAN_SQUARED),
    COSINE("Cosine", DistanceMetric.COSINE_DISTANCE),
    DOT_PRODUCT("DotProduct", DistanceMetric.DOT_PRODUCT),
    MANHATTAN("Manhattan", DistanceMetric.MANHATTAN);

    private final String wireName;
    private final DistanceMetric ranking;

    RuvectorMetric(String wireName, DistanceMetric ranking) {
        this.wireName = wireName;
        this.ranking = ranking;
    }

    /** The metric serde reads from {@code name} (exact case, as ruvector's enum); 400 for any other. */
    static RuvectorMetric parse(String name) {
        for (RuvectorMetric m : values()) if (m.wireName.equals(name)) return m;
        throw new InvalidInputException("unknown metric '" + name + "'; expected one of Euclidean, Cosine, DotProduct, Manhattan");
    }

    String wireName() {
        return wireName;
    }

    /** The metric searches rank by. */
    DistanceMetric ranking() {
        return ranking;
    }

    /** Whether the collection's ANN index answers searches (else exact kNN by {@link #ranking()}). */
    boolean indexed() {
        return ranking.supportsAnn();
    }

    /** The collection namespace's metric: the ranking metric, or for Manhattan (never indexed) any ANN metric. */
    DistanceMetric namespaceMetric() {
        return indexed() ? ranking : DistanceMetric.EUCLIDEAN_SQUARED;
    }

    /** ruvector's score of a Lodestone distance under this metric. */
    double score(double distance) {
        return this == EUCLIDEAN ? Math.sqrt(Math.max(distance, 0)) : distance;
    }
}
