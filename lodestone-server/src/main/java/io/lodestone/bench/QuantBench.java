package io.lodestone.bench;

import io.lodestone.index.ApproximateScorer;
import io.lodestone.index.ArrayVectorValues;
import io.lodestone.index.ExactScorer;
import io.lodestone.index.FloatVectorScorerSupplier;
import io.lodestone.quant.BoundedScorer;
import io.lodestone.quant.Neighbor;
import io.lodestone.quant.ProductQuantizer;
import io.lodestone.quant.QuantizerConfig;
import io.lodestone.quant.RaBitQuantizer;
import io.lodestone.quant.Reranker;
import io.lodestone.quant.ScalarQuantizer;
import io.lodestone.quant.VectorQuantizer;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recall of each quantizer on a TEXMEX-format dataset ({@code base.fvecs}, {@code query.fvecs},
 * {@code groundtruth.ivecs}): for every query, a brute-force scan over all codes picks the top R by
 * approximate distance, the exact rerank on full vectors keeps the top 10, and recall@10 is measured
 * against the ground truth, for R in {10, 20, 50, 100}. RaBitQ also runs its bound-pruned rerank over
 * the top 1,000 candidates. Prints one Markdown table row per quantizer.
 *
 * <p>Standalone (not a {@code lodestone bench} subcommand):
 * <pre>
 * java --add-modules jdk.incubator.vector -cp lodestone-server/target/lodestone-server.jar \
 *     io.lodestone.bench.QuantBench DATASET_DIR [METRIC] [QUERIES] [CONFIG...]
 * </pre>
 * {@code METRIC} defaults to {@code cosine_distance}, {@code QUERIES} to all; configs are
 * {@code int8}, {@code pq:M}, {@code rabitq}, {@code rabitq:B} (B bits per dimension),
 * {@code rabitq-hadamard}, {@code rabitq-dense} (default: int8, pq:48, pq:96, pq:192, rabitq,
 * rabitq-hadamard, rabitq:2, rabitq:4). Training uses every base vector (each
 * quantizer subsamples as documented) and seed 42.
 */
public final class QuantBench {

    private static final int K = 10;
    private static final int[] RERANK = {10, 20, 50, 100};
    private static final int BOUNDED_CANDIDATES = 1000;

