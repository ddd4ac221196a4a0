package io.lodestone.quant;

import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.params.provider.Arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The quantizer settings and metrics the contract tests run over. */
final class Quantizers {

    static final List<DistanceMetric> METRICS =
            List.of(DistanceMetric.COSINE_DISTANCE, DistanceMetric.EUCLIDEAN_SQUARED, DistanceMetric.DOT_PRODUCT);

    private Quantizers() {
    }

    /** Small, fast settings of every kind (and both RaBitQ rotations), each with a dimension to test at. */
    static List<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of(ScalarQuantizer.Config.AUTO, 37));
        out.add(Arguments.of(new ScalarQuantizer.Config(1.0), 16));
        out.add(Arguments.of(new ProductQuantizer.Config(7, 4, 1000), 37));   // uneven subspaces
        out.add(Arguments.of(new ProductQuantizer.Config(16, 4, 1000), 64));  // whole words of codes
        out.add(Arguments.of(RaBitQuantizer.Config.DEFAULT, 37));             // padded to 64
        out.add(Arguments.of(new RaBitQuantizer.Config(1, 1.9, 3, RaBitQuantizer.RotationKind.HADAMARD), 200));
        out.add(Arguments.of(RaBitQuantizer.Config.withBits(3), 37));                                   // extended
        out.add(Arguments.of(new RaBitQuantizer.Config(3, 1.9, 5, RaBitQuantizer.RotationKind.HADAMARD), 130));
        return out;
    }

    /** Every config with every metric: (config, dimension, metric). */
    static Stream<Arguments> configsAndMetrics() {
        List<Arguments> out = new ArrayList<>();
        for (Arguments a : configs()) {
            for (DistanceMetric m : METRICS) {
                out.add(Arguments.of(a.get()[0], a.get()[1], m));
            }
        }
        return out.stream();
    }
}
