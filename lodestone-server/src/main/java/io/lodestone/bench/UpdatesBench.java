package io.lodestone.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lodestone.doc.DocId;
import io.lodestone.doc.IndexConfig;
import io.lodestone.engine.Lodestone;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.Query;
import io.lodestone.engine.QueryResult;
import io.lodestone.engine.WriteRequest;
import io.lodestone.segment.Manifest;
import io.lodestone.segment.ManifestStore;
import io.lodestone.store.LocalObjectStore;
import io.lodestone.vector.DistanceMetric;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code lodestone bench updates}: what inserts and deletes do to an ANN index through the engine. A namespace is
 * loaded with {@code n / (1 + insert share)} rows and folded; then the rest are inserted (the insert share more) and
 * folded, and then a share of all rows deleted and folded. Measured: the bytes each step wrote to the store (files it
 * added), whether the first fold's segments are still in the manifest (no rebuild of them), and recall@10 at each
 * search width against a scan of the live rows, beside a fresh namespace loaded with the live rows in one go. One
 * JSON line per width.
 */
@Command(name = "updates", description = "Recall@10 after inserts and deletes beside a fresh build, and the bytes each"
        + " step wrote (one JSON line per search width).")
final class UpdatesBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int K = 10;
    private static final int BATCH_ROWS = 2_000;

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--dataset", required = true, description = "directory with base.fvecs and query.fvecs (TEXMEX), as ../shared/data/debian-minilm")
    Path dataset;
    @Option(names = "--queries", defaultValue = "200", description = "queries")
    int queries;
    @Option(names = "--metric", defaultValue = "cosine_distance", description = "the namespace's distance metric")
    String metric;
    @Option(names = "--index", defaultValue = "clustered", description = "hnsw | clustered")
    String index;
    @Option(names = "--width", split = ",", defaultValue = "16,24,32,48", description = "search widths (nprobe or ef)")
    List<Integer> widths;
    @Option(names = "--insert-share", defaultValue = "0.10", description = "rows inserted after the first fold, as a share of its rows")
    double insertShare;
    @Option(names = "--delete-share", defaultValue = "0.05", description = "share of all rows deleted last")
    double deleteShare;
    @Option(names = "--seed", defaultValue = "42", description = "seeds which rows are deleted")
    long seed;

    @Override
    public Integer call() throws Exception {
        DistanceMetric m = DistanceMetric.parse(metric);
        if (!IndexConfig.TYPES.contains(index)) throw usage("--index must be in " + IndexConfig.TYPES);
        if (!(insertShare > 0 && insertShare <= 1)) throw usage("--insert-share must be in (0, 1]; got " + insertShare);
        if (!(deleteShare >= 0 && deleteShare < 1)) throw usage("--delete-share must be in [0, 1); got " + deleteShare);
        if (queries < 1) throw usage("--queries must be >= 1; got " + queries);
        for (int w : widths) if (w < 1) throw usage("--width values must be >= 1; got " + w);
        for (String f : List.of("base.fvecs", "query.fvecs")) {
            if (!Files.isRegularFile(dataset.resolve(f))) throw usage("--dataset " + dataset + " has no " + f);
        }
        float[][] base = LoadBench.split(TexmexFiles.readFvecs(dataset.resolve("base.fvecs"), Integer.MAX_VALUE));
        float[][] qs = LoadBench.split(TexmexFiles.readFvecs(dataset.resolve("query.fvecs"), queries));
        int first = (int) Math.round(base.length / (1 + insertShare));
        BitSet deleted = new BitSet(base.length);
        Random r = new Random(seed);
        int toDelete = (int) Math.round(deleteShare * base.length);
        while (deleted.cardinality() < toDelete) deleted.set(r.nextInt(base.length));
        IndexConfig config = new IndexConfig(16, 200, "none", index);
        List<Set<Long>> truth = java.util.Arrays.stream(qs).map(q -> truth(base, deleted, q, m)).toList();

        Path updatedDir = Files.createTempDirectory("lodestone-updates-bench");
        Path freshDir = Files.createTempDirectory("lodestone-updates-bench");
        try (Lodestone updated = Lodestone.open(new LocalObjectStore(updatedDir.resolve("data")),
                BenchSupport.engineOptions(updatedDir, BenchSupport.Indexing.ON_FLUSH, 0));
             Lodestone fresh = Lodestone.open(new LocalObjectStore(freshDir.resolve("data")),
                     BenchSupport.engineOptions(freshDir, BenchSupport.Indexing.ON_FLUSH, 0))) {
            Namespace ns = updated.namespace("updates");
            Path data = updatedDir.resolve("data");
            Map<Path, Long> before = files(data);
            write(ns, base, rows(0, first), new BitSet(), m, config);
            long firstBytes = added(before, files(data));
            Set<String> firstSegments = segmentIds(data);
            before = files(data);
            write(ns, base, rows(first, base.length), new BitSet(), m, config);
            long insertBytes = added(before, files(data));
            before = files(data);
            write(ns, base, new BitSet(), deleted, m, config);
            long deleteBytes = added(before, files(data));
            Set<String> segments = segmentIds(data);

            Namespace again = fresh.namespace("fresh");
            BitSet live = rows(0, base.length);
            live.andNot(deleted);
            write(again, base, live, new BitSet(), m, config);

            PrintWriter out = spec.commandLine().getOut();
            for (int w : widths) {
                ObjectNode line = JSON.createObjectNode().put("bench", "updates").put("index", index).put("width", w)
                        .put("rows_first", first).put("rows_inserted", base.length - first).put("rows_deleted", toDelete)
                        .put("queries", qs.length)
                        .put("recall_at_10_updated", recall(ns, qs, truth, w)).put("recall_at_10_fresh", recall(again, qs, truth, w))
                        .put("bytes_written_first", firstBytes).put("bytes_written_insert", insertBytes)
                        .put("bytes_written_delete", deleteBytes).put("segments", segments.size())
                        .put("first_segments_kept", segments.containsAll(firstSegments));
                out.println(JSON.writeValueAsString(line));
                out.flush();
            }
        } finally {
            BenchSupport.deleteTree(updatedDir);
            BenchSupport.deleteTree(freshDir);
        }
        return 0;
    }

    /** Rows {@code [from, to)}. */
    private static BitSet rows(int from, int to) {
        BitSet b = new BitSet(to);
        b.set(from, to);
        return b;
    }

    /** Upserts the rows of {@code upserts} with their vectors, deletes those of {@code deletes}, in batches, and folds. */
    private static void write(Namespace ns, float[][] base, BitSet upserts, BitSet deletes, DistanceMetric m, IndexConfig config) {
        int[] up = upserts.stream().toArray();
        for (int start = 0; start < up.length; start += BATCH_ROWS) {
            WriteRequest.Builder w = WriteRequest.builder().distanceMetric(m).index(config);
            for (int i = start; i < Math.min(up.length, start + BATCH_ROWS); i++) w.upsert(DocId.of(up[i]), base[up[i]], Map.of());
            ns.write(w.build());
        }
        int[] down = deletes.stream().toArray();
        for (int start = 0; start < down.length; start += BATCH_ROWS) {
            WriteRequest.Builder w = WriteRequest.builder();
            for (int i = start; i < Math.min(down.length, start + BATCH_ROWS); i++) w.delete(DocId.of(down[i]));
            ns.write(w.build());
        }
        TextBench.quiet(ns);
    }

    private static double recall(Namespace ns, float[][] qs, List<Set<Long>> truth, int width) {
        double sum = 0;
        for (int i = 0; i < qs.length; i++) {
            QueryResult r = ns.query(new Query(new Query.RankBy.Vector(qs[i], true, null, width), null, K,
                    Query.AttributeSelection.NONE, Map.of(), List.of(), false));
            int hits = 0;
            for (QueryResult.Row row : r.rows()) if (row.id() instanceof DocId.U64 u && truth.get(i).contains(u.value())) hits++;
            sum += hits / (double) Math.min(K, truth.get(i).size());
        }
        return Math.round(1e4 * sum / qs.length) / 1e4;
    }

    /** Ids of the K nearest live rows, by a scan. */
    private static Set<Long> truth(float[][] base, BitSet deleted, float[] q, DistanceMetric m) {
        TopIds top = new TopIds(K);
        for (int i = 0; i < base.length; i++) if (!deleted.get(i)) top.offer(m.distance(q, base[i]), i);
        return top.ids();
    }

    /** Every file under {@code dir} with its size. */
    private static Map<Path, Long> files(Path dir) throws IOException {
        Map<Path, Long> out = new HashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) out.put(p, Files.size(p));
        }
        return out;
    }

    /** Bytes of the files in {@code after} that were not in {@code before}. */
    private static long added(Map<Path, Long> before, Map<Path, Long> after) {
        long n = 0;
        for (Map.Entry<Path, Long> e : after.entrySet()) if (!before.containsKey(e.getKey())) n += e.getValue();
        return n;
    }

    /** The segment ids the newest manifest of the (one) namespace under {@code data} lists. */
    private static Set<String> segmentIds(Path data) throws IOException {
        LocalObjectStore store = new LocalObjectStore(data);
        String manifestKey = store.list("", null, Integer.MAX_VALUE).stream().filter(k -> k.contains("/manifest/"))
                .findFirst().orElseThrow(() -> new IOException("no manifest under " + data));
        String prefix = manifestKey.substring(0, manifestKey.indexOf("manifest/"));
        Manifest latest = new ManifestStore(store, prefix).latest();
        Set<String> ids = new HashSet<>();
        for (Manifest.SegmentInfo s : latest.segments()) ids.add(s.id());
        return ids;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
