package io.lodestone.index.hnsw;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A read-only HNSW graph over a {@link MemorySegment} holding the layout {@link HnswGraphWriter}
 * writes (see the package comment), typically a slice of a memory-mapped segment file. Opening reads
 * the header and one int per level, so it costs the same for any graph size; neighbour lists are
 * read in place when searched. Level-0 lists have a fixed stride and are found by arithmetic; on
 * upper levels a node is found by binary search in the level's sorted node list.
 *
 * <p>Checks on open: the version, the parameters, the entry node, and that the segment is exactly
 * as long as the header implies. Neighbour counts are checked when read; neighbour ids are not (the
 * caller verifies the file's checksum). Thread-safe while the segment stays alive.
 */
public final class OffHeapHnswGraph implements HnswGraph {

    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment data;
    private final int size;
    private final int m;
    private final int maxConn0;
    private final int numLevels;
    private final int entryNode;
    private final long stride0;
    private final long strideUp;
    /** Per level (index 0 unused): byte offset of the sorted node list, its length, the lists. */
    private final long[] nodesOffset;
    private final int[] nodeCount;
    private final long[] listsOffset;

    private OffHeapHnswGraph(MemorySegment data) {
        this.data = data;
        if (data.byteSize() < HnswGraphWriter.HEADER_BYTES) {
            throw corrupt("segment of " + data.byteSize() + " bytes is shorter than the "
                    + HnswGraphWriter.HEADER_BYTES + "-byte header");
        }
        int version = data.get(LE_INT, 0);
        if (version != HnswGraphWriter.VERSION_CURRENT) {
            throw corrupt("unsupported layout version " + version + "; this reader reads version "
                    + HnswGraphWriter.VERSION_CURRENT);
        }
        size = data.get(LE_INT, 4);
        m = data.get(LE_INT, 8);
        maxConn0 = data.get(LE_INT, 12);
        numLevels = data.get(LE_INT, 16);
        entryNode = data.get(LE_INT, 20);
        if (size < 0 || m < 2 || m > 512 || maxConn0 != 2 * m) {
            throw corrupt("bad parameters: size " + size + ", m " + m + ", maxConn0 " + maxConn0);
        }
        if (numLevels < 0 || numLevels > LevelGenerator.MAX_LEVEL + 1 || (numLevels == 0) != (size == 0)
                || (size == 0 ? entryNode != -1 : entryNode < 0 || entryNode >= size)) {
            throw corrupt("bad levels or entry: " + numLevels + " levels, entry node " + entryNode + ", size " + size);
        }
        stride0 = 4L * (1 + maxConn0);
        strideUp = 4L * (1 + m);
        nodesOffset = new long[Math.max(1, numLevels)];
        nodeCount = new int[Math.max(1, numLevels)];
        listsOffset = new long[Math.max(1, numLevels)];
        long offset = HnswGraphWriter.HEADER_BYTES + stride0 * size;
        for (int level = 1; level < numLevels; level++) {
            if (offset + 4 > data.byteSize()) {
                throw corrupt("truncated at level " + level + " (offset " + offset + ")");
            }
            int count = data.get(LE_INT, offset);
            if (count < 1 || count > size) {
                throw corrupt("level " + level + " has " + count + " nodes (size " + size + ")");
            }
            nodeCount[level] = count;
            nodesOffset[level] = offset + 4;
            listsOffset[level] = offset + 4 + 4L * count;
            offset = listsOffset[level] + strideUp * count;
        }
        if (offset != data.byteSize()) {
            throw corrupt("layout implies " + offset + " bytes but the segment has " + data.byteSize());
        }
    }

    /**
     * Opens the graph in {@code data} (exactly the bytes {@link HnswGraphWriter#write} produced).
     *
     * @throws IllegalArgumentException if the layout is corrupt or of another version, saying what
     *         was expected and what was found
     */
    public static OffHeapHnswGraph open(MemorySegment data) {
        return new OffHeapHnswGraph(Objects.requireNonNull(data, "data"));
    }

    private static IllegalArgumentException corrupt(String detail) {
        return new IllegalArgumentException("corrupt HNSW graph: " + detail);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int numLevels() {
        return numLevels;
    }

    @Override
    public int entryNode() {
        return entryNode;
    }

    @Override
    public int maxConn(int level) {
        return level == 0 ? maxConn0 : m;
    }

    @Override
    public int levelOf(int node) {
        Objects.checkIndex(node, size);
        int level = 0;
        while (level + 1 < numLevels && indexOnLevel(level + 1, node) >= 0) {
            level++;
        }
        return level;
    }

    @Override
    public int neighbors(int level, int node, int[] dest) {
        long offset;
        int max;
        if (level == 0) {
            offset = HnswGraphWriter.HEADER_BYTES + stride0 * node;
            max = maxConn0;
        } else {
            int index = indexOnLevel(level, node);
            if (index < 0) {
                throw new IllegalArgumentException("node " + node + " is not on level " + level);
            }
            offset = listsOffset[level] + strideUp * index;
            max = m;
        }
        int count = data.get(LE_INT, offset);
        if (count < 0 || count > max) {
            throw corrupt("node " + node + " on level " + level + " has " + count + " neighbours (max " + max + ")");
        }
        MemorySegment.copy(data, LE_INT, offset + 4, dest, 0, count);
        return count;
    }

    @Override
    public int[] nodesOnLevel(int level) {
        if (level == 0) {
            int[] all = new int[size];
            java.util.Arrays.setAll(all, i -> i);
            return all;
        }
        int[] nodes = new int[nodeCount[level]];
        MemorySegment.copy(data, LE_INT, nodesOffset[level], nodes, 0, nodes.length);
        return nodes;
    }

    /** The position of {@code node} in the sorted node list of {@code level}, or -1. */
    private int indexOnLevel(int level, int node) {
        long base = nodesOffset[level];
        int lo = 0;
        int hi = nodeCount[level] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int v = data.get(LE_INT, base + 4L * mid);
            if (v < node) {
                lo = mid + 1;
            } else if (v > node) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }
}
