package io.lodestone.quant;

import io.lodestone.vector.DistanceMetric;

/**
 * The settings of one kind of quantizer, and the way to train one: {@link ScalarQuantizer.Config},
 * {@link ProductQuantizer.Config} or {@link RaBitQuantizer.Config}.
 */
public sealed interface QuantizerConfig
        permits ScalarQuantizer.Config, ProductQuantizer.Config, RaBitQuantizer.Config {

    /**
     * Trains a quantizer for {@code metric} on {@code sample} (all of one dimension; for cosine they
     * need not be normalized). Deterministic: the same sample, settings and seed give the same
     * quantizer, bit for bit. Training may subsample a large sample, with the same seed.
     *
     * @throws IllegalArgumentException if the sample is empty, the dimensions differ, or the metric is
     *         not one of cosine_distance, euclidean_squared, dot_product
     */
    VectorQuantizer train(DistanceMetric metric, float[][] sample, long seed);
}
