package io.lodestone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lodestone.config.ByteSize;
import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.doc.IndexConfig;
import io.lodestone.engine.EngineOptions;
import io.lodestone.engine.IndexState;
import io.lodestone.engine.Lodestone;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.Query;
import io.lodestone.engine.QueryResult;
import io.lodestone.engine.WriteRequest;
import io.lodestone.store.ObjectStore;
import io.lodestone.store.ObjectStores;
import io.lodestone.testing.FaultProxy;
import io.lodestone.testing.S3ProxyServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.concurrent.Callable;

/**
 * {@code lodestone bench cold}: what a server with an empty cache pays for its first answers from object
 * storage. Starts S3Proxy (a real S3 server on loopback) and a {@link FaultProxy} in front of it, loads a
 * namespace through the engine straight into S3Proxy (vectors plus a full-text {@code text} attribute, with the
 * ANN index {@code --index} names: HNSW or the clustered index), waits
 * until the indexer has folded everything (no unindexed tail) and closes that engine. Then, once for an ANN
 * query and once for a BM25 query, a fresh engine with an empty cache directory opens the bucket through the
 * proxy, which adds {@code --latency-ms} to every request, and answers the first query of the set; the proxy
 * counts what that took: sequential round trips, requests (ranged GETs among them), bytes read, wall time.
 * The same engine then runs {@code --queries} queries one at a time (warm: p50/p99, QPS, the requests they
 * still made, recall@10 against exact ground truth for ANN) and the bench reads the cache directory's size on
 * disk ({@code du}) and the process RSS, beside the cache budgets. One JSON line per phase on stdout (the
 * command line's output writer).
 *
 * <p>The cold engines run no indexer and no recall sampling, so every request counted is one the queries
 * made (a server's trash sweeper, which lists {@code trash/} once at start and then every minute, is
 * counted too). The proxy and the bench's own data live in this process: RSS includes the dataset and the
 * proxy's buffers (the proxy holds each response whole).
 */
@Command(name = "cold", description = "First ANN and BM25 answers from an empty cache over S3 with injected latency, then warm"
        + " queries (one JSON line per phase).")
