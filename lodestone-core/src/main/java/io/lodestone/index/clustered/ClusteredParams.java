package io.lodestone.index.clustered;

/**
 * Build parameters of a {@link ClusteredIndexWriter clustered index}.
 *
 * @param targetPostingSize rows per cluster the clustering aims at before replication: the index has
 *                          about {@code n / targetPostingSize} clusters. In {@code [8, 65536]}.
 * @param maxReplicas       postings a row may be stored in (SPANN's closure assignment): its nearest
 *                          cluster and up to {@code maxReplicas - 1} more. In {@code [1, 8]}.
 * @param closureEpsilon    a row also goes to cluster {@code c_i} when
 *                          {@code d(x, c_i) ≤ (1 + closureEpsilon)·d(x, c_1)}, {@code d} the squared
 *                          Euclidean distance and {@code c_1} its nearest centroid (and the RNG rule
 *                          does not skip {@code c_i}). In {@code [0, 10]}.
 * @param codeBits          RaBitQ bits per dimension of each code, in {@code [1, 8]}
 * @param seed              seeds the sample, the clustering and the rotation: the same vectors, parameters
 *                          and seed give the same bytes
 */
public record ClusteredParams(int targetPostingSize, int maxReplicas, float closureEpsilon, int codeBits, long seed) {

    /** Checks the ranges in the record comment. */
    public ClusteredParams {
        if (targetPostingSize < 8 || targetPostingSize > 65_536) {
            throw new IllegalArgumentException("targetPostingSize must be in [8, 65536]; got " + targetPostingSize);
        }
        if (maxReplicas < 1 || maxReplicas > 8) {
            throw new IllegalArgumentException("maxReplicas must be in [1, 8]; got " + maxReplicas);
        }
        if (!(closureEpsilon >= 0 && closureEpsilon <= 10)) {
            throw new IllegalArgumentException("closureEpsilon must be in [0, 10]; got " + closureEpsilon);
        }
        if (codeBits < 1 || codeBits > 8) {
            throw new IllegalArgumentException("codeBits must be in [1, 8]; got " + codeBits);
        }
    }

    /** Closure threshold of {@link #defaults()}, on squared distances; see the package comment for its tuning. */
    static final float DEFAULT_CLOSURE_EPSILON = 0.5f;

    /**
     * 128 rows per posting, up to 4 replicas, closure epsilon {@value #DEFAULT_CLOSURE_EPSILON}, 2-bit
     * codes (a quarter of the rows to rerank, each a ranged read from object storage; see the package
     * comment), seed 42.
     */
    public static ClusteredParams defaults() {
        return new ClusteredParams(128, 4, DEFAULT_CLOSURE_EPSILON, 2, 42);
    }
}
