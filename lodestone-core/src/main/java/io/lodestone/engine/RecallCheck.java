package io.lodestone.engine;

import io.lodestone.doc.DocId;
import io.lodestone.doc.InvalidInputException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Measures how well approximate search agrees with exact search on a namespace, like turbopuffer's
 * {@code _debug/recall}: for each query (given, or sampled from the namespace's own vectors), recall is
 * |ANN top k ∩ exact top k| / |exact top k|.
 */
public final class RecallCheck {
    private RecallCheck() {
    }

    /**
     * Result of a recall check.
     *
     * @param avgRecall          mean recall over the queries
     * @param avgAnnCount        mean number of rows ANN returned
     * @param avgExhaustiveCount mean number of rows exact search returned
     * @param queries            the query vectors used
     * @param groundTruth        exact top-k ids per query
     */
    public record Result(double avgRecall, double avgAnnCount, double avgExhaustiveCount, List<float[]> queries,
                         List<List<DocId>> groundTruth) {
    }

    public static Result run(Namespace ns, List<float[]> given, int sample, int topK, FilterSpec filter, long seed) {
        List<float[]> queries = given.isEmpty() ? sampleVectors(ns, sample, seed) : given;
        if (queries.isEmpty()) throw new InvalidInputException("namespace has no vectors to sample queries from");
        double recall = 0, ann = 0, exact = 0;
        List<List<DocId>> truth = new ArrayList<>();
        for (float[] q : queries) {
            List<DocId> want = ids(ns.query(query(q, false, topK, filter)));
            List<DocId> got = ids(ns.query(query(q, true, topK, filter)));
            Set<DocId> hit = new HashSet<>(want);
            hit.retainAll(got);
            recall += want.isEmpty() ? 1 : (double) hit.size() / want.size();
            ann += got.size();
            exact += want.size();
            truth.add(want);
        }
        int n = queries.size();
        return new Result(recall / n, ann / n, exact / n, queries, truth);
    }

    private static Query query(float[] q, boolean approximate, int topK, FilterSpec filter) {
        return new Query(new Query.RankBy.Vector(q, approximate), filter, topK, Query.AttributeSelection.NONE,
                Map.of(), List.of(), true);
    }

    private static List<DocId> ids(QueryResult r) {
        return r.rows().stream().map(QueryResult.Row::id).toList();
    }

    /** Vectors of up to {@code n} documents picked at random (seeded) from the namespace. */
    private static List<float[]> sampleVectors(Namespace ns, int n, long seed) {
        return ns.state().read(s -> {
            List<DocSource> sources = s.sources();
            long total = 0;
            for (DocSource src : sources) total += src.rowCount();
            List<float[]> out = new ArrayList<>();
            Random random = new Random(seed);
            for (int attempt = 0; attempt < n * 20 && out.size() < n && total > 0; attempt++) {
                long pick = (long) (random.nextDouble() * total);
                for (DocSource src : sources) {
                    if (pick < src.rowCount()) {
                        int row = (int) pick;
                        if (src.isLive(row) && src.hasVector(row)) out.add(src.vector(row));
                        break;
                    }
                    pick -= src.rowCount();
                }
            }
            return out;
        });
    }
}
