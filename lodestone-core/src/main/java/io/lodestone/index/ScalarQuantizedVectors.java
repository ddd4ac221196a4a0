package io.lodestone.index;

import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

import java.util.Objects;

/**
 * Int8 codes of a set of vectors, for graph traversal: each dimension {@code i} is mapped linearly
 * from {@code [min_i, max_i]} (over all vectors) onto {@code [-127, 127]}, so
 * {@code x_i ≈ mid_i + step_i · c_i}. A vector takes {@code dimension} bytes instead of
 * {@code 4 · dimension}, and a distance reads a quarter of the memory, which is what a graph
 * search waits on.
 *
 * <p>Scoring is asymmetric: the query stays float. For a query {@code q},
 * {@code q·x̂ = Σ q_i mid_i + Σ (q_i step_i) c_i}; the first sum and the scaled query are computed
 * once per query, so each distance is one float × int8 dot product ({@link VectorUtil#dotInt8}).
 * Cosine codes are made from the normalized vectors and the query is normalized; euclidean adds the
 * stored {@code |x̂|²} per vector. The distances are approximate ({@link RandomVectorScorer#exact()}
 * is false): rerank the candidates with a {@link FloatVectorScorerSupplier} scorer.
 *
 * <p>This is the index's own traversal code, kept minimal; the quantizers of the {@code quant}
 * layer can replace it through the same {@link RandomVectorScorer} interface. Immutable and
 * thread-safe; the scorers belong to one thread.
 */
public final class ScalarQuantizedVectors {

    private final DistanceMetric metric;
    private final FloatVectorValues values;
    private final int dimension;
    private final int size;
    private final float[] mid;
    private final float[] step;
    /** Row-major codes. (A heap array: faster to read in the search loop than a native segment.) */
    private final byte[] codes;
    /** {@code |x̂|²} per vector for euclidean; null otherwise. */
    private final float[] squaredNorms;

    private ScalarQuantizedVectors(DistanceMetric metric, FloatVectorValues values, float[] mid, float[] step,
                                   byte[] codes, float[] squaredNorms) {
        this.metric = metric;
        this.values = values;
        this.dimension = values.dimension();
        this.size = values.size();
        this.mid = mid;
        this.step = step;
        this.codes = codes;
        this.squaredNorms = squaredNorms;
    }

