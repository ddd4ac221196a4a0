package io.lodestone.bench;

import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * What {@code lodestone bench cold} loads and asks: rows with a vector and a text, query vectors with their
 * exact top-10 row numbers, and query texts. Either the first rows of a dataset directory (TEXMEX vectors plus
 * {@code docs.jsonl} / {@code queries.jsonl}, as {@code ../shared/data/debian-minilm}) or seeded synthetic data.
 *
 * @param metric       the distance the ground truth is exact for
 * @param dims         vector dimensions
 * @param base         row-major vectors of the rows; row {@code i} is document id {@code i}
 * @param texts        each row's text (the full-text attribute)
 * @param queries      query vectors
 * @param truth        for each query vector, the row numbers of its exact {@value #K} nearest rows, nearest first
 * @param queryTexts   BM25 queries
 * @param truthSource  where the ground truth came from (the dataset's file, or computed here)
 */
record ColdDataset(DistanceMetric metric, int dims, float[] base, String[] texts, float[][] queries, int[][] truth,
                   String[] queryTexts, String truthSource) {
    static final int K = 10;
    /** A BM25 query is the first this many words of a held-out text, as {@code bench text} does it. */
    private static final int QUERY_WORDS = 8;

    int rows() {
        return texts.length;
    }

    /**
     * The first {@code rows} rows (all when 0) and first {@code nq} queries of a dataset directory. Its
     * {@code groundtruth.ivecs} is used when every row is loaded; otherwise the ground truth is computed.
     */
    static ColdDataset fromDirectory(Path dir, int rows, int nq) throws IOException {
        DistanceMetric metric = DistanceMetric.parse(AnnBench.metricFromMeta(dir));
        TexmexFiles.FloatRows base = TexmexFiles.readFvecs(dir.resolve("base.fvecs"), rows > 0 ? rows : Integer.MAX_VALUE);
        if (rows > base.count()) {
            throw new IllegalArgumentException("--rows " + rows + " is more than the " + base.count() + " rows of " + dir);
        }
        TexmexFiles.FloatRows q = TexmexFiles.readFvecs(dir.resolve("query.fvecs"), nq);
        if (q.dim() != base.dim()) {
            throw new IllegalArgumentException("query dimension " + q.dim() + " != base dimension " + base.dim());
        }
        String[] texts = textsById(TextBench.readJsonl(dir.resolve("docs.jsonl")), base.count(), "docs.jsonl");
        String[] queryTexts = textsById(TextBench.readJsonl(dir.resolve("queries.jsonl")), q.count(), "queries.jsonl");
        for (int i = 0; i < queryTexts.length; i++) queryTexts[i] = TextBench.firstWords(queryTexts[i], QUERY_WORDS);
        float[][] queries = LoadBench.split(q);
        boolean whole = Files.size(dir.resolve("base.fvecs")) == 4L * (base.dim() + 1) * base.count();
        int[][] truth;
        String source;
        if (whole && Files.exists(dir.resolve("groundtruth.ivecs"))) {
            TexmexFiles.IntRows t = TexmexFiles.readIvecs(dir.resolve("groundtruth.ivecs"), q.count());
            truth = new int[q.count()][];
            for (int i = 0; i < truth.length; i++) truth[i] = Arrays.copyOfRange(t.data(), i * t.dim(), i * t.dim() + K);
            source = "groundtruth.ivecs";
        } else {
            truth = exactTopK(metric, base.data(), base.dim(), queries);
            source = "brute force over the loaded rows";
        }
        return new ColdDataset(metric, base.dim(), base.data(), texts, queries, truth, queryTexts, source);
    }

    /**
     * {@code rows} rows of seeded Gaussian vectors of {@code dims} dimensions (cosine distance) and a text of
     * 10..30 words drawn from a Zipf distribution over a 2,000-word vocabulary; {@code nq} query vectors from the
     * same distribution (held out, as a dataset's are) with exact ground truth; queries of 3 words drawn the
     * same way. The vectors are {@link LowRankGaussian}: real embeddings have a low intrinsic dimension, while
     * i.i.d. Gaussian coordinates at 768 dimensions have none and no graph index finds their neighbours (recall@10
     * 0.055 through the engine at the default search width on 100,000 rows).
     */
    static ColdDataset synthetic(int rows, int dims, int nq, long seed) {
        Random random = new Random(seed);
        var vectors = new LowRankGaussian(dims, random);
        float[] base = new float[Math.multiplyExact(rows, dims)];
        for (int i = 0; i < rows; i++) vectors.next(random, base, i * dims);
        SyntheticText words = new SyntheticText(2_000);
        String[] texts = new String[rows];
        for (int i = 0; i < rows; i++) texts[i] = words.sentence(random, 10 + random.nextInt(21));
        float[][] queries = new float[nq][];
        String[] queryTexts = new String[nq];
        for (int i = 0; i < nq; i++) {
            queries[i] = new float[dims];
            vectors.next(random, queries[i], 0);
            queryTexts[i] = words.sentence(random, 3);
        }
        DistanceMetric metric = DistanceMetric.COSINE_DISTANCE;
        return new ColdDataset(metric, dims, base, texts, queries, exactTopK(metric, base, dims, queries), queryTexts,
                "brute force over the generated rows");
    }

    /** The exact {@value #K} nearest rows of each query, nearest first (ties: lower row first), on all cores. */
    static int[][] exactTopK(DistanceMetric metric, float[] base, int dims, float[][] queries) {
        int rows = base.length / dims;
        return IntStream.range(0, queries.length).parallel().mapToObj(q -> {
            float[] d = new float[rows];
            VectorUtil.distances(metric, queries[q], base, 0, rows, dims, d);
            int[] best = new int[K];
            float[] bestD = new float[K];
            Arrays.fill(bestD, Float.POSITIVE_INFINITY);
            Arrays.fill(best, -1);
            for (int r = 0; r < rows; r++) {
                if (d[r] >= bestD[K - 1]) continue;
                int at = K - 1;
                while (at > 0 && bestD[at - 1] > d[r]) {
                    bestD[at] = bestD[at - 1];
                    best[at] = best[at - 1];
                    at--;
                }
                bestD[at] = d[r];
                best[at] = r;
            }
            return best;
        }).toArray(int[][]::new);
    }

    /**
     * Gaussian vectors with a low-rank covariance plus a little isotropic noise: {@code A z + 0.1 e}, where
     * {@code A} is a fixed {@code dims × RANK} matrix of standard Gaussians, {@code z} and {@code e} standard
     * Gaussian vectors of {@code RANK} and {@code dims} values.
     */
    private static final class LowRankGaussian {
        private static final int RANK = 32;
        private static final double NOISE = 0.1;
        private final int dims;
        private final int rank;
        private final float[] basis;

        LowRankGaussian(int dims, Random random) {
            this.dims = dims;
            this.rank = Math.min(RANK, dims);
            this.basis = new float[dims * rank];
            for (int i = 0; i < basis.length; i++) basis[i] = (float) random.nextGaussian();
        }

        /** Writes the next vector to {@code out[offset .. offset + dims)}. */
        void next(Random random, float[] out, int offset) {
            float[] z = new float[rank];
            for (int j = 0; j < rank; j++) z[j] = (float) random.nextGaussian();
            for (int d = 0; d < dims; d++) {
                out[offset + d] = VectorUtil.dot(basis, d * rank, z, 0, rank) + (float) (NOISE * random.nextGaussian());
            }
        }
    }

    /** Texts indexed by id; every id in [0, n) must be present. */
    private static String[] textsById(List<TextBench.Doc> docs, int n, String file) {
        String[] texts = new String[n];
        for (TextBench.Doc d : docs) {
            if (d.id() >= 0 && d.id() < n) texts[(int) d.id()] = d.text();
        }
        for (int i = 0; i < n; i++) {
            if (texts[i] == null) throw new IllegalArgumentException(file + " has no line with id " + i);
        }
        return texts;
    }

    /** Pseudo-words of two syllables, drawn by a Zipf law (the word of rank r has weight 1/r). */
    private static final class SyntheticText {
        private static final String CONSONANTS = "bdfgklmnprtvz";
        private static final String VOWELS = "aeiou";
        private final String[] words;
        private final double[] cumulative;

        SyntheticText(int vocabulary) {
            int syllables = CONSONANTS.length() * VOWELS.length();
            if (vocabulary > syllables * syllables) throw new IllegalArgumentException("vocabulary too large: " + vocabulary);
            words = new String[vocabulary];
            cumulative = new double[vocabulary];
            double sum = 0;
            for (int i = 0; i < vocabulary; i++) {
                words[i] = syllable(i % syllables) + syllable(i / syllables);
                sum += 1.0 / (i + 1);
                cumulative[i] = sum;
            }
            for (int i = 0; i < vocabulary; i++) cumulative[i] /= sum;
        }

        String sentence(Random random, int n) {
            var sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                int at = Arrays.binarySearch(cumulative, random.nextDouble());
                sb.append(i > 0 ? " " : "").append(words[Math.min(words.length - 1, at >= 0 ? at : -at - 1)]);
            }
            return sb.toString();
        }

        private static String syllable(int i) {
            return "" + CONSONANTS.charAt(i % CONSONANTS.length()) + VOWELS.charAt(i / CONSONANTS.length());
        }
    }
}
