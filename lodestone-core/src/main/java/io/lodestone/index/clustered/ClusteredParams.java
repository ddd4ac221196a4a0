package io.lodestone.index.clustered;

/** Build parameters (placeholder until the index lands; replaced by the real class). */
public record ClusteredParams(int targetPostingSize, int maxReplicas, float closureEpsilon, int codeBits, long seed) {
    public static ClusteredParams defaults() {
        return new ClusteredParams(128, 4, 0.1f, 1, 42);
    }
}
