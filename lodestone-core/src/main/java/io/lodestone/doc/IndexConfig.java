package io.lodestone.doc;

import java.util.List;

/**
 * Per-namespace index settings: which ANN index segments get, and its build settings.
 *
 * @param m              HNSW maximum neighbours per node on upper levels (level 0 keeps 2m)
 * @param efConstruction HNSW candidate list size while building
 * @param quantization   HNSW's codes: {@code none}, {@code sq8}, {@code pq} or {@code rabitq}
 * @param type           {@link #HNSW} (a graph held in memory: the fastest on local data) or {@link #CLUSTERED}
 *                       (centroids in memory, posting lists of RaBitQ codes read by ranges: built for data on
 *                       object storage); {@code m}, {@code efConstruction} and {@code quantization} are HNSW's
 */
public record IndexConfig(int m, int efConstruction, String quantization, String type) {
    public static final String HNSW = "hnsw";
    public static final String CLUSTERED = "clustered";
    public static final List<String> TYPES = List.of(HNSW, CLUSTERED);

    public static IndexConfig defaults() {
        return new IndexConfig(16, 200, "none", HNSW);
    }

    /** HNSW settings. */
    public IndexConfig(int m, int efConstruction, String quantization) {
        this(m, efConstruction, quantization, HNSW);
    }

    public IndexConfig {
        if (m < 2 || m > 512) throw new IllegalArgumentException("m must be in [2, 512]; got " + m);
        if (efConstruction < 1 || efConstruction > 10_000) {
            throw new IllegalArgumentException("ef_construction must be in [1, 10000]; got " + efConstruction);
        }
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("index type must be one of " + TYPES + "; got '" + type + "'");
        }
    }

    /** Whether segments get the clustered index. */
    public boolean clustered() {
        return type.equals(CLUSTERED);
    }
}
