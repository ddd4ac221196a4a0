package io.lodestone.vector;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every distance metric Lodestone knows, defined once. Each is a <em>distance</em>: lower is closer,
 * and it is what queries report as {@code $dist}.
 *
 * <p>In the formulas, {@code a} and {@code b} are vectors of the same dimension {@code n}, sums and
 * maxima run over {@code i = 0 .. n-1}, and {@code |x|} is the absolute value (or, around a whole
 * vector, the Euclidean norm). All arithmetic is float32 with float32 accumulators, so results may
 * differ from an exact computation by a few units in the last place per term; kernels do not check
 * for NaN or infinite inputs, which propagate as IEEE 754 says.
 *
 * <p>Only {@link #supportsAnn()} metrics can back an approximate (HNSW) index; all nine work for
 * exact kNN. Compute a distance with {@link #distance(float[], float[])} or, for many rows at once,
 * {@link VectorUtil#distances}.
 *
 * <p>On the wire a metric is its {@link #wireName()}; {@link #parse(String)} also accepts a few
 * aliases. Persist metrics by wire name, never by {@link #ordinal()}.
 */
public enum DistanceMetric {

    /**
     * Cosine distance, {@code 1 - a·b / (|a| |b|)}, in {@code [0, 2]}: 0 for vectors pointing the same
     * way, 1 for orthogonal ones, 2 for opposite ones. If either vector is all zeros the cosine is
     * undefined and the distance is defined as {@code 1} (as if orthogonal). The cosine is clamped to
     * {@code [-1, 1]} before subtracting, so rounding never yields a negative distance. Wire name
     * {@code cosine_distance}; alias {@code cosine}. ANN.
     */
    COSINE_DISTANCE("cosine_distance", true),

    /**
     * Squared Euclidean distance, {@code Σ (a_i - b_i)²}. Not square-rooted: it ranks like the
     * Euclidean distance and is cheaper. Wire name {@code euclidean_squared}; aliases
     * {@code euclidean}, {@code l2}. ANN.
     */
    EUCLIDEAN_SQUARED("euclidean_squared", true),

    /**
     * Negated dot product, {@code -a·b} = {@code -Σ a_i b_i}, so that a larger dot product is closer.
     * Unbounded, and negative for vectors with a positive dot product; a zero dot product gives
     * {@code +0}. Wire name {@code dot_product};
     * alias {@code dot}. ANN.
     */
    DOT_PRODUCT("dot_product", true),

    /**
     * Manhattan (L1, taxicab) distance, {@code Σ |a_i - b_i|}. Wire name {@code manhattan}; alias
     * {@code l1}.
     */
    MANHATTAN("manhattan", false),

    /**
     * Hamming distance: the number of positions where {@code a_i != b_i} (float comparison, so
     * {@code 0.0 == -0.0}, and a NaN differs from everything). An integer in {@code [0, n]}, returned
     * as a float. Wire name {@code hamming}.
     */
    HAMMING("hamming", false),

    /**
     * Weighted (Ruzicka) Jaccard distance, {@code 1 - Σ min(a_i, b_i) / Σ max(a_i, b_i)}, in
     * {@code [0, 1]}. That formula is meant for non-negative vectors; to stay a metric in
     * {@code [0, 1]} for any sign, each coordinate {@code x} is split into its positive part
     * {@code x⁺ = max(x, 0)} and negative part {@code x⁻ = max(-x, 0)}, and the formula is applied to
     * the {@code 2n} non-negative parts:
     * <pre>
     *   1 - Σ (min(a_i⁺, b_i⁺) + min(a_i⁻, b_i⁻)) / Σ (max(a_i⁺, b_i⁺) + max(a_i⁻, b_i⁻))
     * </pre>
     * For non-negative vectors this is exactly the usual weighted Jaccard distance. Coordinates of
     * opposite sign share nothing (e.g. {@code [-1]} vs {@code [1]} is 1; {@code [-1]} vs {@code [-1]}
     * is 0). When the denominator is 0 (both vectors all zeros) the distance is 0. Wire name
     * {@code jaccard}.
     */
    JACCARD("jaccard", false),

    /**
     * Chebyshev (L∞) distance, {@code max |a_i - b_i|}; 0 for empty vectors. Wire name
     * {@code chebyshev}.
     */
    CHEBYSHEV("chebyshev", false),

    /**
     * Canberra distance, {@code Σ |a_i - b_i| / (|a_i| + |b_i|)}, where a term with both
     * {@code a_i} and {@code b_i} zero counts 0. Each term is in {@code [0, 1]}, so the distance is in
     * {@code [0, n]}. Wire name {@code canberra}.
     */
    CANBERRA("canberra", false),

    /**
     * Bray-Curtis dissimilarity, {@code Σ |a_i - b_i| / Σ |a_i + b_i|}, defined as 0 when the
     * denominator is 0. Meant for non-negative vectors, where it lies in {@code [0, 1]} and the
     * denominator is 0 only when both vectors are all zeros; with mixed signs it is unbounded, and a
     * vector compared with its exact negation (denominator 0) gets 0 by this rule. Wire name
     * {@code braycurtis}; alias {@code bray_curtis}.
     */
    BRAY_CURTIS("braycurtis", false);

    private static final DistanceMetric[] VALUES = values();

    private final String wireName;
    private final boolean supportsAnn;

    DistanceMetric(String wireName, boolean supportsAnn) {
        this.wireName = wireName;
        this.supportsAnn = supportsAnn;
    }

    /** The name used in the HTTP APIs and in persisted metadata, e.g. {@code cosine_distance}. */
    public String wireName() {
        return wireName;
    }

    /** Whether an approximate (HNSW) index can use this metric; the others are exact kNN only. */
    public boolean supportsAnn() {
        return supportsAnn;
    }

    /**
     * The distance from {@code a} to {@code b} under this metric; same as
     * {@link VectorUtil#distance(DistanceMetric, float[], float[])}.
     *
     * @throws IllegalArgumentException if the lengths differ
     */
    public float distance(float[] a, float[] b) {
        return VectorUtil.distance(this, a, b);
    }

    /**
     * The metric with this wire name or alias ({@code cosine}, {@code euclidean}, {@code l2},
     * {@code l1}, {@code dot}, {@code bray_curtis}), ignoring case and surrounding whitespace.
     *
     * @throws IllegalArgumentException naming the value and the valid names if none matches
     * @throws NullPointerException if {@code name} is null
     */
    public static DistanceMetric parse(String name) {
        String key = name.strip().toLowerCase(Locale.ROOT);
        for (DistanceMetric m : VALUES) {
            if (m.wireName.equals(key)) {
                return m;
            }
        }
        return switch (key) {
            case "cosine" -> COSINE_DISTANCE;
            case "euclidean", "l2" -> EUCLIDEAN_SQUARED;
            case "dot" -> DOT_PRODUCT;
            case "l1" -> MANHATTAN;
            case "bray_curtis" -> BRAY_CURTIS;
            default -> throw new IllegalArgumentException("unknown distance metric '" + name
                    + "'; valid: " + validNames() + " (aliases: cosine, euclidean, l2, dot, l1, bray_curtis)");
        };
    }

    /** The wire names, comma-separated, in declaration order (for error messages). */
    static String validNames() {
        return Arrays.stream(VALUES).map(DistanceMetric::wireName).collect(Collectors.joining(", "));
    }
}
