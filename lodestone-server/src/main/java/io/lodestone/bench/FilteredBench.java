package io.lodestone.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lodestone.doc.DocId;
import io.lodestone.doc.IndexConfig;
import io.lodestone.engine.EngineOptions;
import io.lodestone.engine.FilterSpec;
import io.lodestone.engine.Lodestone;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.Query;
import io.lodestone.engine.QueryResult;
import io.lodestone.engine.WriteRequest;
import io.lodestone.store.LocalObjectStore;
import io.lodestone.vector.DistanceMetric;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code lodestone bench filtered}: filtered ANN through the engine. Each row gets {@code share = row % 1000}; a query
 * filtered by {@code share < s · 1000} matches the share {@code s} of the rows. For each index and selectivity: recall@10
 * against a brute-force scan of the matching rows, the fewest rows any query returned (k whenever k rows match is the
 * contract), and single-thread QPS after one untimed pass. One JSON line each.
 */
@Command(name = "filtered", description = "Filtered ANN recall@10 and QPS through the engine, HNSW beside clustered, at"
        + " several selectivities (one JSON line per index and selectivity).")
final class FilteredBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int K = 10;
    private static final int SHARES = 1000;
    private static final int BATCH_ROWS = 2_000;

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--dataset", description = "directory with base.fvecs and query.fvecs (TEXMEX), as ../shared/data/debian-minilm")
    Path dataset;
    @Option(names = "--synthetic", description = "instead of --dataset: ROWSxDIMS seeded Gaussian vectors, e.g. 20000x64")
    String synthetic;
    @Option(names = "--rows", defaultValue = "0", description = "rows of the dataset to load (0: all)")
    int rows;
    @Option(names = "--queries", defaultValue = "200", description = "queries per selectivity")
    int queries;
    @Option(names = "--metric", defaultValue = "cosine_distance", description = "the namespace's distance metric")
    String metric;
    @Option(names = "--selectivity", split = ",", defaultValue = "0.01,0.1,0.5", description = "shares of rows the filter matches")
    List<Double> selectivities;
    @Option(names = "--index", split = ",", defaultValue = "hnsw,clustered", description = "indexes to compare")
    List<String> indexes;

    @Override
    public Integer call() throws Exception {
        DistanceMetric m = DistanceMetric.parse(metric);
        float[][] base;
        float[][] qs;
        if ((dataset == null) == (synthetic == null)) throw usage("give exactly one of --dataset DIR and --synthetic ROWSxDIMS");
        if (queries < 1) throw usage("--queries must be >= 1; got " + queries);
        if (dataset != null) {
            base = LoadBench.split(TexmexFiles.readFvecs(dataset.resolve("base.fvecs"), rows > 0 ? rows : Integer.MAX_VALUE));
            qs = LoadBench.split(TexmexFiles.readFvecs(dataset.resolve("query.fvecs"), queries));
            if (base.length < SHARES) throw usage("--rows: at least " + SHARES + " rows, so that every share matches one");
        } else {
            if (rows != 0) throw usage("--rows applies to --dataset; --synthetic ROWSxDIMS gives the row count");
            String[] parts = synthetic.toLowerCase(java.util.Locale.ROOT).split("x");
            int n, d;
            try {
                if (parts.length != 2) throw new NumberFormatException();
                n = Integer.parseInt(parts[0].strip());
                d = Integer.parseInt(parts[1].strip());
            } catch (NumberFormatException e) {
                throw usage("--synthetic must be ROWSxDIMS, e.g. 20000x64; got " + synthetic);
            }
            if (n < SHARES || d < 1) throw usage("--synthetic needs at least " + SHARES + " rows and 1 dimension; got " + synthetic);
            Random r = new Random(42);
            base = gaussian(r, n, d);
            qs = gaussian(r, queries, d);
        }
        for (double s : selectivities) {
            if (!(s >= 1.0 / SHARES && s <= 1)) throw usage("--selectivity values must be in [0.001, 1]; got " + s);
        }
        for (String index : indexes) if (!IndexConfig.TYPES.contains(index)) throw usage("--index must be in " + IndexConfig.TYPES);
        PrintWriter out = spec.commandLine().getOut();
        for (String index : indexes) {
            Path dir = Files.createTempDirectory("lodestone-filtered-bench");
            try (Lodestone db = Lodestone.open(new LocalObjectStore(dir.resolve("data")),
                    BenchSupport.engineOptions(dir, BenchSupport.Indexing.ON_FLUSH, 0))) {
                Namespace ns = db.namespace("filtered");
                long t0 = System.nanoTime();
                load(ns, base, m, new IndexConfig(16, 200, "none", index));
                double loadS = (System.nanoTime() - t0) / 1e9;
                for (double s : selectivities) {
                    ObjectNode line = measure(ns, base, qs, m, s).put("index", index).put("rows", base.length)
                            .put("dims", base[0].length).put("metric", m.wireName()).put("load_and_index_s", ColdBench.round1(loadS));
                    out.println(JSON.writeValueAsString(line));
                    out.flush();
                }
            } finally {
                BenchSupport.deleteTree(dir);
            }
        }
        return 0;
    }

    private static void load(Namespace ns, float[][] base, DistanceMetric m, IndexConfig index) {
        for (int start = 0; start < base.length; start += BATCH_ROWS) {
            WriteRequest.Builder w = WriteRequest.builder().distanceMetric(m).index(index);
            for (int i = start; i < Math.min(base.length, start + BATCH_ROWS); i++) {
                w.upsert(DocId.of(i), base[i], Map.of("share", (long) (i % SHARES)));
            }
            ns.write(w.build());
        }
        TextBench.quiet(ns);
    }

    private static ObjectNode measure(Namespace ns, float[][] base, float[][] qs, DistanceMetric m, double selectivity) {
        int below = (int) Math.round(selectivity * SHARES);
        FilterSpec filter = FilterSpec.sql("share < " + below);
        double recall = 0;
        int fewest = Integer.MAX_VALUE;
        for (float[] q : qs) {
            QueryResult r = ns.query(query(q, filter));
            Set<Long> truth = truth(base, q, m, below);
            int hits = 0;
            for (QueryResult.Row row : r.rows()) if (row.id() instanceof DocId.U64 u && truth.contains(u.value())) hits++;
            recall += hits / (double) Math.min(K, truth.size());
            fewest = Math.min(fewest, r.rows().size());
        }
        long t0 = System.nanoTime();
        for (float[] q : qs) ns.query(query(q, filter));
        double seconds = (System.nanoTime() - t0) / 1e9;
        long matching = 0;
        for (int i = 0; i < base.length; i++) if (i % SHARES < below) matching++;
        return JSON.createObjectNode().put("bench", "filtered").put("selectivity", selectivity)
                .put("matching_rows", matching).put("queries", qs.length)
                .put("recall_at_10", Math.round(1e4 * recall / qs.length) / 1e4)
                .put("fewest_rows_returned", fewest).put("qps_1t", ColdBench.round1(qs.length / seconds));
    }

    private static Query query(float[] q, FilterSpec filter) {
        return new Query(new Query.RankBy.Vector(q, true), filter, K, Query.AttributeSelection.NONE, Map.of(), List.of(), false);
    }

    /** Ids of the K nearest rows whose share is below {@code below}, by a scan (ties by id). */
    private static Set<Long> truth(float[][] base, float[] q, DistanceMetric m, int below) {
        TopIds top = new TopIds(K);
        for (int i = 0; i < base.length; i++) if (i % SHARES < below) top.offer(m.distance(q, base[i]), i);
        return top.ids();
    }

    private static float[][] gaussian(Random r, int n, int dims) {
        float[][] v = new float[n][dims];
        for (float[] row : v) for (int j = 0; j < dims; j++) row[j] = (float) r.nextGaussian();
        return v;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
