package io.lodestone.index.hnsw;

/**
 * The level of each node, as in the HNSW paper: {@code floor(-ln(U) · mL)} with {@code mL = 1/ln(m)}
 * and {@code U} uniform in (0, 1]. {@code U} comes from a SplitMix64 hash of (seed, node), so a node's
 * level depends on nothing else: builds are reproducible whatever the thread count and insertion
 * order. Stateless and thread-safe.
 */
final class LevelGenerator {

    /** Levels are capped so that a degenerate seed cannot make absurdly tall graphs. */
    static final int MAX_LEVEL = 15;

    private final long seed;
    private final double ml;

    LevelGenerator(long seed, int m) {
        this.seed = seed;
        this.ml = 1.0 / Math.log(m);
    }

    int levelOf(int node) {
        long z = seed + 0x9E3779B97F4A7C15L * (node + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        double u = ((z >>> 11) + 1) * 0x1.0p-53;   // (0, 1]
        return (int) Math.min(MAX_LEVEL, Math.floor(-Math.log(u) * ml));
    }
}
