package io.lodestone.quant;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.BytesWriter;
import io.lodestone.index.ApproximateScorer;
import io.lodestone.vector.DistanceMetric;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Product quantization: the {@code n} dimensions are cut into {@code M} contiguous subspaces (subspace
 * {@code s} covers dimensions {@code [floor(s·n/M), floor((s+1)·n/M))}), each with its own codebook of
 * up to 256 centroids learned by k-means; a vector is stored as the index of the nearest centroid in
 * each subspace, one byte per subspace, no per-vector extras: {@code codeSize() == M}.
 *
 * <p><b>Training</b>: k-means++ seeding then Lloyd rounds ({@link KMeans}) per subspace, on at most
 * {@link Config#maxTrainingVectors} vectors of the sample (normalized for cosine). Subspaces train in
 * parallel, each from its own seed derived from the given one, so the result does not depend on
 * scheduling.
 *
 * <p><b>Scoring</b> is asymmetric (ADC): the query stays in floats and fills a table of {@code M × 256}
 * partial distances (squared L2 per subspace, or the negated partial dot product); a code's distance
 * is the sum of {@code M} table lookups. Cosine uses half the squared L2 distance between the unit
 * query and the decoded vector, which equals {@code 1 - cos} for exact codes and, on MiniLM
 * embeddings, ranks better than {@code 1 - ⟨q, decoded⟩} (it also charges codes whose decoded norm
 * drifts from 1). The scorer reads eight code bytes per load.
 */
public final class ProductQuantizer implements VectorQuantizer {

    /** Codebook size per subspace: one byte per subspace. */
    static final int CLUSTERS = 256;

    /**
     * Product quantizer settings.
     *
     * @param subspaces          {@code M}, the code size in bytes, in {@code [1, dimension]}
     * @param iterations         Lloyd rounds per subspace, at least 1
     * @param maxTrainingVectors the most sample vectors k-means sees (a seeded subset above that)
     */
    public record Config(int subspaces, int iterations, int maxTrainingVectors) implements QuantizerConfig {

        /** Checks the values (the dimension is checked at training). */
        public Config {
            if (subspaces < 1) {
                throw new IllegalArgumentException("subspaces must be >= 1; got " + subspaces);
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be >= 1; got " + iterations);
            }
            if (maxTrainingVectors < 1) {
                throw new IllegalArgumentException("maxTrainingVectors must be >= 1; got " + maxTrainingVectors);
            }
        }

        /** {@code subspaces} bytes per vector, 15 Lloyd rounds on at most 20,000 vectors. */
        public Config(int subspaces) {
            this(subspaces, 15, 20_000);
        }

        @Override
        public ProductQuantizer train(DistanceMetric metric, float[][] sample, long seed) {
            return ProductQuantizer.train(metric, sample, this, seed);
        }
    }

    private final DistanceMetric metric;
    private final int dimension;
    private final int subspaces;
    private final int clusters;
    /** Codebook {@code s}: {@code clusters × subspaceLength(s)} floats, row-major. */
    private final float[][] codebooks;
    /** Codebook {@code s} coordinate-major ({@link KMeans#transpose}), for encoding. */
    private final float[][] transposed;

    ProductQuantizer(DistanceMetric metric, int dimension, int clusters, float[][] codebooks) {
        QuantMath.checkMetric(metric);
        this.metric = metric;
        this.dimension = dimension;
        this.subspaces = codebooks.length;
        this.clusters = clusters;
        this.codebooks = codebooks;
        this.transposed = new float[subspaces][];
        for (int s = 0; s < subspaces; s++) {
            int len = start(s + 1, dimension, subspaces) - start(s, dimension, subspaces);
            transposed[s] = new float[clusters * len];
            KMeans.transpose(codebooks[s], clusters, len, transposed[s]);
        }
    }

    private static ProductQuantizer train(DistanceMetric metric, float[][] sample, Config config, long seed) {
        QuantMath.checkMetric(metric);
        int dim = QuantMath.checkSample(sample);
        int m = config.subspaces();
        if (m > dim) {
            throw new IllegalArgumentException("subspaces must be in [1, " + dim + "] (the dimension); got " + m);
        }
        float[][] vectors = QuantMath.trainingSet(metric, sample, config.maxTrainingVectors(), new Random(seed));
        int n = vectors.length;
        int k = Math.min(CLUSTERS, n);
        float[][] codebooks = new float[m][];
        IntStream.range(0, m).parallel().forEach(s -> {
            int start = start(s, dim, m);
            int len = start(s + 1, dim, m) - start;
            float[] points = new float[n * len];
            for (int p = 0; p < n; p++) {
                System.arraycopy(vectors[p], start, points, p * len, len);
            }
            // A distinct, well-mixed seed per subspace: the result is independent of scheduling.
            Random random = new Random(seed ^ (0x9E3779B97F4A7C15L * (s + 1)));
            codebooks[s] = KMeans.train(points, n, len, k, config.iterations(), random);
        });
        return new ProductQuantizer(metric, dim, k, codebooks);
    }

    /** The first dimension of subspace {@code s}. */
    static int start(int s, int dimension, int subspaces) {
        return (int) ((long) s * dimension / subspaces);
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
        return subspaces;
    }

    /** {@code M}, the number of subspaces. */
    public int subspaces() {
        return subspaces;
    }

    /** Centroids per subspace: 256, or fewer when trained on fewer vectors. */
    public int clusters() {
        return clusters;
    }

    @Override
    public void encode(float[] vector, MemorySegment destination, long offset) {
        QuantMath.checkDimension(vector, dimension);
        float[] v = QuantMath.prepare(metric, vector);
        float[] scratch = new float[clusters];
        for (int s = 0; s < subspaces; s++) {
            int start = start(s, dimension, subspaces);
            int len = start(s + 1, dimension, subspaces) - start;
            int c = KMeans.nearest(transposed[s], clusters, len, v, start, scratch);
            destination.set(ValueLayout.JAVA_BYTE, offset + s, (byte) c);
        }
    }

    @Override
    public float[] decode(MemorySegment codes, long offset) {
        float[] v = new float[dimension];
        for (int s = 0; s < subspaces; s++) {
            int start = start(s, dimension, subspaces);
            int len = start(s + 1, dimension, subspaces) - start;
            int c = codes.get(ValueLayout.JAVA_BYTE, offset + s) & 0xFF;
            System.arraycopy(codebooks[s], c * len, v, start, len);
        }
        return v;
    }

    /**
     * The ADC table for a prepared query: entry {@code s·256 + c} is the partial distance of subspace
     * {@code s} to centroid {@code c}: squared L2 (halved for cosine), or the negated dot product.
     */
    float[] table(float[] q) {
        float[] table = new float[subspaces * CLUSTERS];
        boolean dot = metric == DistanceMetric.DOT_PRODUCT;
        float scale = metric == DistanceMetric.COSINE_DISTANCE ? 0.5f : 1f;
        for (int s = 0; s < subspaces; s++) {
            int start = start(s, dimension, subspaces);
            int len = start(s + 1, dimension, subspaces) - start;
            float[] book = codebooks[s];
            for (int c = 0; c < clusters; c++) {
                float sum = 0f;
                for (int j = 0; j < len; j++) {
                    float x = q[start + j];
                    float y = book[c * len + j];
                    sum += dot ? x * y : (x - y) * (x - y);
                }
                table[s * CLUSTERS + c] = dot ? 0f - sum : scale * sum;
            }
        }
        return table;
    }

    @Override
    public ApproximateScorer scorer(float[] query, MemorySegment codes) {
        QuantMath.checkDimension(query, dimension);
        return new PqScorer(table(QuantMath.prepare(metric, query)), codes, subspaces);
    }

    @Override
    public void write(OutputStream out) throws IOException {
        BytesWriter w = QuantizerFormat.begin(QuantizerFormat.KIND_PRODUCT, metric, dimension,
                8 + clusters * dimension * Float.BYTES);
        w.writeInt(subspaces);
        w.writeInt(clusters);
        for (float[] book : codebooks) {
            w.writeFloats(book);
        }
        QuantizerFormat.finish(w, out);
    }

    static ProductQuantizer readBody(BytesReader r, DistanceMetric metric, int dimension) {
        int m = r.readInt();
        QuantizerFormat.check(r, m >= 1 && m <= dimension, "subspaces", "in [1, " + dimension + "]", m);
        int k = r.readInt();
        QuantizerFormat.check(r, k >= 1 && k <= CLUSTERS, "clusters", "in [1, " + CLUSTERS + "]", k);
        float[][] books = new float[m][];
        for (int s = 0; s < m; s++) {
            int len = start(s + 1, dimension, m) - start(s, dimension, m);
            books[s] = r.readFloats(k * len);
        }
        return new ProductQuantizer(metric, dimension, k, books);
    }

    @Override
    public String toString() {
        return "ProductQuantizer[" + metric.wireName() + ", dim " + dimension + ", " + subspaces + " subspaces × "
                + clusters + " centroids]";
    }
}