    /**
     * Learns the per-dimension ranges from {@code values} and encodes every vector.
     *
     * @throws IllegalArgumentException if {@code metric} does not support ANN, or the codes exceed
     *         {@code 2^31 - 17} bytes (one array)
     */
    public static ScalarQuantizedVectors encode(DistanceMetric metric, FloatVectorValues values) {
        Objects.requireNonNull(metric, "metric");
        if (!metric.supportsAnn()) {
            throw new IllegalArgumentException("metric " + metric.wireName() + " cannot back an ANN index");
        }
        int dim = values.dimension();
        int n = values.size();
        long total = (long) dim * n;
        boolean normalize = metric == DistanceMetric.COSINE_DISTANCE;
        float[] row = new float[dim];
        float[] min = new float[dim];
        float[] max = new float[dim];
        java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int ord = 0; ord < n; ord++) {
            read(values, ord, row, normalize);
            for (int i = 0; i < dim; i++) {
                min[i] = Math.min(min[i], row[i]);
                max[i] = Math.max(max[i], row[i]);
            }
        }
        float[] mid = new float[dim];
        float[] step = new float[dim];
        for (int i = 0; i < dim; i++) {
            if (n == 0) {
                continue;
            }
            mid[i] = (min[i] + max[i]) / 2;
            step[i] = (max[i] - min[i]) / 254f;
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("too many codes for one array: " + n + " vectors × " + dim
                    + " dimensions");
        }
        byte[] codes = new byte[(int) total];
        float[] squaredNorms = metric == DistanceMetric.EUCLIDEAN_SQUARED ? new float[n] : null;
        for (int ord = 0; ord < n; ord++) {
            read(values, ord, row, normalize);
            float sq = 0;
            for (int i = 0; i < dim; i++) {
                int c = step[i] == 0f ? 0 : Math.round((row[i] - mid[i]) / step[i]);
                c = Math.max(-127, Math.min(127, c));
                codes[ord * dim + i] = (byte) c;
                float decoded = mid[i] + step[i] * c;
                sq += decoded * decoded;
            }
            if (squaredNorms != null) {
                squaredNorms[ord] = sq;
            }
        }
        return new ScalarQuantizedVectors(metric, values, mid, step, codes, squaredNorms);
    }

    private static void read(FloatVectorValues values, int ord, float[] row, boolean normalize) {
        values.copyTo(ord, row, 0);
        if (normalize) {
            float norm = VectorUtil.norm(row);
            float inv = norm == 0f ? 0f : 1f / norm;
            for (int i = 0; i < row.length; i++) {
                row[i] *= inv;
            }
        }
    }

    /** The number of vectors. */
    public int size() {
        return size;
    }

    /** Bytes held per vector: the codes, plus 4 for the stored norm under euclidean. */
    public int bytesPerVector() {
        return dimension + (squaredNorms != null ? 4 : 0);
    }

    /**
     * Approximate scorers for graph building: the query is a stored vector, read in full precision
     * from the {@link FloatVectorValues} the codes were made from (so only one side is quantized).
     * {@code setQueryOrd} costs one pass over the query's dimensions.
     */
    public RandomVectorScorerSupplier scorerSupplier() {
        return new RandomVectorScorerSupplier() {
            @Override
            public UpdateableRandomVectorScorer scorer() {
                return new OrdScorer();
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /**
     * An approximate scorer of {@code query} against the codes.
     *
     * @throws IllegalArgumentException if the query's dimension differs
     */
    public RandomVectorScorer forQuery(float[] query) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("vector dimensions differ: query has " + query.length
                    + ", index has " + dimension);
        }
        Scorer s = new Scorer();
        s.setQuery(query.clone());
        return s;
    }

    /** The approximate distance: one float × int8 dot product per vector. */
    private class Scorer implements ApproximateScorer {
        private final float[] scaled = new float[dimension];
        private float base;
        private float queryNorm;
        private final boolean euclidean = metric == DistanceMetric.EUCLIDEAN_SQUARED;
        private final float bias = metric == DistanceMetric.COSINE_DISTANCE ? 1f : 0f;

        /** Prepares {@code q} (overwritten: normalized for cosine). */
        final void setQuery(float[] q) {
            if (metric == DistanceMetric.COSINE_DISTANCE) {
                float norm = VectorUtil.norm(q);
                float inv = norm == 0f ? 0f : 1f / norm;
                for (int i = 0; i < dimension; i++) {
                    q[i] *= inv;
                }
            }
            double b = 0;
            double qq = 0;
            for (int i = 0; i < dimension; i++) {
                scaled[i] = q[i] * step[i];
                b += (double) q[i] * mid[i];
                qq += (double) q[i] * q[i];
            }
            base = (float) b;
            queryNorm = (float) qq;
        }

        @Override
        public float distance(int ord) {
            float dot = base + VectorUtil.dotInt8(scaled, 0, codes, ord * dimension, dimension);
            if (euclidean) {
                return queryNorm - 2 * dot + squaredNorms[ord];
            }
            return bias - dot;
        }

        @Override
        public void distances(int[] ords, int count, float[] out) {
            VectorUtil.dotsInt8(scaled, 0, codes, ords, count, dimension, out);
            for (int i = 0; i < count; i++) {
                float dot = base + out[i];
                out[i] = euclidean ? queryNorm - 2 * dot + squaredNorms[ords[i]] : bias - dot;
            }
        }

        @Override
        public int size() {
            return size;
        }
    }

    /** A {@link Scorer} whose query is a stored vector, for building. */
    private final class OrdScorer extends Scorer implements UpdateableRandomVectorScorer {
        private final float[] query = new float[dimension];

        @Override
        public void setQueryOrd(int ord) {
            values.copyTo(ord, query, 0);
            setQuery(query);
        }
    }
}
