package io.lodestone.vector;

/**
 * The metrics written the obvious way in double precision, each with a bound on the error a float32
 * kernel may make: the standard summation bound {@code γ_n Σ|terms|} (with {@code γ_n ≈ n u},
 * {@code u = 2⁻²⁴}), doubled for slack. Independent of the production code on purpose (e.g. Jaccard
 * splits positive and negative parts explicitly instead of using the min/max identities).
 */
record ReferenceDistance(double value, double tolerance) {

    private static final double U = Math.ulp(1.0f) / 2;

    static ReferenceDistance of(DistanceMetric metric, float[] a, float[] b) {
        int n = a.length;
        double gamma = 2.0 * (n + 4) * U; // doubled γ_(n+4): slack for the per-term roundings
        switch (metric) {
            case DOT_PRODUCT -> {
                double dot = 0;
                double mag = 0;
                for (int i = 0; i < n; i++) {
                    dot += (double) a[i] * b[i];
                    mag += Math.abs((double) a[i] * b[i]);
                }
                return new ReferenceDistance(-dot, gamma * mag);
            }
            case EUCLIDEAN_SQUARED -> {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    double d = (double) a[i] - b[i];
                    sum += d * d;
                }
                return new ReferenceDistance(sum, gamma * sum);
            }
            case COSINE_DISTANCE -> {
                double dot = 0;
                double na = 0;
                double nb = 0;
                for (int i = 0; i < n; i++) {
                    dot += (double) a[i] * b[i];
                    na += (double) a[i] * a[i];
                    nb += (double) b[i] * b[i];
                }
                if (na == 0 || nb == 0) {
                    return new ReferenceDistance(1, 0);
                }
                double cos = dot / (Math.sqrt(na) * Math.sqrt(nb));
                cos = Math.max(-1, Math.min(1, cos));
                // |error of dot| / (|a||b|) <= γ by Cauchy-Schwarz; the norms add 2γ |cos|.
                return new ReferenceDistance(1 - cos, 3 * gamma + 2 * U);
            }
            case MANHATTAN -> {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += Math.abs((double) a[i] - b[i]);
                }
                return new ReferenceDistance(sum, gamma * sum);
            }
            case HAMMING -> {
                int count = 0;
                for (int i = 0; i < n; i++) {
                    if (!(a[i] == b[i])) {
                        count++;
                    }
                }
                return new ReferenceDistance(count, 0);
            }
            case JACCARD -> {
                double min = 0;
                double max = 0;
                for (int i = 0; i < n; i++) {
                    double ap = Math.max(a[i], 0.0);
                    double an = Math.max(-a[i], 0.0);
                    double bp = Math.max(b[i], 0.0);
                    double bn = Math.max(-b[i], 0.0);
                    min += Math.min(ap, bp) + Math.min(an, bn);
                    max += Math.max(ap, bp) + Math.max(an, bn);
                }
                if (max == 0) {
                    return new ReferenceDistance(0, 0);
                }
                return new ReferenceDistance(1 - min / max, 2 * gamma + 2 * U);
            }
            case CHEBYSHEV -> {
                double max = 0;
                for (int i = 0; i < n; i++) {
                    max = Math.max(max, Math.abs((double) a[i] - b[i]));
                }
                return new ReferenceDistance(max, 2 * U * max);
            }
            case CANBERRA -> {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    double den = Math.abs((double) a[i]) + Math.abs((double) b[i]);
                    if (den != 0) {
                        sum += Math.abs((double) a[i] - b[i]) / den;
                    }
                }
                return new ReferenceDistance(sum, gamma * sum + 8 * U * n);
            }
            case BRAY_CURTIS -> {
                double num = 0;
                double den = 0;
                for (int i = 0; i < n; i++) {
                    num += Math.abs((double) a[i] - b[i]);
                    den += Math.abs((double) a[i] + b[i]);
                }
                if (den == 0) {
                    return new ReferenceDistance(0, 0);
                }
                double value = num / den;
                return new ReferenceDistance(value, 2 * gamma * value);
            }
        }
        throw new AssertionError(metric);
    }

    /** Whether a float result is within the tolerance (and not NaN). */
    boolean accepts(float actual) {
        return Math.abs(actual - value) <= tolerance;
    }
}
