package io.lodestone.index.hnsw;

/**
 * A read-only view of an HNSW graph: nodes {@code 0 .. size()-1} (the vector ordinals), each on
 * levels {@code 0 .. levelOf(node)}, with at most {@link #maxConn(int)} neighbours per level. Level
 * 0 holds every node. Implemented on the heap while building ({@link OnHeapHnswGraph}) and over a
 * memory segment once written ({@link OffHeapHnswGraph}).
 *
 * <p>Implementations are safe for concurrent reads.
 */
public interface HnswGraph {

    /** The number of nodes. */
    int size();

    /** The number of levels, {@code 1 + } the top level; 0 for an empty graph. */
    int numLevels();

    /** Where searches start: a node on the top level; -1 for an empty graph. */
    int entryNode();

    /** The maximum neighbour count on {@code level}: {@code 2m} on level 0, {@code m} above. */
    int maxConn(int level);

    /** The top level of {@code node}. */
    int levelOf(int node);

    /**
     * Copies the neighbours of {@code node} on {@code level} into {@code dest} (which must hold
     * {@link #maxConn(int)} entries) and returns how many there are. {@code node} must be on
     * {@code level}.
     */
    int neighbors(int level, int node, int[] dest);

    /** The nodes on {@code level}, ascending (for level 0, every node). */
    int[] nodesOnLevel(int level);
}
