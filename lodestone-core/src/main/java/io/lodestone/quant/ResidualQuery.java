package io.lodestone.quant;

import io.lodestone.vector.DistanceMetric;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One query scanning postings whose codes are relative to different centroids that share one rotation
 * ({@link RaBitQuantizer#forResiduals}): for each posting the query's residual {@code R·q - R·c} is
 * quantized anew into the same buffers, so a search allocates nothing per posting. Gives the same
 * estimates and bounds as {@link RaBitQuantizer#residualScorer} for the same codes. Belongs to one thread.
 */
public final class ResidualQuery {

    private final RaBitQuantizer quantizer;
    private final float[] rotatedQuery;
    private final float[] unit;
    private final QuantizedQuery query;

    ResidualQuery(RaBitQuantizer quantizer, float[] rotatedQuery) {
        this.quantizer = quantizer;
        this.rotatedQuery = rotatedQuery;
        this.unit = new float[quantizer.paddedDimension()];
        this.query = new QuantizedQuery(quantizer);
    }

    /**
     * {@code distances[i]} and {@code bounds[i]}, for {@code i < count}, of the codes at byte
     * {@code offset + i·codeSize()} of {@code codes}, which {@link RaBitQuantizer#encodeResidual} made
     * relative to row {@code centroid} of {@code rotatedCentroids}.
     *
     * @throws IndexOutOfBoundsException if the centroid, the codes or the outputs do not fit
     */
    public void scan(float[] rotatedCentroids, int centroid, MemorySegment codes, long offset, int count,
                     float[] distances, float[] bounds) {
        Objects.checkFromIndexSize(offset, (long) count * quantizer.codeSize(), codes.byteSize());
        Objects.checkFromIndexSize(0, count, Math.min(distances.length, bounds.length));
        float norm = quantizer.unitResidual(rotatedQuery, rotatedCentroids, centroid, unit);
        float centroidDot = quantizer.metric() == DistanceMetric.DOT_PRODUCT
                ? quantizer.rotatedDot(rotatedQuery, rotatedCentroids, centroid) : 0f;
        query.quantize(unit, norm, centroidDot);
        query.distancesWithBounds(codes, offset, count, distances, bounds);
    }
}
