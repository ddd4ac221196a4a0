package io.lodestone.quant;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.BytesWriter;
import io.lodestone.index.ApproximateScorer;
import io.lodestone.vector.DistanceMetric;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;

/**
 * int8 scalar quantization with one clipping range for all dimensions: a coordinate {@code x} is
 * clipped to {@code [lower, lower + 255·step]} and stored as the signed byte
 * {@code c = round((x - lower) / step) - 128}, so it decodes to {@code m + step·c} with
 * {@code m = lower + 128·step}.
 *
 * <p><b>Training</b> picks the clipping range from the distribution of all coordinates of the sample:
 * the central {@code confidence} interval (quantiles {@code (1-c)/2} and {@code (1+c)/2}); outliers
 * are clipped so that the 256 levels are spent where the values are. With {@link Config#AUTO} it
 * tries confidences from 0.95 to 1 (plain min/max) and keeps the one with the least squared error on
 * the sample.
 *
 * <p><b>Scoring</b> is symmetric: the query is quantized the same way, and distances come from the
 * exact integer kernels {@link io.lodestone.vector.VectorUtil#int8SquaredDistance} and
 * {@link io.lodestone.vector.VectorUtil#int8Dot} (SIMD):
 * <ul>
 *   <li>euclidean_squared: {@code step² · Σ (c_i - d_i)²} (the offset {@code m} cancels);</li>
 *   <li>dot_product: {@code -(k_x + k_y + step² · Σ c_i d_i)} with the per-vector correction
 *       {@code k_x = n·m²/2 + m·step·Σ c_i}, stored after the bytes, so that {@code k_x + k_y +
 *       step²·Σ c_i d_i} is exactly the dot product of the two decoded vectors;</li>
 *   <li>cosine_distance: {@code 1 -} that dot product, vectors normalized first.</li>
 * </ul>
 *
 * <p><b>Code</b>: {@code n} signed bytes, then for dot_product and cosine_distance the correction as a
 * little-endian float32: {@code n} or {@code n + 4} bytes.
 */
public final class ScalarQuantizer implements VectorQuantizer {

    /** The confidences {@link Config#AUTO} tries. */
    private static final double[] CANDIDATE_CONFIDENCES =
            {1.0, 0.99999, 0.9999, 0.9995, 0.999, 0.998, 0.995, 0.99, 0.98, 0.95};
    /** Coordinates looked at to choose the range; a seeded sample above this. */
    private static final int MAX_TRAINING_VALUES = 1 << 20;

    /**
     * Scalar quantizer settings.
     *
     * @param confidence the fraction of coordinate values inside the clipping range, in
     *                   {@code (0, 1]} ({@code 1} is plain min/max), or {@code 0} to choose it from
     *                   the sample ({@link #AUTO})
     */
    public record Config(double confidence) implements QuantizerConfig {

        /** Choose the confidence that minimizes the squared error on the training sample. */
        public static final Config AUTO = new Config(0);

        /** Checks the confidence. */
        public Config {
            if (!(confidence == 0 || (confidence > 0 && confidence <= 1))) {
                throw new IllegalArgumentException("confidence must be 0 (auto) or in (0, 1]; got " + confidence);
            }
        }

        @Override
        public ScalarQuantizer train(DistanceMetric metric, float[][] sample, long seed) {
            return ScalarQuantizer.train(metric, sample, this, seed);
        }
    }

    private final DistanceMetric metric;
    private final int dimension;
    private final float lower;
    private final float step;
    private final float invStep;
    private final double offset;

    ScalarQuantizer(DistanceMetric metric, int dimension, float lower, float step) {
        QuantMath.checkMetric(metric);
        this.metric = metric;
        this.dimension = dimension;
        this.lower = lower;
        this.step = step;
        this.invStep = 1f / step;
        this.offset = (double) lower + 128.0 * step;
    }