    private QuantBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: QuantBench DATASET_DIR [METRIC] [QUERIES] [CONFIG...]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        DistanceMetric metric = DistanceMetric.parse(args.length > 1 ? args[1] : "cosine_distance");
        float[][] base = readFvecs(dir.resolve("base.fvecs"));
        float[][] queries = readFvecs(dir.resolve("query.fvecs"));
        int[][] truth = readIvecs(dir.resolve("groundtruth.ivecs"));
        int nq = args.length > 2 ? Math.min(Integer.parseInt(args[2]), queries.length) : queries.length;
        List<String> configs = args.length > 3 ? List.of(args).subList(3, args.length)
                : List.of("int8", "pq:48", "pq:96", "pq:192", "rabitq", "rabitq-hadamard", "rabitq:2", "rabitq:4");
        int dim = base[0].length;
        System.out.printf(Locale.ROOT, "# %s: %d base × %d-d, %d queries, %s, kernels %s, %d cores%n", dir.getFileName(),
                base.length, dim, nq, metric.wireName(), VectorUtil.implementationName(),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| quantizer | bytes/vector | train s | encode s | scan ms/query "
                + "| R=10 | R=20 | R=50 | R=100 | bound-pruned rerank of top 1000: recall, exact distances/query |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| float32 (exact) | %d | | | | 1.000 | | | | |%n", dim * 4);
        FloatVectorScorerSupplier vectors = FloatVectorScorerSupplier.create(metric, ArrayVectorValues.copyOf(base));
        for (String name : configs) {
            run(name, config(name), metric, base, queries, truth, nq, vectors);
        }
    }

    private static QuantizerConfig config(String name) {
        if (name.startsWith("pq:")) {
            return new ProductQuantizer.Config(Integer.parseInt(name.substring(3)));
        }
        if (name.startsWith("rabitq:")) {
            return RaBitQuantizer.Config.withBits(Integer.parseInt(name.substring(7)));
        }
        return switch (name) {
            case "int8" -> ScalarQuantizer.Config.AUTO;
            case "rabitq" -> RaBitQuantizer.Config.DEFAULT;
            case "rabitq-hadamard" -> new RaBitQuantizer.Config(1, 1.9, 4, RaBitQuantizer.RotationKind.HADAMARD);
            case "rabitq-dense" -> new RaBitQuantizer.Config(1, 1.9, 4, RaBitQuantizer.RotationKind.DENSE);
            default -> throw new IllegalArgumentException("unknown config " + name
                    + "; use int8, pq:M, rabitq, rabitq:B, rabitq-hadamard or rabitq-dense");
        };
    }

    private static void run(String name, QuantizerConfig config, DistanceMetric metric, float[][] base,
                            float[][] queries, int[][] truth, int nq, FloatVectorScorerSupplier vectors) throws IOException {
        long t0 = System.nanoTime();
        VectorQuantizer quantizer = config.train(metric, base, 42);
        long t1 = System.nanoTime();
        byte[] codes = quantizer.encodeAll(base);
        long t2 = System.nanoTime();
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        quantizer.write(params);

        double[] recall = new double[RERANK.length];
        double boundedRecall = 0;
        long exactDistances = 0;
        long scanNanos = 0;
        int maxR = RERANK[RERANK.length - 1];
        for (int q = 0; q < nq; q++) {
            float[] query = queries[q];
            ApproximateScorer scorer = quantizer.scorer(query, codes);
            long s0 = System.nanoTime();
            int[] candidates = Reranker.nearestCandidates(scorer, Math.max(maxR, scorer instanceof BoundedScorer
                    ? BOUNDED_CANDIDATES : 0));
            scanNanos += System.nanoTime() - s0;
            ExactScorer exact = vectors.forQuery(query);
            for (int i = 0; i < RERANK.length; i++) {
                int r = Math.min(RERANK[i], candidates.length);
                List<Neighbor> top = Reranker.rerank(candidates, r, exact, K);
                recall[i] += recall(truth[q], top);
            }
            if (scorer instanceof BoundedScorer bounded) {
                Reranker.Result result = Reranker.rerank(bounded, candidates, candidates.length, exact, K);
                boundedRecall += recall(truth[q], result.neighbors());
                exactDistances += result.exactDistances();
            }
        }
        StringBuilder row = new StringBuilder();
        row.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.2f |", name, quantizer.codeSize(),
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, scanNanos / 1e6 / nq));
        for (double r : recall) {
            row.append(String.format(Locale.ROOT, " %.3f |", r / nq));
        }
        if (quantizer instanceof RaBitQuantizer) {
            row.append(String.format(Locale.ROOT, " %.3f, %.0f |", boundedRecall / nq, (double) exactDistances / nq));
        } else {
            row.append(" |");
        }
        System.out.println(row);
        System.err.printf(Locale.ROOT, "%s: %s, parameters %d bytes%n", name, quantizer, params.size());
    }

    private static double recall(int[] truth, List<Neighbor> found) {
        int hits = 0;
        for (int i = 0; i < K; i++) {
            for (Neighbor n : found) {
                if (n.ordinal() == truth[i]) {
                    hits++;
                    break;
                }
            }
        }
        return (double) hits / K;
    }

    /** TEXMEX {@code .fvecs}: per vector, a little-endian int32 dimension then that many float32. */
    static float[][] readFvecs(Path path) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        List<float[]> out = new ArrayList<>();
        while (buf.hasRemaining()) {
            float[] v = new float[buf.getInt()];
            buf.asFloatBuffer().get(v);
            buf.position(buf.position() + v.length * Float.BYTES);
            out.add(v);
        }
        return out.toArray(new float[0][]);
    }

    /** TEXMEX {@code .ivecs}: per row, a little-endian int32 count then that many int32. */
    static int[][] readIvecs(Path path) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        List<int[]> out = new ArrayList<>();
        while (buf.hasRemaining()) {
            int[] v = new int[buf.getInt()];
            buf.asIntBuffer().get(v);
            buf.position(buf.position() + v.length * Integer.BYTES);
            out.add(v);
        }
        return out.toArray(new int[0][]);
    }
}
