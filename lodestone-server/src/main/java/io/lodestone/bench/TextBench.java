package io.lodestone.bench;

import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.AttributeType;
import io.lodestone.doc.DocId;
import io.lodestone.doc.FullTextOptions;
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
 * mapping it; queries run on the mapped file, as they do on a segment. JSON parsing is not timed.
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
    @Option(names = "--runs", defaultValue = "3")
    int runs;
    @Option(names = "--run-s", defaultValue = "1")
    double runS;
    @Option(names = "--tmp", description = "directory for the index file (default: java.io.tmpdir); deleted at exit")
    Path tmp;

    record Doc(long id, String text) {}

    @Override
    public Integer call() throws Exception {
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
        try (LocalObjectStore store = new LocalObjectStore(data); Lodestone db = Lodestone.open(store, BenchSupport.engineOptions(data, BenchSupport.Indexing.ON_FLUSH, 0))) {
            // Index through the server's path: log writes, then the indexer folds them into a segment with its text index.
            long t0 = System.nanoTime();
            Namespace ns = db.namespace("bm25");
            for (int start = 0; start < docs.size(); start += 10_000) {
                WriteRequest.Builder w = WriteRequest.builder();
                if (start == 0) w.schema("text", new AttributeSchema(AttributeType.STRING, false, english));
                for (int i = start; i < Math.min(docs.size(), start + 10_000); i++) {
                    w.upsert(DocId.of(docs.get(i).id()), null, Map.of("text", docs.get(i).text()));
                }
                ns.write(w.build());
            }
            ns.flushIndex();
            double buildS = (System.nanoTime() - t0) / 1e9;
            long bytes = textIndexBytes(store);
            System.err.printf(Locale.ROOT, "# index (log writes + indexer fold + segment text index): %.2f s, %d bytes%n",
                    buildS, bytes);

            List<List<ScoredDoc>> results = new ArrayList<>(qtext.length);
            for (int i = 0; i < qtext.length; i++) results.add(List.of());
            long w0 = System.nanoTime();
            do searchAll(ns, qtext, results); while ((System.nanoTime() - w0) / 1e9 < warmupS);
            double[] qps = new double[runs];
            for (int r = 0; r < runs; r++) {
                long done = 0;
                long s0 = System.nanoTime();
                double elapsed;
                do {
                    searchAll(ns, qtext, results);
                    done += qtext.length;
                    elapsed = (System.nanoTime() - s0) / 1e9;
                } while (elapsed < runS);
                qps[r] = done / elapsed;
            }
            writeTopK(queries, qtext, analyzer, results);
            System.err.printf(Locale.ROOT, "# runs qps: %s%n", Arrays.toString(qps));
            System.out.printf(Locale.ROOT, "{\"peer\": \"lodestone-bm25\", \"docs\": %d, \"queries\": %d,"
                            + " \"index_build_s\": %.2f, \"index_bytes\": %d, \"qps_1t\": %.1f}%n",
                    docs.size(), qtext.length, buildS, bytes, median(qps));
        } finally {
            BenchSupport.deleteTree(data);
        }
        return 0;
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