    private static ScalarQuantizer train(DistanceMetric metric, float[][] sample, Config config, long seed) {
        QuantMath.checkMetric(metric);
        int dim = QuantMath.checkSample(sample);
        Random random = new Random(seed);
        float[][] vectors = QuantMath.trainingSet(metric, sample, Math.max(1, MAX_TRAINING_VALUES / dim), random);
        float[] values = new float[(int) Math.min((long) vectors.length * dim, MAX_TRAINING_VALUES)];
        int k = 0;
        for (float[] v : vectors) {
            for (int i = 0; i < dim && k < values.length; i++) {
                values[k++] = v[i];
            }
        }
        Arrays.sort(values);
        double[] confidences = config.confidence() == 0 ? CANDIDATE_CONFIDENCES : new double[] {config.confidence()};
        ScalarQuantizer best = null;
        double bestError = Double.POSITIVE_INFINITY;
        for (double c : confidences) {
            float lo = quantile(values, (1 - c) / 2);
            float hi = quantile(values, (1 + c) / 2);
            float step = hi > lo ? (hi - lo) / 255f : Math.max(Math.ulp(lo), Float.MIN_NORMAL);
            ScalarQuantizer candidate = new ScalarQuantizer(metric, dim, lo, step);
            double error = 0;
            for (float x : values) {
                double d = x - candidate.reconstruct(candidate.level(x));
                error += d * d;
            }
            if (error < bestError) {
                bestError = error;
                best = candidate;
            }
        }
        return best;
    }

    private static float quantile(float[] sorted, double p) {
        return sorted[(int) Math.round(p * (sorted.length - 1))];
    }

    /** {@code round((x - lower) / step)} clamped to {@code [0, 255]}. */
    private int level(float x) {
        int u = Math.round((x - lower) * invStep);
        return Math.min(255, Math.max(0, u));
    }

    private double reconstruct(int level) {
        return (double) lower + (double) step * level;
    }

    private boolean hasCorrection() {
        return metric != DistanceMetric.EUCLIDEAN_SQUARED;
    }

    @Override
    public DistanceMetric metric() {
        return metric;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int codeSize() {
        return dimension + (hasCorrection() ? Float.BYTES : 0);
    }

    /** The lower end of the clipping range. */
    public float lower() {
        return lower;
    }

    /** {@code m = lower + 128·step}: the value of level 0, so that a signed level {@code c} decodes to {@code m + step·c}. */
    public double midpoint() {
        return offset;
    }

    /** The width of one quantization level; the range is {@code [lower, lower + 255 · step]}. */
    public float step() {
        return step;
    }

    @Override
    public void encode(float[] vector, MemorySegment destination, long offset) {
        QuantMath.checkDimension(vector, dimension);
        float[] v = QuantMath.prepare(metric, vector);
        long sum = 0;
        for (int i = 0; i < dimension; i++) {
            int c = level(v[i]) - 128;
            destination.set(ValueLayout.JAVA_BYTE, offset + i, (byte) c);
            sum += c;
        }
        if (hasCorrection()) {
            destination.set(ScalarScorer.FLOAT_LE, offset + dimension, correction(sum));
        }
    }

    /** {@code k = n·m²/2 + m·step·Σ c_i}: half of the constant part of a decoded dot product. */
    float correction(long codeSum) {
        return (float) (dimension * offset * offset / 2 + offset * step * codeSum);
    }

    /** Quantizes a (prepared) query into {@code out} and returns the sum of its codes. */
    long quantize(float[] v, byte[] out) {
        long sum = 0;
        for (int i = 0; i < dimension; i++) {
            int c = level(v[i]) - 128;
            out[i] = (byte) c;
            sum += c;
        }
        return sum;
    }

    @Override
    public float[] decode(MemorySegment codes, long offset) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) (this.offset + (double) step * codes.get(ValueLayout.JAVA_BYTE, offset + i));
        }
        return v;
    }

    @Override
    public ApproximateScorer scorer(float[] query, MemorySegment codes) {
        QuantMath.checkDimension(query, dimension);
        return new ScalarScorer(this, QuantMath.prepare(metric, query), codes);
    }

    @Override
    public void write(OutputStream out) throws IOException {
        BytesWriter w = QuantizerFormat.begin(QuantizerFormat.KIND_SCALAR, metric, dimension, 8);
        QuantizerFormat.writeFloat(w, lower);
        QuantizerFormat.writeFloat(w, step);
        QuantizerFormat.finish(w, out);
    }

    static ScalarQuantizer readBody(BytesReader r, DistanceMetric metric, int dimension) {
        float lower = QuantizerFormat.readFloat(r);
        QuantizerFormat.check(r, Float.isFinite(lower), "lower", "finite", lower);
        float step = QuantizerFormat.readFloat(r);
        QuantizerFormat.check(r, step > 0 && Float.isFinite(step), "step", "finite and > 0", step);
        return new ScalarQuantizer(metric, dimension, lower, step);
    }

    @Override
    public String toString() {
        return "ScalarQuantizer[" + metric.wireName() + ", dim " + dimension + ", range [" + lower + ", "
                + (lower + 255 * step) + "]]";
    }
}
