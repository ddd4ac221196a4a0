package io.lodestone.vector;

/**
 * The last step of the metrics that end in a division, shared by every {@link VectorOps} so that the
 * edge cases (zero vectors, zero denominators) are decided in one place.
 */
final class DistanceMath {

    private DistanceMath() {
    }

    /** Cosine distance from the dot product and the two squared norms; 1 if either vector is zero. */
    static float cosineFromSums(float dot, float squareSumA, float squareSumB) {
        if (squareSumA == 0f || squareSumB == 0f) {
            return 1f;
        }
        // Double: the product of two large float sums must not overflow.
        return cosineFromCos(dot / Math.sqrt((double) squareSumA * (double) squareSumB));
    }

    /** Cosine distance from the dot product and the two norms; 1 if either norm is zero. */
    static float cosineFromNorms(float dot, float normA, float normB) {
        if (normA == 0f || normB == 0f) {
            return 1f;
        }
        return cosineFromCos(dot / ((double) normA * (double) normB));
    }

    private static float cosineFromCos(double cos) {
        // Clamp: rounding can push |cos| a little past 1, and a distance must not go negative.
        return (float) (1.0 - Math.max(-1.0, Math.min(1.0, cos)));
    }

    /** Bray-Curtis from its two sums; 0 when the denominator is 0. */
    static float brayCurtisFromSums(float numerator, float denominator) {
        return denominator == 0f ? 0f : numerator / denominator;
    }

    /** Jaccard from its two sums; 0 when both vectors are all zeros. */
    static float jaccardFromSums(float minSum, float maxSum) {
        return maxSum == 0f ? 0f : 1f - minSum / maxSum;
    }
}
