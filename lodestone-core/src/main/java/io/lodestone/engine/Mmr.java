package io.lodestone.engine;

import io.lodestone.doc.InvalidInputException;
import io.lodestone.vector.VectorUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * Maximal marginal relevance: reorders a ranked candidate list so each next pick maximizes
 * {@code λ·relevance − (1 − λ)·max similarity to the rows already picked}. Relevance is the candidate's
 * score rescaled to [0, 1] within the list (lower distance = more relevant; rank order when there are
 * no distances); similarity is the cosine similarity of the documents' vectors (0 when either has none).
 *
 * @param lambda     1 keeps the original order, 0 maximizes diversity
 * @param candidates how many top rows to diversify from (≥ top_k)
 */
public record Mmr(double lambda, int candidates) {

    public Mmr {
        if (!(lambda >= 0 && lambda <= 1)) throw new InvalidInputException("mmr lambda must be in [0, 1]; got " + lambda);
        if (candidates < 1 || candidates > 10_000) {
            throw new InvalidInputException("mmr candidates must be in [1, 10000]; got " + candidates);
        }
    }

    /** Picks {@code k} rows from {@code ranked} (best first; rows need vectors for the diversity term). */
    public List<QueryResult.Row> select(List<QueryResult.Row> ranked, int k) {
        int n = ranked.size();
        double[] relevance = relevance(ranked);
        float[][] unit = new float[n][];
        for (int i = 0; i < n; i++) unit[i] = normalized(ranked.get(i).vector());
        double[] maxSim = new double[n];
        java.util.Arrays.fill(maxSim, 0);
        boolean[] taken = new boolean[n];
        List<QueryResult.Row> out = new ArrayList<>(Math.min(k, n));
        for (int round = 0; round < Math.min(k, n); round++) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (taken[i]) continue;
                double score = lambda * relevance[i] - (1 - lambda) * (out.isEmpty() ? 0 : maxSim[i]);
                if (score > bestScore) {
                    bestScore = score;
                    best = i;
                }
            }
            taken[best] = true;
            out.add(ranked.get(best));
            for (int i = 0; i < n; i++) {
                if (!taken[i] && unit[i] != null && unit[best] != null) {
                    maxSim[i] = Math.max(maxSim[i], VectorUtil.dot(unit[i], unit[best]));
                }
            }
        }
        return out;
    }

    private static double[] relevance(List<QueryResult.Row> ranked) {
        int n = ranked.size();
        double[] r = new double[n];
        boolean scored = ranked.stream().allMatch(row -> row.distance() != null);
        if (!scored || n == 1) {
            for (int i = 0; i < n; i++) r[i] = n == 1 ? 1 : 1 - (double) i / (n - 1);
            return r;
        }
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (QueryResult.Row row : ranked) {
            min = Math.min(min, row.distance());
            max = Math.max(max, row.distance());
        }
        for (int i = 0; i < n; i++) r[i] = max == min ? 1 : 1 - (ranked.get(i).distance() - min) / (max - min);
        return r;
    }

    private static float[] normalized(float[] v) {
        if (v == null) return null;
        float norm = VectorUtil.norm(v);
        if (norm == 0) return null;
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) u[i] = v[i] / norm;
        return u;
    }
}