final class ColdBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAMESPACE = "cold";
    /** The server's default tenant, so that a server process finds the namespace the bench loaded. */
    private static final String TENANT = io.lodestone.http.LodestoneServer.DEFAULT_TENANT_ROOT;
    private static final int BATCH_ROWS = 2_000;

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--dataset", description = "directory with base.fvecs, query.fvecs, docs.jsonl, queries.jsonl"
            + " (groundtruth.ivecs when all rows are loaded), as ../shared/data/debian-minilm")
    Path dataset;
    @Option(names = "--synthetic", description = "ROWSxDIMS: seeded Gaussian vectors and Zipf-distributed words instead"
            + " of a dataset, e.g. 100000x768")
    String synthetic;
    @Option(names = "--rows", defaultValue = "0", description = "with --dataset: load only the first N rows (0: all)")
    int rows;
    @Option(names = "--queries", defaultValue = "1000", description = "warm queries per phase (at most the dataset's)")
    int queries;
    @Option(names = "--latency-ms", defaultValue = "100", description = "added by the proxy to every request of the cold engines")
    long latencyMs;
    @Option(names = "--memory-bytes", description = "cache.memory_bytes of the cold engines, e.g. 256MiB (default: the server's)")
    String memoryBytes;
    @Option(names = "--disk-bytes", description = "cache.disk_bytes of the cold engines, e.g. 1GiB (default: the server's)")
    String diskBytes;
    @Option(names = "--consistency", defaultValue = "strong", description = "strong (the server's default: each query"
            + " checks the log for newer writes) or eventual")
    String consistency;
    @Option(names = "--index", defaultValue = "hnsw", description = "the namespace's ANN index: hnsw or clustered")
    String index;
    @Option(names = "--ef", defaultValue = "0", description = "search width of the ANN queries: HNSW's ef, or the clustered"
            + " index's probes (0: each segment's tuned default)")
    int ef;
    @Option(names = "--sweep-ef", split = ",", description = "after the BM25 phase, one more ANN phase per width in this"
            + " comma-separated list (a fresh engine or server each: first answer, warm queries and recall at that width)")
    List<Integer> sweepEf = List.of();
    @Option(names = "--seed", defaultValue = "42", description = "seed of the synthetic data")
    long seed;
    @Option(names = "--server", description = "the cold phases run a `lodestone serve` process of their own (no indexer) and"
            + " query it over HTTP, as users do; its resident set is the server's alone (default: an engine in the"
            + " bench's process, whose RSS includes the bench's data)")
    boolean server;
    @Option(names = "--server-heap", defaultValue = "2g", description = "with --server: the server process's -Xmx")
    String serverHeap;
    @Option(names = "--keep-bucket", description = "keep S3Proxy's data in this directory after the run; a directory that"
            + " already holds the namespace loaded from the same data, index and seed is queried without loading again")
    Path keepBucket;
    @Option(names = "--tmp", description = "directory for S3Proxy's data and the caches (default: java.io.tmpdir); deleted at exit")
    Path tmp;

    @Override
    public Integer call() throws Exception {
        EngineOptions.Cache budgets = budgets();
        boolean eventual = switch (consistency) {
            case "strong" -> false;
            case "eventual" -> true;
            default -> throw usage("--consistency must be strong or eventual; got " + consistency);
        };
        if (latencyMs < 0) throw usage("--latency-ms must be >= 0; got " + latencyMs);
        if (queries < 1) throw usage("--queries must be >= 1; got " + queries);
        if (!IndexConfig.TYPES.contains(index)) throw usage("--index must be one of " + IndexConfig.TYPES + "; got " + index);
        if (ef < 0) throw usage("--ef must be >= 0; got " + ef);
        for (int e : sweepEf) if (e < 1) throw usage("--sweep-ef widths must be >= 1; got " + e);
        ColdDataset data = dataset();
        int nq = Math.min(queries, data.queries().length);
        System.err.printf(Locale.ROOT, "# bench cold: %d rows x %d dims (%s), %d warm queries, ground truth: %s,"
                        + " latency %d ms per request, consistency %s, cache budgets memory %d disk %d bytes%n",
                data.rows(), data.dims(), data.metric().wireName(), nq, data.truthSource(), latencyMs, consistency,
                budgets.memoryBytes(), budgets.diskBytes());

        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory(tmp != null ? tmp : Path.of(System.getProperty("java.io.tmpdir")), "lodestone-cold-");
        try (S3ProxyServer s3 = keepBucket == null ? S3ProxyServer.start() : S3ProxyServer.startKeeping(keepBucket);
             FaultProxy proxy = FaultProxy.start(s3, seed)) {
            ObjectNode load = loaded(s3, data, work, new IndexConfig(16, 200, "none", index));
            print(out, load);
            long namespaceBytes = load.get("namespace_bytes").asLong();
            var phases = new ColdPhase(s3, proxy, work, coldOptions(budgets), NAMESPACE, latencyMs, namespaceBytes);
            Map<String, Object> common = Map.of("rows", data.rows(), "dims", data.dims(), "consistency", consistency,
                    "index", index, "ef", ef, "answered_by", server ? "server process over HTTP" : "engine in the bench process");

            print(out, withAll(annPhase(phases, data, nq, ef, eventual), common));

            ColdPhase.TargetFactory textTarget = server
                    ? phases.server(i -> textBody(data.queryTexts()[i], eventual), serverHeap)
                    : phases.engine(i -> new Query(new Query.RankBy.Text("text", data.queryTexts()[i]), null,
                    ColdDataset.K, Query.AttributeSelection.NONE, Map.of(), List.of(), eventual));
            ObjectNode bm25 = phases.run("bm25", nq, textTarget, (ids, i) -> { });
            print(out, withAll(bm25, common));
            for (int width : sweepEf) {
                ObjectNode swept = withAll(annPhase(phases, data, nq, width, eventual), common);
                print(out, swept.put("ef", width));
            }
        } finally {
            BenchSupport.deleteTree(work);
        }
        return 0;
    }

    /**
     * The load line: read from {@code --keep-bucket}'s record when that bucket was loaded from the same data, index
     * and seed, else from loading now (and then recorded there).
     */
    private ObjectNode loaded(S3ProxyServer s3, ColdDataset data, Path work, IndexConfig index) throws Exception {
        String identity = (dataset != null ? "dataset " + dataset.toAbsolutePath() + " rows " + rows : "synthetic " + synthetic)
                + " seed " + seed + " index " + index.type();
        Path record = keepBucket == null ? null : keepBucket.resolve("loaded.json");
        if (record != null && Files.exists(record)) {
            JsonNode kept = JSON.readTree(record.toFile());
            if (!identity.equals(kept.path("identity").asText())) {
                throw usage("--keep-bucket " + keepBucket + " holds '" + kept.path("identity").asText() + "', not '" + identity + "'");
            }
            System.err.println("# bench cold: reusing the namespace loaded in " + keepBucket);
            return ((ObjectNode) kept.get("load")).put("reused", true);
        }
        ObjectNode load = load(s3, data, work, index);
        if (record != null) {
            ObjectNode kept = JSON.createObjectNode().put("identity", identity);
            kept.set("load", load);
            JSON.writeValue(record.toFile(), kept);
        }
        return load;
    }

    /**
     * Writes every row (vector and text) through an engine straight on S3Proxy, folds the log into segments until
     * an indexer round changes nothing, and checks that no unindexed tail is left. Returns the load line with the
     * namespace's objects as they lie in the bucket.
     */
    private static ObjectNode load(S3ProxyServer s3, ColdDataset data, Path work, IndexConfig index) throws Exception {
        long t0 = System.nanoTime();
        EngineOptions options = BenchSupport.engineOptions(Files.createDirectories(work.resolve("load")),
                BenchSupport.Indexing.ON_FLUSH, 0).withTenantRoot(TENANT);
        // Log entries folded into segments are deleted by the indexer's next round, so that the bucket holds the
        // namespace as it stays, not the log it was written through.
        EngineOptions.Indexing ix = options.indexing();
        options = options.withIndexing(new EngineOptions.Indexing(ix.enabled(), ix.minUnindexedBytes(), ix.idleMillis(),
                ix.backlogLimitBytes(), ix.maxSegments(), 1, ix.newNamespaceIndex()));
        IndexState state;
        try (ObjectStore store = ObjectStores.open(s3.storageOptions(null)); Lodestone db = Lodestone.open(store, options)) {
            Namespace ns = db.namespace(NAMESPACE);
            int dims = data.dims();
            for (int start = 0; start < data.rows(); start += BATCH_ROWS) {
                WriteRequest.Builder w = WriteRequest.builder().distanceMetric(data.metric()).index(index);
                if (start == 0) w.schema("text", new AttributeSchema(AttributeType.STRING, false, FullTextOptions.defaults()));
                for (int i = start; i < Math.min(data.rows(), start + BATCH_ROWS); i++) {
                    w.upsert(DocId.of(i), Arrays.copyOfRange(data.base(), i * dims, (i + 1) * dims), Map.of("text", data.texts()[i]));
                }
                ns.write(w.build());
            }
            state = TextBench.quiet(ns);
        }
        if (state.unindexedBytes() != 0) {
            throw new IllegalStateException("the indexer left " + state.unindexedBytes() + " unindexed bytes after loading");
        }
        double loadS = (System.nanoTime() - t0) / 1e9;
        ObjectNode out = JSON.createObjectNode().put("bench", "cold").put("phase", "load").put("rows", data.rows())
                .put("dims", data.dims()).put("metric", data.metric().wireName()).put("index", index.type())
                .put("load_and_index_s", round1(loadS))
                .put("segments", state.segments());
        try (ObjectStore store = ObjectStores.open(s3.storageOptions(null))) {
            BucketObjects.of(store, TENANT + "ns/" + NAMESPACE + "/").putInto(out);
        }
        return out;
    }

    /** Options of a cold engine: the budgets asked for, no indexer and no recall sampling (only queries read). */
    private EngineOptions coldOptions(EngineOptions.Cache budgets) {
        EngineOptions base = BenchSupport.engineOptions(Path.of("unused"), BenchSupport.Indexing.OFF, 0).withTenantRoot(TENANT);
        EngineOptions.Indexing ix = base.indexing().withRecall(base.indexing().targetRecall(), 0);
        return base.withIndexing(ix).withCache(budgets);
    }

    private EngineOptions.Cache budgets() {
        EngineOptions.Cache d = EngineOptions.Cache.defaults();
        try {
            return new EngineOptions.Cache(memoryBytes == null ? d.memoryBytes() : ByteSize.parse(memoryBytes),
                    diskBytes == null ? d.diskBytes() : ByteSize.parse(diskBytes));
        } catch (IllegalArgumentException e) {
            throw usage("--memory-bytes / --disk-bytes: " + e.getMessage());
        }
    }

    private ColdDataset dataset() throws Exception {
        if ((dataset == null) == (synthetic == null)) throw usage("give exactly one of --dataset DIR and --synthetic ROWSxDIMS");
        if (dataset != null) {
            if (rows < 0) throw usage("--rows must be >= 0; got " + rows);
            return ColdDataset.fromDirectory(dataset, rows, queries);
        }
        if (rows != 0) throw usage("--rows applies to --dataset; --synthetic ROWSxDIMS gives the row count");
        String[] parts = synthetic.toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length != 2) throw new NumberFormatException();
            int n = Integer.parseInt(parts[0].strip()), d = Integer.parseInt(parts[1].strip());
            if (n < ColdDataset.K || d < 1 || (long) n * d > Integer.MAX_VALUE - 8) {
                throw usage("--synthetic needs at least " + ColdDataset.K + " rows, 1 dimension and at most "
                        + (Integer.MAX_VALUE - 8) + " values in all; got " + synthetic);
            }
            return ColdDataset.synthetic(n, d, queries, seed);
        } catch (NumberFormatException e) {
            throw usage("--synthetic must be ROWSxDIMS, e.g. 100000x768; got " + synthetic);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** The ANN phase at search width {@code width} (0: the default), with its recall@10 against the ground truth. */
    private ObjectNode annPhase(ColdPhase phases, ColdDataset data, int nq, int width, boolean eventual) throws Exception {
        int[][] annIds = new int[nq][];
        IntFunction<float[]> vector = i -> data.queries()[i];
        ColdPhase.TargetFactory annTarget = server
                ? phases.server(i -> annBody(vector.apply(i), width, eventual), serverHeap)
                : phases.engine(i -> new Query(new Query.RankBy.Vector(vector.apply(i), true, null, width), null,
                ColdDataset.K, Query.AttributeSelection.NONE, Map.of(), List.of(), eventual));
        ObjectNode ann = phases.run("ann", nq, annTarget, (ids, i) -> annIds[i] = ids);
        return ann.put("recall_at_10", round4(recall(annIds, data.truth())));
    }

    /** A turbopuffer query body: the top 10 by the vector's distance, ids only. */
    private static ObjectNode annBody(float[] v, int width, boolean eventual) {
        ObjectNode b = JSON.createObjectNode();
        ArrayNode rank = b.putArray("rank_by").add("vector").add("ANN");
        ArrayNode values = rank.addArray();
        for (float x : v) values.add(x);
        if (width > 0) b.put("ef", width);
        return withTopK(b, eventual);
    }

    /** A turbopuffer query body: the top 10 by BM25 on {@code text}, ids only. */
    private static ObjectNode textBody(String text, boolean eventual) {
        ObjectNode b = JSON.createObjectNode();
        b.putArray("rank_by").add("text").add("BM25").add(text);
        return withTopK(b, eventual);
    }

    private static ObjectNode withTopK(ObjectNode b, boolean eventual) {
        b.put("top_k", ColdDataset.K);
        if (eventual) b.putObject("consistency").put("level", "eventual");
        return b;
    }

    /** Share of the exact top-10 found, over all queries. */
    static double recall(int[][] found, int[][] truth) {
        long hits = 0;
        for (int q = 0; q < found.length; q++) {
            for (int id : found[q]) {
                for (int t : truth[q]) {
                    if (t == id) {
                        hits++;
                        break;
                    }
                }
            }
        }
        return found.length == 0 ? 0 : (double) hits / ((double) ColdDataset.K * found.length);
    }

    private static void print(PrintWriter out, ObjectNode line) throws IOException {
        out.println(JSON.writeValueAsString(line));
        out.flush();
    }

    private static ObjectNode withAll(ObjectNode line, Map<String, Object> fields) {
        ObjectNode out = JSON.createObjectNode().put("bench", "cold");
        out.setAll((ObjectNode) JSON.valueToTree(new java.util.TreeMap<>(fields)));
        out.setAll(line);
        return out;
    }

    static double round1(double x) {
        return Math.round(x * 10) / 10.0;
    }

    private static double round4(double x) {
        return Math.round(x * 10_000) / 10_000.0;
    }
}
