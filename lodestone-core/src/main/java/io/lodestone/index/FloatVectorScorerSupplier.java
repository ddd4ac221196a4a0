package io.lodestone.index;

import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

import java.util.Objects;

/**
 * Exact scorers over {@link FloatVectorValues} for one ANN metric: per-query scorers for searches
 * ({@link #forQuery}) and per-thread ordinal scorers for graph building ({@link #scorer()}).
 *
 * <p>Metrics, as ranking distances (lower is closer):
 * <ul>
 *   <li>{@link DistanceMetric#EUCLIDEAN_SQUARED}: {@code Σ (q_i - x_i)²}.</li>
 *   <li>{@link DistanceMetric#DOT_PRODUCT}: {@code -q·x}.</li>
 *   <li>{@link DistanceMetric#COSINE_DISTANCE}: {@code 1 - q·x / (|q| |x|)}, computed as one dot
 *       product: the query is normalized once per query, and when every stored vector already has
 *       unit norm (within 1e-4, checked once here, O(n·d)) nothing else is needed; otherwise the
 *       inverse norms {@code 1/|x|} are computed here once (4 bytes per vector, 0 for a zero vector,
 *       whose distance is then 1) and multiplied in. Segment writers should therefore store
 *       L2-normalized vectors for cosine, as the benchmark data already is.</li>
 * </ul>
 * The values can differ from {@link DistanceMetric#distance} by rounding (cosine is not clamped);
 * they rank identically up to rounding.
 *
 * <p>Immutable and thread-safe; the scorers it hands out belong to one thread each.
 */
public final class FloatVectorScorerSupplier implements RandomVectorScorerSupplier {

    private static final float UNIT_NORM_TOLERANCE = 1e-4f;

    /**
     * Whether a stored vector of this norm counts as unit length: when every one does, cosine scorers need no norms
     * ({@link #create(DistanceMetric, FloatVectorValues, float[])} decides so), which a segment file may record.
     */
    public static boolean unitNorm(float norm) {
        return Math.abs(norm - 1f) <= UNIT_NORM_TOLERANCE;
    }

    private final DistanceMetric metric;
    private final FloatVectorValues values;
    /** Cosine with stored vectors of any norm: 1/|x| per ordinal; null otherwise. */
    private final float[] inverseNorms;

    private FloatVectorScorerSupplier(DistanceMetric metric, FloatVectorValues values, float[] inverseNorms) {
        this.metric = metric;
        this.values = values;
        this.inverseNorms = inverseNorms;
    }

    /**
     * Scorers for {@code metric} over {@code values}. For cosine this reads every vector once to
     * check its norm (see the class comment).
     *
     * @throws IllegalArgumentException if {@code metric} does not support ANN
     */
    public static FloatVectorScorerSupplier create(DistanceMetric metric, FloatVectorValues values) {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(values, "values");
        if (!metric.supportsAnn()) {
            throw new IllegalArgumentException("metric " + metric.wireName()
                    + " cannot back an ANN index; use cosine_distance, euclidean_squared or dot_product");
        }
        float[] inverseNorms = metric == DistanceMetric.COSINE_DISTANCE ? inverseNormsUnlessUnit(values) : null;
        return new FloatVectorScorerSupplier(metric, values, inverseNorms);
    }

    /**
     * As {@link #create}, with the stored vectors' norms given (as a segment file records them), so cosine needs no
     * pass over the vectors: a mapped file read by ranges is not read up front.
     *
     * @throws IllegalArgumentException if {@code metric} does not support ANN or the norms do not match the values
     */
    public static FloatVectorScorerSupplier create(DistanceMetric metric, FloatVectorValues values, float[] norms) {
        if (norms.length != values.size()) {
            throw new IllegalArgumentException(norms.length + " norms for " + values.size() + " vectors");
        }
        FloatVectorScorerSupplier unit = createForUnitVectors(metric, values);
        if (metric != DistanceMetric.COSINE_DISTANCE) return unit;
        float[] inverse = null;
        for (int ord = 0; ord < norms.length; ord++) {
            if (inverse == null && !unitNorm(norms[ord])) {
                inverse = new float[norms.length];
                java.util.Arrays.fill(inverse, 0, ord, 1f);
            }
            if (inverse != null) inverse[ord] = norms[ord] == 0f ? 0f : 1f / norms[ord];
        }
        return inverse == null ? unit : new FloatVectorScorerSupplier(metric, values, inverse);
    }

    /**
     * As {@link #create}, for vectors the caller guarantees to be of unit norm (a segment writer that
     * normalized them, say): cosine then needs no pass over the vectors, so opening a large mapped
     * segment reads nothing up front. Other metrics are unaffected.
     *
     * @throws IllegalArgumentException if {@code metric} does not support ANN
     */
    public static FloatVectorScorerSupplier createForUnitVectors(DistanceMetric metric, FloatVectorValues values) {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(values, "values");
        if (!metric.supportsAnn()) {
            throw new IllegalArgumentException("metric " + metric.wireName()
                    + " cannot back an ANN index; use cosine_distance, euclidean_squared or dot_product");
        }
        return new FloatVectorScorerSupplier(metric, values, null);
    }

    /** The metric. */
    public DistanceMetric metric() {
        return metric;
    }

    /** The vectors scored. */
    public FloatVectorValues values() {
        return values;
    }

    @Override
    public int size() {
        return values.size();
    }

    /**
     * A scorer of {@code query} (copied, and normalized for cosine) against the stored vectors.
     *
     * @throws IllegalArgumentException if the query's dimension differs from the vectors'
     */
    public ExactScorer forQuery(float[] query) {
        if (query.length != values.dimension()) {
            throw new IllegalArgumentException("vector dimensions differ: query has " + query.length
                    + ", index has " + values.dimension());
        }
        float[] q = query.clone();
        if (metric == DistanceMetric.COSINE_DISTANCE) {
            float norm = VectorUtil.norm(q);
            float inv = norm == 0f ? 0f : 1f / norm;
            for (int i = 0; i < q.length; i++) {
                q[i] *= inv;
            }
        }
        FloatVectorScorer s = newScorer();
        s.setQuery(q, 0, 1f);
        return s;
    }

    @Override
    public UpdateableRandomVectorScorer scorer() {
        return newScorer();
    }

    private FloatVectorScorer newScorer() {
        int mode = switch (metric) {
            case EUCLIDEAN_SQUARED -> FloatVectorScorer.L2;
            case DOT_PRODUCT -> FloatVectorScorer.DOT;
            case COSINE_DISTANCE -> FloatVectorScorer.COSINE;
            default -> throw new AssertionError(metric);
        };
        return switch (values) {
            case ArrayVectorValues a -> new FloatVectorScorer.OnArray(a, mode, inverseNorms);
            case MemorySegmentVectorValues m -> new FloatVectorScorer.OnSegment(m, mode, inverseNorms);
            default -> new FloatVectorScorer.Copying(values, mode, inverseNorms);
        };
    }

    private static float[] inverseNormsUnlessUnit(FloatVectorValues values) {
        int n = values.size();
        float[] row = new float[values.dimension()];
        float[] inverse = null;
        for (int ord = 0; ord < n; ord++) {
            values.copyTo(ord, row, 0);
            float norm = VectorUtil.norm(row);
            if (inverse == null && !unitNorm(norm)) {
                inverse = new float[n];
                java.util.Arrays.fill(inverse, 0, ord, 1f);
            }
            if (inverse != null) {
                inverse[ord] = norm == 0f ? 0f : 1f / norm;
            }
        }
        return inverse;
    }
}
