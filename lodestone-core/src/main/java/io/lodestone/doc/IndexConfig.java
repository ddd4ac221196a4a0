package io.lodestone.doc;

/**
 * Per-namespace index settings.
 *
 * @param m              HNSW maximum neighbours per node on upper levels (level 0 keeps 2m)
 * @param efConstruction HNSW candidate list size while building
 * @param quantization   {@code none}, {@code sq8}, {@code pq} or {@code rabitq}
 */
public record IndexConfig(int m, int efConstruction, String quantization) {
    public static IndexConfig defaults() {
        return new IndexConfig(16, 200, "none");
    }

    public IndexConfig {
        if (m < 2 || m > 512) throw new IllegalArgumentException("m must be in [2, 512]; got " + m);
        if (efConstruction < 1 || efConstruction > 10_000) {
            throw new IllegalArgumentException("ef_construction must be in [1, 10000]; got " + efConstruction);
        }
    }
}
