package io.lodestone.index;

/**
 * A {@link RandomVectorScorer} on compact codes: estimated distances from one prepared query (the
 * query is normalized, rotated, turned into lookup tables or quantized once, so each call only reads
 * one code). The quantizers of {@code io.lodestone.quant} make them.
 *
 * <p>Distances are on the same scale as the exact distance they estimate, but only
 * <em>estimates</em>: they order candidates for a graph walk or a scan; a reported {@code $dist}
 * always comes from an {@link ExactScorer} rerank on full vectors.
 */
public non-sealed interface ApproximateScorer extends RandomVectorScorer {

    @Override
    default boolean exact() {
        return false;
    }
}
