package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.filter.Filter;
import io.lodestone.vector.DistanceMetric;
import io.lodestone.vector.VectorUtil;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Query} exactly over a namespace snapshot: a SIMD distance scan of the vector chunks
 * with lazy filter evaluation (a row's filter is checked only if its distance could enter the top k),
 * attribute ordering, and aggregations.
 */
final class QueryExecutor {
    private final NamespaceState.Snapshot snap;
    private final DocTable table;
    private final Query query;
    private final Filter filter;

    private QueryExecutor(NamespaceState.Snapshot snap, Query query) {
        this.snap = snap;
        this.table = snap.table();
        this.query = query;
        this.filter = query.filter() == null ? null : query.filter().bind(snap.view().schema());
    }

    static QueryResult run(NamespaceState.Snapshot snap, Query query) {
        return new QueryExecutor(snap, query).run();
    }

    private boolean matches(int row) {
        return filter == null || filter.matches(new RowSource(table, row));
    }

    private QueryResult run() {
        if (!query.aggregateBy().isEmpty()) return aggregate();
        return switch (query.rankBy()) {
            case Query.RankBy.Vector v -> nearest(v.vector());
            case Query.RankBy.Attribute a -> byAttribute(a.attribute(), a.descending());
            case null -> byAttribute("id", false);
        };
    }

    private QueryResult nearest(float[] q) {
        int dims = snap.view().dims();
        if (dims == 0) throw new InvalidInputException("namespace has no vectors to rank by");
        if (q.length != dims) {
            throw new InvalidInputException("query vector has " + q.length + " dimensions; the namespace has " + dims);
        }
        for (float x : q) if (!Float.isFinite(x)) throw new InvalidInputException("query vector components must be finite; got " + x);
        DistanceMetric metric = snap.view().metric();
        float qn = VectorUtil.norm(q);
        TopK top = new TopK(query.topK(), (a, b) -> table.id(a).compareTo(table.id(b)));
        float[] dist = new float[DocTable.CHUNK_ROWS];
        int rows = table.rowCount();
        var live = table.liveRows();
        for (int c = 0; c < table.chunkCount(); c++) {
            int start = c * DocTable.CHUNK_ROWS;
            int count = Math.min(DocTable.CHUNK_ROWS, rows - start);
            if (live.nextSetBit(start) < 0 || live.nextSetBit(start) >= start + count) continue;
            float[] data = table.vectorChunk(c);
            if (metric == DistanceMetric.COSINE_DISTANCE) {
                VectorUtil.cosineDistances(q, qn, data, 0, count, dims, table.normChunk(c), 0, dist);
            } else {
                VectorUtil.distances(metric, q, data, 0, count, dims, dist);
            }
            for (int i = 0; i < count; i++) {
                int row = start + i;
                if (!live.get(row) || !table.hasVector(row)) continue;
                float d = dist[i];
                if (metric == DistanceMetric.COSINE_DISTANCE && (qn == 0 || table.normChunk(c)[i] == 0)) d = 1f;
                if (d <= top.threshold() && matches(row)) top.offer(d, row);
            }
        }
        TopK.Sorted sorted = top.sorted();
        List<QueryResult.Row> out = new ArrayList<>(sorted.rows().length);
        for (int i = 0; i < sorted.rows().length; i++) out.add(row(sorted.rows()[i], (double) sorted.scores()[i]));
        return new QueryResult(out, Map.of(), List.of());
    }

    private QueryResult byAttribute(String attribute, boolean descending) {
        List<Integer> hits = new ArrayList<>();
        table.forEachLive(r -> {
            if (matches(r)) hits.add(r);
        });
        Comparator<Integer> byValue = Comparator.comparing(r -> sortKey(r, attribute), AttributeOrder.VALUES);
        if (descending) byValue = Comparator.comparing((Integer r) -> sortKey(r, attribute), nullsLastReversed());
        Comparator<Integer> order = byValue.thenComparing(r -> table.id(r));
        List<QueryResult.Row> out = hits.stream().sorted(order).limit(query.topK()).map(r -> row(r, null)).toList();
        return new QueryResult(out, Map.of(), List.of());
    }

    private static Comparator<Object> nullsLastReversed() {
        return (a, b) -> a == null ? (b == null ? 0 : 1) : b == null ? -1 : AttributeOrder.compare(b, a);
    }

    private Object sortKey(int row, String attribute) {
        return attribute.equals("id") ? table.id(row) : table.attributes(row).get(attribute);
    }

    private QueryResult aggregate() {
        if (query.groupBy().isEmpty()) {
            long[] count = {0};
            table.forEachLive(r -> {
                if (matches(r)) count[0]++;
            });
            Map<String, Object> aggs = new LinkedHashMap<>();
            query.aggregateBy().keySet().forEach(name -> aggs.put(name, count[0]));
            return new QueryResult(List.of(), aggs, List.of());
        }
        Map<List<Object>, long[]> groups = new LinkedHashMap<>();
        table.forEachLive(r -> {
            if (!matches(r)) return;
            List<Object> key = new ArrayList<>(query.groupBy().size());
            for (String g : query.groupBy()) key.add(sortKey(r, g));
            groups.computeIfAbsent(key, k -> new long[1])[0]++;
        });
        List<Map<String, Object>> out = new ArrayList<>();
        groups.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .limit(query.topK())
                .forEach(e -> {
                    Map<String, Object> g = new LinkedHashMap<>();
                    for (int i = 0; i < query.groupBy().size(); i++) g.put(query.groupBy().get(i), e.getKey().get(i));
                    query.aggregateBy().keySet().forEach(name -> g.put(name, e.getValue()[0]));
                    out.add(g);
                });
        return new QueryResult(List.of(), Map.of(), out);
    }

    private QueryResult.Row row(int r, Double distance) {
        Query.AttributeSelection sel = query.attributes();
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : table.attributes(r).entrySet()) {
            if (sel.includes(e.getKey())) attrs.put(e.getKey(), e.getValue());
        }
        float[] vector = sel.includes("vector") ? table.vector(r) : null;
        DocId id = table.id(r);
        return new QueryResult.Row(id, distance, vector, attrs);
    }

}
