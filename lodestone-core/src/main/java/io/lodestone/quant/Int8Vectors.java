package io.lodestone.quant;

import io.lodestone.index.ApproximateScorer;
import io.lodestone.index.FloatVectorValues;
import io.lodestone.index.RandomVectorScorerSupplier;
import io.lodestone.index.UpdateableRandomVectorScorer;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

import java.util.Objects;
import java.util.Random;

/**
 * {@link ScalarQuantizer}'s int8 levels of a set of vectors, scored <em>asymmetrically</em>: the query
 * stays in full precision and only the stored side is quantized. This is what a graph builder walks on
 * while it inserts (the query is a stored vector, read from the float values), and what a search on a
 * heap index may walk on before an exact rerank.
 *
 * <p>With {@code x̂_i = m + step·c_i} (see {@link ScalarQuantizer}), {@code q·x̂ = m·Σq_i + Σ (step·q_i)·c_i}:
 * the first sum and the scaled query are computed once per query, so each distance is one float ×
 * int8 dot product ({@link VectorUtil#dotsInt8}, which starts the cache misses of a neighbour list
 * together). Cosine levels are made from the normalized vectors and the query is normalized;
 * euclidean adds {@code |x̂|²}, kept per vector. The levels are a heap array, read faster in the
 * search loop than a segment; the bytes are the levels of {@link ScalarQuantizer#encode}, without its
 * per-vector correction (the float query needs none).
 *
 * <p>Immutable and thread-safe; the scorers belong to one thread.
 */
public final class Int8Vectors implements RandomVectorScorerSupplier {

    private final ScalarQuantizer quantizer;
    private final FloatVectorValues values;
    private final int dimension;
    /** Row-major signed levels, {@code dimension} bytes per vector. */
    private final byte[] levels;
    /** {@code |x̂|²} per vector for euclidean; null otherwise. */
    private final float[] squaredNorms;

    private Int8Vectors(ScalarQuantizer quantizer, FloatVectorValues values, byte[] levels, float[] squaredNorms) {
        this.quantizer = quantizer;
        this.values = values;
        this.dimension = values.dimension();
        this.levels = levels;
        this.squaredNorms = squaredNorms;
    }

    /**
     * Up to {@code size} vectors of {@code values} to train a quantizer on: all of them when there are
     * no more, else {@code size} drawn with replacement by a {@code Random(seed)}.
     */
    public static float[][] sample(FloatVectorValues values, int size, long seed) {
        int n = Math.min(size, values.size());
        float[][] out = new float[n][];
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            out[i] = values.vector(n == values.size() ? i : random.nextInt(values.size()));
        }
        return out;
    }

    /**
     * Quantizes every vector of {@code values} with {@code quantizer}.
     *
     * @throws IllegalArgumentException if the dimensions differ, or the levels exceed {@code 2^31 - 17}
     *         bytes (one array)
     */
    public static Int8Vectors encode(ScalarQuantizer quantizer, FloatVectorValues values) {
        Objects.requireNonNull(quantizer, "quantizer");
        int dim = values.dimension();
        if (dim != quantizer.dimension()) {
            throw new IllegalArgumentException("vector dimensions differ: values have " + dim + ", quantizer has "
                    + quantizer.dimension());
        }
        long total = (long) values.size() * dim;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("too many levels for one array: " + values.size() + " vectors × "
                    + dim + " dimensions");
        }
        byte[] levels = new byte[(int) total];
        boolean euclidean = quantizer.metric() == DistanceMetric.EUCLIDEAN_SQUARED;
        float[] squaredNorms = euclidean ? new float[values.size()] : null;
        float[] row = new float[dim];
        byte[] code = new byte[dim];
        double m = quantizer.midpoint();
        for (int ord = 0; ord < values.size(); ord++) {
            values.copyTo(ord, row, 0);
            quantizer.quantize(QuantMath.prepare(quantizer.metric(), row), code);
            System.arraycopy(code, 0, levels, ord * dim, dim);
            if (euclidean) {
                double sq = 0;
                for (int i = 0; i < dim; i++) {
                    double x = m + (double) quantizer.step() * code[i];
                    sq += x * x;
                }
                squaredNorms[ord] = (float) sq;
            }
        }
        return new Int8Vectors(quantizer, values, levels, squaredNorms);
    }

    /** The quantizer the levels were made with. */
    public ScalarQuantizer quantizer() {
        return quantizer;
    }

    /** Bytes held per vector: the levels, plus 4 for the stored norm under euclidean. */
    public int bytesPerVector() {
        return dimension + (squaredNorms != null ? Float.BYTES : 0);
    }

    /**
     * An approximate scorer of {@code query} against the levels.
     *
     * @throws IllegalArgumentException if the query's dimension differs
     */
    public ApproximateScorer scorer(float[] query) {
        QuantMath.checkDimension(query, dimension);
        Scorer s = new Scorer();
        s.setQuery(query.clone());
        return s;
    }

    @Override
    public UpdateableRandomVectorScorer scorer() {
        return new OrdScorer();
    }

    @Override
    public int size() {
        return values.size();
    }

    /** One float × int8 dot product per vector. */
    private class Scorer implements ApproximateScorer {
        private final float[] scaled = new float[dimension];
        private final DistanceMetric metric = quantizer.metric();
        // Plain fields, not a switch on the metric: the conversion runs once per scored row.
        private final boolean euclidean = metric == DistanceMetric.EUCLIDEAN_SQUARED;
        private final float bias = metric == DistanceMetric.COSINE_DISTANCE ? 1f : 0f;
        private float base;
        private float queryNorm;

        /** Prepares {@code q} (overwritten: normalized for cosine). */
        final void setQuery(float[] q) {
            if (metric == DistanceMetric.COSINE_DISTANCE) {
                float norm = VectorUtil.norm(q);
                float inv = norm == 0f ? 0f : 1f / norm;
                for (int i = 0; i < dimension; i++) {
                    q[i] *= inv;
                }
            }
            float step = quantizer.step();
            double sum = 0;
            double qq = 0;
            for (int i = 0; i < dimension; i++) {
                scaled[i] = q[i] * step;
                sum += q[i];
                qq += (double) q[i] * q[i];
            }
            base = (float) (quantizer.midpoint() * sum);
            queryNorm = (float) qq;
        }

        @Override
        public float distance(int ord) {
            return fromDot(base + VectorUtil.dotInt8(scaled, 0, levels, ord * dimension, dimension), ord);
        }

        @Override
        public void distances(int[] ords, int count, float[] out) {
            VectorUtil.dotsInt8(scaled, 0, levels, ords, count, dimension, out);
            for (int i = 0; i < count; i++) {
                out[i] = fromDot(base + out[i], ords[i]);
            }
        }

        /** Euclidean: {@code |q|² - 2·q·x̂ + |x̂|²}; cosine: {@code 1 - q·x̂}; dot product: {@code -q·x̂}. */
        private float fromDot(float dot, int ord) {
            return euclidean ? queryNorm - 2 * dot + squaredNorms[ord] : bias - dot;
        }

        @Override
        public int size() {
            return values.size();
        }
    }

    /** A {@link Scorer} whose query is a stored vector, in full precision. */
    private final class OrdScorer extends Scorer implements UpdateableRandomVectorScorer {
        private final float[] query = new float[dimension];

        @Override
        public void setQueryOrd(int ord) {
            values.copyTo(ord, query, 0);
            setQuery(query);
        }
    }
}
