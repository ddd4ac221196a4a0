package io.lodestone.index.hnsw;

/**
 * HNSW build parameters.
 *
 * @param m              the maximum number of neighbours per node on levels above 0; level 0 allows
 *                       {@code 2 m} ({@link #maxConn0()}). In {@code [2, 512]}; 16 is a good default.
 * @param efConstruction the candidate list size of the searches that find a new node's neighbours;
 *                       larger builds slower and better graphs. In {@code [1, 100000]}; 200 is usual.
 *                       Searches use at least {@code m}.
 * @param seed           seeds the level of every node ({@link LevelGenerator}); the same seed gives
 *                       the same levels whatever the thread count
 */
public record HnswParams(int m, int efConstruction, long seed) {

    /** The defaults: m 16, efConstruction 200, seed 42. */
    public static final HnswParams DEFAULT = new HnswParams(16, 200, 42);

    /** Validates the ranges given in the record comment. */
    public HnswParams {
        if (m < 2 || m > 512) {
            throw new IllegalArgumentException("m must be in [2, 512]; got " + m);
        }
        if (efConstruction < 1 || efConstruction > 100_000) {
            throw new IllegalArgumentException("efConstruction must be in [1, 100000]; got " + efConstruction);
        }
    }

    /** The maximum number of neighbours on level 0: {@code 2 m}. */
    public int maxConn0() {
        return 2 * m;
    }

    /** The maximum number of neighbours on {@code level}. */
    public int maxConn(int level) {
        return level == 0 ? 2 * m : m;
    }
}
