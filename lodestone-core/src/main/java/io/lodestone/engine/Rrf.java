package io.lodestone.engine;

import io.lodestone.doc.DocId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion: a document's fused score is {@code Σ 1/(k + rank)} over the result lists it
 * appears in (rank from 1). Rows are returned highest score first with {@code $dist} set to the score;
 * attributes come from the first list that has the document.
 */
public final class Rrf {
    public static final double DEFAULT_RANK_CONSTANT = 60;

    private Rrf() {
    }

    public static QueryResult fuse(List<QueryResult> results, double rankConstant, int topK) {
        Map<DocId, double[]> scores = new LinkedHashMap<>();
        Map<DocId, QueryResult.Row> firstSeen = new LinkedHashMap<>();
        for (QueryResult r : results) {
            for (int i = 0; i < r.rows().size(); i++) {
                QueryResult.Row row = r.rows().get(i);
                scores.computeIfAbsent(row.id(), k -> new double[1])[0] += 1.0 / (rankConstant + i + 1);
                firstSeen.putIfAbsent(row.id(), row);
            }
        }
        List<QueryResult.Row> fused = new ArrayList<>();
        scores.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<DocId, double[]> e) -> -e.getValue()[0])
                        .thenComparing(Map.Entry::getKey))
                .limit(topK)
                .forEach(e -> {
                    QueryResult.Row r = firstSeen.get(e.getKey());
                    fused.add(new QueryResult.Row(r.id(), e.getValue()[0], r.vector(), r.attributes()));
                });
        return new QueryResult(fused, Map.of(), List.of());
    }
}
