package io.lodestone.e2e;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;

/**
 * Brute-force reference computations the end-to-end tests compare the server against: exact
 * distances, exact nearest neighbours, reciprocal rank fusion, glob matching.
 */
final class Reference {

    private Reference() {}

    enum Metric {
        COSINE_DISTANCE("cosine_distance"), EUCLIDEAN_SQUARED("euclidean_squared");

        final String wire;

        Metric(String wire) { this.wire = wire; }

        /** The distance in double precision (inputs are the float32 values sent to the server). */
        double distance(float[] a, float[] b) {
            if (a.length != b.length) throw new IllegalArgumentException("dimension mismatch");
            return switch (this) {
                case COSINE_DISTANCE -> {
                    double dot = 0, na = 0, nb = 0;
                    for (int i = 0; i < a.length; i++) {
                        dot += (double) a[i] * b[i];
                        na += (double) a[i] * a[i];
                        nb += (double) b[i] * b[i];
                    }
                    yield 1.0 - dot / (Math.sqrt(na) * Math.sqrt(nb));
                }
                case EUCLIDEAN_SQUARED -> {
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        double d = (double) a[i] - b[i];
                        s += d * d;
                    }
                    yield s;
                }
            };
        }

        /** Tolerance for comparing a server (float32) distance with {@link #distance}. */
        double tolerance(double expected) {
            return 1e-4 + 1e-4 * Math.abs(expected);
        }
    }

    record Neighbour(long id, double distance) {}

    /** The exact {@code k} nearest neighbours of {@code query} among docs passing {@code filter}. */
    static List<Neighbour> nearest(Map<Long, float[]> docs, float[] query, Metric metric, LongPredicate filter, int k) {
        List<Neighbour> all = new ArrayList<>();
        for (var e : docs.entrySet()) {
            if (filter.test(e.getKey())) all.add(new Neighbour(e.getKey(), metric.distance(e.getValue(), query)));
        }
        all.sort(Comparator.comparingDouble(Neighbour::distance).thenComparingLong(Neighbour::id));
        return all.subList(0, Math.min(k, all.size()));
    }

    static float[] randomVector(Random random, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) v[i] = random.nextFloat() * 2 - 1;
        return v;
    }

    static List<Float> list(float[] v) { return Json.vec(v); }

    /**
     * Reciprocal rank fusion: {@code score(d) = sum over lists of weight / (k + rank)}, rank 1-based.
     * Returns id → score, in descending score order (ties by ascending id).
     */
    static LinkedHashMap<Long, Double> rrf(List<List<Long>> rankings, int k) {
        Map<Long, Double> score = new HashMap<>();
        for (List<Long> ranking : rankings) {
            for (int i = 0; i < ranking.size(); i++) {
                score.merge(ranking.get(i), 1.0 / (k + i + 1), Double::sum);
            }
        }
        LinkedHashMap<Long, Double> out = new LinkedHashMap<>();
        score.entrySet().stream()
                .sorted(Map.Entry.<Long, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Unix glob ({@code *}, {@code ?}, {@code [..]}) as a regex; {@code ignoreCase} for IGlob. */
    static Pattern glob(String glob, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i);
                    re.append(glob, i, end + 1);
                    i = end;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    }
}
