package io.lodestone.bench;

import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.engine.EngineOptions;
import io.lodestone.engine.IndexState;
import io.lodestone.engine.Lodestone;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.Query;
import io.lodestone.engine.QueryResult;
import io.lodestone.engine.WriteRequest;
import io.lodestone.store.LocalObjectStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lodestone.text.ScoredDoc;
import io.lodestone.text.TextAnalyzer;
import io.lodestone.text.TextAnalyzers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The BM25 benchmark, measured exactly as the Lucene peer ({@code shared/bench/lucene-bm25}) is: index
 * {@code docs.jsonl} with the English analyzer (as Lucene's {@code EnglishAnalyzer}), k1=1.2, b=0.75, one thread;
 * then each query — the first 8 whitespace-separated words of its text, analysed, distinct terms OR-ed — for its
 * top 10, one at a time on one thread: untimed passes for at least {@code --warmup-s}, then {@code --runs} timed
 * runs of whole passes of at least {@code --run-s} each; {@code qps_1t} is the median run. The timed loop covers
 * analysis, query building and search. {@code --out} gets each query's top-10 in the peer's format, so
 * {@code compare_topk.py} compares the two.
 *
 * <p>The build (timed) covers analysis, the in-memory inverted index, serializing it to a file with fsync, and
 * mapping it; queries run on the mapped file, as they do on a segment. JSON parsing is not timed. Indexing makes
 * {@code --segments} segments (one indexer fold per part of the docs); timing starts only once the index is quiet
 * (an indexer round changes nothing), and the segment count is printed. With more than one segment, the same docs
 * are indexed the same way in a second database whose indexer then merges them into one segment, and the two are
 * timed in turn, run by run ({@code qps_1t_merged}, with whether the top-10s are the same), so that the machine's
 * drift and the JIT's progress affect both alike. Beside each wall-clock QPS, {@code qps_cpu_1t} counts the queries
 * per second of this thread's CPU time, which a loaded machine does not skew; {@code merged_over_unmerged_cpu} is the
 * median of the per-pair ratios of that figure.
 */
@Command(name = "text", description = "BM25 full-text benchmark (index build, size, single-thread QPS, top-10 per query).")
final class TextBench implements Callable<Integer> {
    static final int K = 10;

    @Option(names = "--docs", required = true, description = "docs.jsonl: {\"id\": int, \"text\": str, ...} per line")
    Path docsFile;
    @Option(names = "--queries", required = true, description = "queries.jsonl: {\"id\": int, \"text\": str, ...} per line")
    Path queriesFile;
    @Option(names = "--out", required = true, description = "where each query's top-10 goes (JSON lines)")
    Path out;
    @Option(names = "--words", defaultValue = "8", description = "query = the first N words of the text")
    int words;
    @Option(names = "--k1", defaultValue = "1.2")
    float k1;
    @Option(names = "--b", defaultValue = "0.75")
    float b;
    @Option(names = "--warmup-s", defaultValue = "2")
    double warmupS;
    @Option(names = "--warmup-cpu-s", defaultValue = "0",
            description = "warm up also until this thread has run queries for this many CPU seconds (a loaded machine"
                    + " stretches wall-clock warm-up without finishing the JIT's work)")
    double warmupCpuS;
    @Option(names = "--runs", defaultValue = "3")
    int runs;
    @Option(names = "--run-s", defaultValue = "1")
    double runS;
    @Option(names = "--segments", defaultValue = "1",
            description = "index the docs as this many segments (one indexer fold each); above 1, the same queries are"
                    + " timed again after the indexer merged them into one")
    int segments;
    @Option(names = "--tmp", description = "directory for the index file (default: java.io.tmpdir); deleted at exit")
    Path tmp;

    record Doc(long id, String text) {}

    @Override
    public Integer call() throws Exception {
        if (segments < 1) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--segments must be >= 1; got " + segments);
        List<Doc> docs = readJsonl(docsFile);
        List<Doc> queries = readJsonl(queriesFile);
        String[] qtext = new String[queries.size()];
        for (int i = 0; i < qtext.length; i++) qtext[i] = firstWords(queries.get(i).text(), words);
        TextAnalyzer analyzer = TextAnalyzers.english();
        System.err.printf(Locale.ROOT, "# lodestone-bm25: java=%s docs=%d queries=%d analyzer=english (EnglishAnalyzer chain)"
                        + " k1=%s b=%s query=first %d words, distinct analysed terms OR-ed; warmup>=%.1fs runs=%d x >=%.1fs%n",
                System.getProperty("java.version"), docs.size(), queries.size(), k1, b, words, warmupS, runs, runS);

        Path data = Files.createTempDirectory(tmp != null ? tmp : Path.of(System.getProperty("java.io.tmpdir")), "lodestone-bm25-");
        FullTextOptions english = new FullTextOptions("english", true, true, false, false, k1, b, "word_v2");
        try (LocalObjectStore store = new LocalObjectStore(data.resolve("as-indexed"))) {
            EngineOptions options = BenchSupport.engineOptions(data.resolve("as-indexed"), BenchSupport.Indexing.ON_FLUSH, 0);
            // As many segments as asked for, and no merge while they are timed.
            try (Lodestone db = Lodestone.open(store, withMaxSegments(options, Math.max(segments, options.indexing().maxSegments())))) {
                long t0 = System.nanoTime();
                Namespace ns = db.namespace("bm25");
                IndexState indexed = index(ns, docs, english);
                double buildS = (System.nanoTime() - t0) / 1e9;
                long bytes = textIndexBytes(store); // before a merge adds its own files beside these
                System.err.printf(Locale.ROOT, "# index (log writes + indexer folds + segment text indexes): %.2f s, %d bytes,"
                        + " %d segments, %d unindexed bytes, quiet (a further indexer round changed nothing)%n",
                        buildS, bytes, indexed.segments(), indexed.unindexedBytes());
                String json = indexed.segments() > 1 ? pairedWithMerged(ns, docs, english, queries, qtext, analyzer, data)
                        : single(ns, queries, qtext, analyzer);
                System.out.printf(Locale.ROOT, "{\"peer\": \"lodestone-bm25\", \"docs\": %d, \"queries\": %d,"
                                + " \"index_build_s\": %.2f, \"index_bytes\": %d, \"segments\": %d%s}%n",
                        docs.size(), qtext.length, buildS, bytes, indexed.segments(), json);
            }
        } finally {
            BenchSupport.deleteTree(data);
        }
        return 0;
    }

    /** Writes the docs as {@code --segments} parts, one indexer fold each, and waits for a quiet index. */
    private IndexState index(Namespace ns, List<Doc> docs, FullTextOptions english) {
        for (int part = 0; part < segments; part++) {
            write(ns, docs, (int) ((long) docs.size() * part / segments), (int) ((long) docs.size() * (part + 1) / segments),
                    part == 0 ? english : null);
            ns.flushIndex();
        }
        return quiet(ns);
    }

    /** One segment: the peer's protocol, then the top-k file. */
    private String single(Namespace ns, List<Doc> queries, String[] qtext, TextAnalyzer analyzer) throws IOException {
        List<List<ScoredDoc>> results = emptyResults(qtext.length);
        Phase phase = new Phase(ns, qtext, results, "as indexed");
        try (phase) {
            phase.warmUp();
            for (int r = 0; r < runs; r++) phase.run();
        }
        phase.print();
        writeTopK(queries, qtext, analyzer, results);
        return String.format(Locale.ROOT, ", \"qps_1t\": %.1f, \"qps_cpu_1t\": %.1f", median(phase.wall), median(phase.cpu));
    }

    /**
     * Several segments: the same docs indexed the same way in a second database whose indexer then merged them into
     * one segment (the cost of a query must not depend on whether that merge has happened), and the two timed in
     * turn, run by run, in this one process: a drifting machine and the JIT's progress affect both alike, and
     * {@code merged_over_unmerged_cpu} is the median of the per-pair ratios of queries per CPU second.
     */
    private String pairedWithMerged(Namespace ns, List<Doc> docs, FullTextOptions english, List<Doc> queries,
                                    String[] qtext, TextAnalyzer analyzer, Path data) throws IOException {
        Path mergedData = data.resolve("merged");
        EngineOptions options = BenchSupport.engineOptions(mergedData, BenchSupport.Indexing.ON_FLUSH, 0);
        try (LocalObjectStore store = new LocalObjectStore(mergedData)) {
            try (Lodestone db = Lodestone.open(store, withMaxSegments(options, Math.max(segments, options.indexing().maxSegments())))) {
                index(db.namespace("bm25"), docs, english);
            }
            try (Lodestone db = Lodestone.open(store, withMaxSegments(options, 1))) {
                Namespace merged = db.namespace("bm25");
                IndexState after = quiet(merged);
                List<List<ScoredDoc>> results = emptyResults(qtext.length), again = emptyResults(qtext.length);
                Phase a = new Phase(ns, qtext, results, "as indexed"), m = new Phase(merged, qtext, again, "merged");
                double[] ratio = new double[runs];
                try (a; m) {
                    a.warmUp();
                    m.warmUp();
                    for (int r = 0; r < runs; r++) {
                        a.run();
                        m.run();
                        ratio[r] = m.cpu[r] / a.cpu[r];
                    }
                }
                a.print();
                m.print();
                writeTopK(queries, qtext, analyzer, results);
                return String.format(Locale.ROOT, ", \"qps_1t\": %.1f, \"qps_cpu_1t\": %.1f, \"segments_merged\": %d,"
                                + " \"qps_1t_merged\": %.1f, \"qps_cpu_1t_merged\": %.1f, \"merged_over_unmerged_cpu\": %.3f,"
                                + " \"merged_over_unmerged_cpu_runs\": %s, \"same_top10_merged\": %s",
                        median(a.wall), median(a.cpu), after.segments(), median(m.wall), median(m.cpu), median(ratio),
                        json(ratio), again.equals(results));
            }
        }
    }

    private static String json(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", v[i]));
        return sb.append(']').toString();
    }

    private static List<List<ScoredDoc>> emptyResults(int n) {
        List<List<ScoredDoc>> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) results.add(List.of());
        return results;
    }

    private static EngineOptions withMaxSegments(EngineOptions o, int maxSegments) {
        EngineOptions.Indexing ix = o.indexing();
        return o.withIndexing(new EngineOptions.Indexing(ix.enabled(), ix.minUnindexedBytes(), ix.idleMillis(),
                ix.backlogLimitBytes(), maxSegments, ix.gcGraceMillis(), ix.newNamespaceIndex()));
    }

    /** Writes docs [from, to) in batches of 10,000 (the first with the text schema when given). */
    private static void write(Namespace ns, List<Doc> docs, int from, int to, FullTextOptions schema) {
        for (int start = from; start < to; start += 10_000) {
            WriteRequest.Builder w = WriteRequest.builder();
            if (start == from && schema != null) w.schema("text", new AttributeSchema(AttributeType.STRING, false, schema));
            for (int i = start; i < Math.min(to, start + 10_000); i++) {
                w.upsert(DocId.of(docs.get(i).id()), null, Map.of("text", docs.get(i).text()));
            }
            ns.write(w.build());
        }
    }

    /**
     * Runs indexer rounds (fold the tail, merge what the policy selects) until one publishes nothing: then no fold
     * or merge is pending or running, and timings see the index as it stays.
     */
    static IndexState quiet(Namespace ns) {
        IndexState before;
        IndexState after = ns.indexState();
        do {
            before = after;
            ns.flushIndex();
            after = ns.indexState();
        } while (!after.equals(before));
        return after;
    }

    /**
     * The timed runs of one namespace: warm-up, then one run per {@link #run} call, each whole passes over the
     * queries for at least {@code --run-s}, counted by wall clock (the peer's protocol) and by the querying thread's
     * CPU time, which leaves out time spent waiting for a core and so holds on a loaded machine. The queries run on
     * the phase's own platform thread ({@code bm25-as-indexed}, {@code bm25-merged}), so a profile tells the phases
     * apart. {@code results} gets each query's top-k.
     */
    private final class Phase implements AutoCloseable {
        private final Namespace ns;
        private final String[] qtext;
        private final List<List<ScoredDoc>> results;
        private final String what;
        private final java.util.concurrent.ExecutorService thread;
        final double[] wall = new double[runs];
        final double[] cpu = new double[runs];
        private int done;

        Phase(Namespace ns, String[] qtext, List<List<ScoredDoc>> results, String what) {
            this.ns = ns;
            this.qtext = qtext;
            this.results = results;
            this.what = what;
            this.thread = java.util.concurrent.Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().name("bm25-" + what.replace(' ', '-')).factory());
        }

        void warmUp() {
            on(() -> {
                long w0 = System.nanoTime();
                long c0 = cpuNanos();
                do searchAll(ns, qtext, results);
                while ((System.nanoTime() - w0) / 1e9 < warmupS || (cpuNanos() - c0) / 1e9 < warmupCpuS);
            });
        }

        void run() {
            on(() -> {
                long queries = 0;
                long s0 = System.nanoTime();
                long c0 = cpuNanos();
                double elapsed;
                do {
                    searchAll(ns, qtext, results);
                    queries += qtext.length;
                    elapsed = (System.nanoTime() - s0) / 1e9;
                } while (elapsed < runS);
                wall[done] = queries / elapsed;
                cpu[done++] = queries / ((cpuNanos() - c0) / 1e9);
            });
        }

        private static long cpuNanos() {
            return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }

        /** Runs {@code work} on this phase's thread and waits for it. */
        private void on(Runnable work) {
            try {
                thread.submit(work).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new IllegalStateException(e.getCause());
            }
        }

        @Override
        public void close() {
            thread.shutdown();
        }

        void print() {
            System.err.printf(Locale.ROOT, "# %s (%d segments): runs qps %s, per CPU second %s%n", what,
                    ns.indexState().segments(), Arrays.toString(wall), Arrays.toString(cpu));
        }
    }

    /** Size of the segments' text index files. */
    private static long textIndexBytes(LocalObjectStore store) throws IOException {
        long n = 0;
        for (String key : store.list("bench/", null, Integer.MAX_VALUE)) {
            if (key.contains("/text/")) n += store.size(key);
        }
        return n;
    }

    /** One pass over all queries, one at a time, through the engine's query path (BM25 rank_by, top 10). */
    void searchAll(Namespace ns, String[] qtext, List<List<ScoredDoc>> results) {
        for (int i = 0; i < qtext.length; i++) {
            QueryResult r = ns.query(new Query(new Query.RankBy.Text("text", qtext[i]), null, K,
                    Query.AttributeSelection.NONE, Map.of(), List.of(), true));
            List<ScoredDoc> hits = new ArrayList<>(r.rows().size());
            for (QueryResult.Row row : r.rows()) {
                hits.add(new ScoredDoc((int) ((DocId.U64) row.id()).value(), (float) (double) row.distance()));
            }
            results.set(i, hits);
        }
    }

    private void writeTopK(List<Doc> queries, String[] qtext, TextAnalyzer analyzer,
                           List<List<ScoredDoc>> results) throws IOException {
        int noTerms = 0;
        try (BufferedWriter bw = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (int i = 0; i < qtext.length; i++) {
                List<String> terms = analyzer.queryTerms(qtext[i]);
                if (terms.isEmpty()) noTerms++;
                StringBuilder sb = new StringBuilder("{\"query\": ").append(queries.get(i).id())
                        .append(", \"q\": ").append(jsonString(qtext[i])).append(", \"terms\": [");
                for (int j = 0; j < terms.size(); j++) sb.append(j > 0 ? ", " : "").append(jsonString(terms.get(j)));
                StringBuilder sc = new StringBuilder();
                sb.append("], \"ids\": [");
                List<ScoredDoc> hits = results.get(i);
                for (int j = 0; j < hits.size(); j++) {
                    sb.append(j > 0 ? ", " : "").append(hits.get(j).doc());
                    sc.append(j > 0 ? ", " : "").append(hits.get(j).score());
                }
                bw.write(sb.append("], \"scores\": [").append(sc).append("]}\n").toString());
            }
        }
        System.err.printf(Locale.ROOT, "# top-10 per query written to %s (%d queries with no terms left after analysis)%n",
                out, noTerms);
    }

    /** The first n words of s; words are separated by runs of Unicode whitespace (as Python's str.split()). */
    static String firstWords(String s, int n) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int len = s.length();
        while (words.size() < n) {
            while (i < len && isSpace(s.charAt(i))) i++;
            if (i >= len) break;
            int start = i;
            while (i < len && !isSpace(s.charAt(i))) i++;
            words.add(s.substring(start, i));
        }
        return String.join(" ", words);
    }

    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    static List<Doc> readJsonl(Path p) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<Doc> docs = new ArrayList<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            JsonNode o = mapper.readTree(line);
            JsonNode id = o.get("id");
            JsonNode text = o.get("text");
            if (id == null || !id.canConvertToLong() || !id.isIntegralNumber() || text == null || !text.isTextual()) {
                throw new IOException(p + ": each line needs an integer \"id\" and a string \"text\"");
            }
            docs.add(new Doc(id.longValue(), text.textValue()));
        }
        return docs;
    }

    /** JSON string with the same escaping as the Lucene peer (so identical results give identical lines). */
    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
    }
}
