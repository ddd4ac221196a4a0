/**
 * HNSW approximate nearest-neighbour search (Malkov and Yashunin, 2016), split by job as Lucene
 * splits it.
 *
 * <ul>
 *   <li>{@link io.lodestone.index.hnsw.HnswGraph}: the read view; {@link
 *       io.lodestone.index.hnsw.OnHeapHnswGraph} (flat {@code int[]} lists, concurrent-safe, for
 *       building) and {@link io.lodestone.index.hnsw.OffHeapHnswGraph} (read in place from a
 *       memory segment, opened in constant time).</li>
 *   <li>{@link io.lodestone.index.hnsw.HnswGraphBuilder}: concurrent insertion with per-node locks
 *       (numbered steps in its comment), levels from a seeded {@code LevelGenerator}, neighbours by
 *       the {@code DiversityHeuristic}; a final pass ({@code GraphConnector}) links any node left
 *       unreachable. Parameters: {@link io.lodestone.index.hnsw.HnswParams}.</li>
 *   <li>{@link io.lodestone.index.hnsw.HnswGraphSearcher}: greedy descent, then the
 *       {@code ef}-bounded search of level 0, with an optional accept filter and an optional exact
 *       rerank of an approximate traversal. Scratch (visited bitset, packed {@code long} heaps in
 *       {@code NeighborQueue}) is reused: keep one searcher per thread.</li>
 *   <li>{@link io.lodestone.index.hnsw.HnswGraphWriter}: the byte layout below.</li>
 * </ul>
 *
 * <h2>Byte layout, version 1</h2>
 * Written by {@link io.lodestone.index.hnsw.HnswGraphWriter}, read by
 * {@link io.lodestone.index.hnsw.OffHeapHnswGraph}. Every value is a little-endian int32. The
 * segment layer adds its own header, footer and checksum around these bytes.
 * <pre>
 * header (24 bytes)
 *   version      1
 *   size         number of nodes n (the vector ordinals 0 .. n-1)
 *   m            maximum neighbours per node on levels 1 and up
 *   maxConn0     maximum neighbours on level 0, always 2m
 *   numLevels    top level + 1; 0 for an empty graph
 *   entryNode    the search entry point, on the top level; -1 for an empty graph
 * level 0: n lists, in node order, each 1 + maxConn0 ints
 *   count        number of neighbours, 0 .. maxConn0
 *   neighbours   maxConn0 slots: the neighbour ids, then -1 in the unused slots
 * for each level L = 1 .. numLevels-1:
 *   nodeCount    number of nodes on level L (at least 1)
 *   nodes        nodeCount node ids, ascending
 *   lists        nodeCount lists in the order of nodes, each 1 + m ints (count, m slots)
 * </pre>
 * The size is {@code 24 + 4n(1 + 2m) + Σ_L 4(1 + nodeCount_L (2 + m))} bytes:
 * {@link io.lodestone.index.hnsw.HnswGraphWriter#byteSize}. Level-0 lists have a fixed stride so
 * that a node's list is found by arithmetic; upper levels hold about one node in {@code m} per
 * level and are found by binary search. Neighbour order within a list is not significant.
 *
 * <p>History: version 1 (this one) is the first.
 *
 * <h2>Concurrency</h2>
 * Builders write, many searchers read: see {@link io.lodestone.index.hnsw.OnHeapHnswGraph} and
 * {@link io.lodestone.index.hnsw.HnswGraphBuilder}. A finished graph is safe for any number of
 * concurrent searchers, each with its own {@link io.lodestone.index.hnsw.HnswGraphSearcher}.
 *
 * <p>Depends on {@code io.lodestone.index} and {@code io.lodestone.vector} only.
 */
package io.lodestone.index.hnsw;
