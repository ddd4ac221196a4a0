package io.lodestone.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One query ranked by vector and text together: each side ranks its candidates, then the lists are
 * fused by reciprocal rank fusion or by a weighted sum of min-max normalized scores
 * ({@code alpha · vector similarity + (1 − alpha) · text score}). A document missing from one list
 * contributes 0 from that side.
 */
final class HybridRanker {
    private final QueryExecutor exec;

    HybridRanker(QueryExecutor exec) {
        this.exec = exec;
    }

    /** The best {@code k} fused hits; scores are negated fused scores. */
    List<Hit> rank(Query.RankBy.Hybrid h, int k) {
        int n = Math.max(k, h.candidates());
        List<Hit> vector = exec.nearest(h.vector(), n);
        List<Hit> text = new TextRanker(exec).rank(h.text(), n);
        Map<Hit, Double> fused = new HashMap<>();
        Map<HitKey, Hit> byKey = new HashMap<>();
        if (h.weighted()) {
            addNormalized(vector, h.alpha(), fused, byKey);
            addNormalized(text, 1 - h.alpha(), fused, byKey);
        } else {
            addReciprocalRanks(vector, h.rankConstant(), fused, byKey);
            addReciprocalRanks(text, h.rankConstant(), fused, byKey);
        }
        List<Hit> out = new ArrayList<>(fused.size());
        fused.forEach((hit, score) -> out.add(new Hit(hit.source(), hit.row(), (float) -score)));
        out.sort(Hit.BY_SCORE_THEN_ID);
        return out.size() > k ? out.subList(0, k) : out;
    }

    /** Identity of a row across the two lists. */
    private record HitKey(DocSource source, int row) {
    }

    private static Hit canonical(Hit h, Map<HitKey, Hit> byKey) {
        return byKey.computeIfAbsent(new HitKey(h.source(), h.row()), key -> new Hit(h.source(), h.row(), 0));
    }

    private static void addReciprocalRanks(List<Hit> ranked, double k, Map<Hit, Double> fused, Map<HitKey, Hit> byKey) {
        for (int i = 0; i < ranked.size(); i++) fused.merge(canonical(ranked.get(i), byKey), 1.0 / (k + i + 1), Double::sum);
    }

    /** Adds {@code weight ×} the score rescaled to [0, 1] (best = 1); hit scores are lower-is-better on both sides. */
    private static void addNormalized(List<Hit> ranked, double weight, Map<Hit, Double> fused,
                                      Map<HitKey, Hit> byKey) {
        if (ranked.isEmpty()) return;
        double best = ranked.getFirst().score(), worst = ranked.getLast().score();
        for (Hit h : ranked) {
            double norm = worst == best ? 1 : (worst - h.score()) / (worst - best);
            fused.merge(canonical(h, byKey), weight * norm, Double::sum);
        }
    }
}
