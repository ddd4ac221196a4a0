package io.lodestone.index.hnsw;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HNSW graph on the heap, for building: fixed capacity ({@code size} nodes, the vector ordinals),
 * flat {@code int[]} neighbour lists.
 *
 * <p>Layout. Level 0 is one {@code int[]} with a stride of {@code 1 + 2m}: per node, the neighbour
 * count, then up to {@code 2m} neighbour ids. A node above level 0 also has its own {@code int[]}
 * holding, for each level {@code 1 .. levelOf(node)}, a count and up to {@code m} ids. About one
 * node in {@code m} has upper levels.
 *
 * <p>Concurrency. Lists are changed only by {@link HnswGraphBuilder}, under the node's lock
 * ({@link #lock(int)}, striped; a thread never holds two) and read without locks: a writer stores
 * the ids first and then the count with release semantics, a reader loads the count with acquire
 * semantics and then the ids. An append is therefore seen whole; a reader that races with a
 * rewrite (pruning) may see a mix of old and new ids, all of them valid nodes, which only changes
 * which nodes that search explores. The entry point and top level change together in one
 * {@link AtomicLong}.
 */
public final class OnHeapHnswGraph implements HnswGraph {

    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final int LOCK_STRIPES = 1 << 12;

    private final int size;
    private final int m;
    private final int m0;
    private final int stride0;
    private final int strideUp;
    private final int[] level0;
    private final int[][] upper;
    /**
     * While building: the distance of each stored neighbour to its node, in the same slots as the
     * ids, so that pruning a full list needs no distance computations. Dropped by
     * {@link #finishBuild()}.
     */
    private float[] distances0;
    private float[][] upperDistances;
    private final Object[] locks;
    /** {@code (numLevels << 32) | entryNode}, or -1 when empty. */
    private final AtomicLong entry = new AtomicLong(-1);

    /**
     * An empty graph for nodes {@code 0 .. size-1} with at most {@code m} neighbours per node above
     * level 0 and {@code 2m} on level 0; every node starts on level 0 with no neighbours.
     */
    public OnHeapHnswGraph(int size, int m) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0; got " + size);
        }
        if (m < 2) {
            throw new IllegalArgumentException("m must be >= 2; got " + m);
        }
        this.size = size;
        this.m = m;
        this.m0 = 2 * m;
        this.stride0 = 1 + m0;
        this.strideUp = 1 + m;
        this.level0 = new int[Math.multiplyExact(size, stride0)];
        this.upper = new int[size][];
        this.locks = new Object[Math.min(LOCK_STRIPES, Integer.highestOneBit(Math.max(1, size)) * 2)];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * A copy of {@code graph} on the heap (for instance to search a mapped graph from heap memory,
     * or to compare two graphs).
     */
    public static OnHeapHnswGraph copyOf(HnswGraph graph) {
        OnHeapHnswGraph copy = new OnHeapHnswGraph(graph.size(), graph.maxConn(1));
        if (graph.maxConn(0) != copy.m0) {
            throw new IllegalArgumentException("level 0 holds " + graph.maxConn(0) + " neighbours, not 2m = " + copy.m0);
        }
        int[] buf = new int[copy.m0];
        for (int level = 0; level < graph.numLevels(); level++) {
            for (int node : graph.nodesOnLevel(level)) {
                if (level > 0 && copy.upper[node] == null) {
                    copy.addLevels(node, graph.levelOf(node));
                }
                int n = graph.neighbors(level, node, buf);
                copy.setNeighbors(level, node, buf, n);
            }
        }
        if (graph.entryNode() >= 0) {
            copy.setEntry(graph.entryNode(), graph.numLevels() - 1);
        }
        return copy;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int numLevels() {
        long e = entry.get();
        return e < 0 ? 0 : (int) (e >>> 32);
    }

    @Override
    public int entryNode() {
        long e = entry.get();
        return e < 0 ? -1 : (int) e;
    }

    @Override
    public int maxConn(int level) {
        return level == 0 ? m0 : m;
    }

    /** The {@code m} this graph was made with. */
    public int m() {
        return m;
    }

    @Override
    public int levelOf(int node) {
        int[] up = upper[node];
        return up == null ? 0 : up.length / strideUp;
    }

    @Override
    public int neighbors(int level, int node, int[] dest) {
        int[] a = level == 0 ? level0 : upper[node];
        int base = base(level, node);
        int count = (int) INTS.getAcquire(a, base);
        System.arraycopy(a, base + 1, dest, 0, count);
        return count;
    }

    @Override
    public int[] nodesOnLevel(int level) {
        if (level == 0) {
            int[] all = new int[size];
            Arrays.setAll(all, i -> i);
            return all;
        }
        return java.util.stream.IntStream.range(0, size).filter(n -> levelOf(n) >= level).toArray();
    }

    // ---- building (package-private; HnswGraphBuilder) ----

    /** The entry state: {@code (numLevels << 32) | entryNode}, or -1 when empty. */
    long entryState() {
        return entry.get();
    }

    /** Publishes a new entry point; the caller holds the builder's entry lock. */
    void setEntry(int node, int level) {
        entry.set(((long) (level + 1) << 32) | node);
    }

    /**
     * Gives {@code node} its levels {@code 1 .. level}. Must run before the node is linked from any
     * other node (then the happens-before of the linking write publishes the array).
     */
    void addLevels(int node, int level) {
        if (level > 0) {
            if (upperDistances != null) {
                upperDistances[node] = new float[level * strideUp];
            }
            upper[node] = new int[level * strideUp];
        }
    }

    /** Starts keeping neighbour distances (before any node is added). */
    void startBuild() {
        distances0 = new float[level0.length];
        upperDistances = new float[size][];
    }

    /** Drops the neighbour distances: the graph is complete. */
    void finishBuild() {
        distances0 = null;
        upperDistances = null;
    }

    /**
     * Copies the neighbours of {@code node} and their stored distances; returns the count. The
     * caller holds the node's lock and the graph keeps distances.
     */
    int neighborsWithDistances(int level, int node, int[] ids, float[] dists) {
        int[] a = level == 0 ? level0 : upper[node];
        float[] d = level == 0 ? distances0 : upperDistances[node];
        int base = base(level, node);
        int count = a[base];
        System.arraycopy(a, base + 1, ids, 0, count);
        System.arraycopy(d, base + 1, dists, 0, count);
        return count;
    }

    /** Replaces the list and its distances; the caller holds the node's lock. */
    void setNeighbors(int level, int node, int[] ids, float[] dists, int count) {
        float[] d = level == 0 ? distances0 : upperDistances[node];
        System.arraycopy(dists, 0, d, base(level, node) + 1, count);
        setNeighbors(level, node, ids, count);
    }

    /** Appends {@code neighbor} at {@code distance}, which must fit; the caller holds the node's lock. */
    void append(int level, int node, int neighbor, float distance) {
        float[] d = level == 0 ? distances0 : upperDistances[node];
        int base = base(level, node);
        d[base + 1 + (level == 0 ? level0 : upper[node])[base]] = distance;
        append(level, node, neighbor);
    }

    /** The lock guarding {@code node}'s lists (shared with other nodes: never hold two). */
    Object lock(int node) {
        return locks[node & (locks.length - 1)];
    }

    private int base(int level, int node) {
        return level == 0 ? node * stride0 : (level - 1) * strideUp;
    }

    /** The neighbour count of {@code node} on {@code level}; the caller holds its lock. */
    int count(int level, int node) {
        int[] a = level == 0 ? level0 : upper[node];
        return a[base(level, node)];
    }

    /** Replaces the list; the caller holds the node's lock. */
    void setNeighbors(int level, int node, int[] src, int count) {
        assert count <= maxConn(level) : "list of " + count + " > maxConn " + maxConn(level);
        int[] a = level == 0 ? level0 : upper[node];
        int base = base(level, node);
        System.arraycopy(src, 0, a, base + 1, count);
        INTS.setRelease(a, base, count);
    }

    /** Appends {@code neighbor}, which must fit; the caller holds the node's lock. */
    void append(int level, int node, int neighbor) {
        int[] a = level == 0 ? level0 : upper[node];
        int base = base(level, node);
        int count = a[base];
        assert count < maxConn(level) : "list full";
        a[base + 1 + count] = neighbor;
        INTS.setRelease(a, base, count + 1);
    }
}
