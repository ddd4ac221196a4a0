package io.lodestone.index.clustered;

/**
 * SPANN's closure assignment of one row: its nearest centroid {@code c_1}, then, nearest first, each
 * next centroid {@code c_i} with {@code d(x, c_i) ≤ (1 + ε)·d(x, c_1)} unless the RNG rule skips it
 * (some already chosen {@code c_j} has {@code d(c_i, c_j) < f·d(x, c_i)}, {@code f} the
 * {@link #RNG_FACTOR}: {@code c_i} lies behind
 * {@code c_j} as seen from {@code x}, so a query near {@code x} reaching {@code c_i} reaches
 * {@code c_j} first), up to {@code maxReplicas} postings. Distances are squared Euclidean. Holds
 * scratch: one per thread.
 */
final class ClosureAssigner {

    /** Candidates looked at per row: enough for the RNG rule to skip some. */
    /**
     * SPTAG's RNG factor: {@code c_i} is skipped when {@code d(c_i, c_j) < RNG_FACTOR · d(x, c_i)}. With
     * 1 (the plain rule) almost no row got a second posting on debian-minilm (1.01 postings per row:
     * in 384 dimensions centroids lie closer to each other than rows to their centroids); 0.5 (on
     * squared distances) gave the best recall per code scanned of 1, 0.7, 0.5 and 0 (package comment).
     */
    static final float RNG_FACTOR = 0.5f;
    private final int candidates;
    private final int maxReplicas;
    private final float closureFactor;
    private final CentroidSearcher centroids;
    private final int[] ids;
    private final float[] distances;

    ClosureAssigner(CentroidSearcher centroids, int maxReplicas, float closureEpsilon) {
        this.centroids = centroids;
        this.maxReplicas = maxReplicas;
        this.closureFactor = 1f + closureEpsilon;
        this.candidates = maxReplicas == 1 ? 1 : 4 * maxReplicas;
        this.ids = new int[candidates];
        this.distances = new float[candidates];
    }

    /** The clusters of the row whose rotated vector is {@code x} into {@code out}, nearest first; returns how many. */
    int assign(float[] x, int[] out) {
        int n = centroids.nearest(x, candidates, ids, distances);
        out[0] = ids[0];
        int chosen = 1;
        float limit = closureFactor * distances[0];
        for (int i = 1; i < n && chosen < maxReplicas; i++) {
            if (distances[i] > limit) {
                break;
            }
            boolean skip = false;
            for (int j = 0; j < chosen && !skip; j++) {
                skip = centroids.distanceBetween(ids[i], out[j]) < RNG_FACTOR * distances[i];
            }
            if (!skip) {
                out[chosen++] = ids[i];
            }
        }
        return chosen;
    }
}
