package io.lodestone.index.hnsw;

import io.lodestone.index.RandomVectorScorerSupplier;
import io.lodestone.index.UpdateableRandomVectorScorer;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Builds an {@link OnHeapHnswGraph} over every ordinal of a {@link RandomVectorScorerSupplier}, on
 * one or more threads, as hnswlib does: node 0 first, then the others; each thread inserts its own
 * stripe of ordinals in order ({@code Stripes} says why). After the insertions,
 * {@link GraphConnector} links any level-0 node that pruning left unreachable.
 *
 * <p>Inserting node {@code q} ({@link Inserter#add}) on any thread:
 * <ol>
 *   <li>Its level {@code L} comes from {@link LevelGenerator} (seeded, per node), and its upper
 *       lists are allocated before anyone can link to it.</li>
 *   <li>Read the entry point and top level {@code T} (one atomic read). If {@code L > T}, or the
 *       graph is empty, take the entry lock and read again: an empty graph gets {@code q} as its
 *       entry and the insertion ends; if still {@code L > T}, the lock is held until step 6 so no
 *       two new top nodes race. Otherwise the lock is released at once.</li>
 *   <li>Greedy descent from the entry point through levels {@code T .. L+1} (one closest node per
 *       level), reading lists without locks.</li>
 *   <li>For each level {@code l} from {@code min(L, T)} down to 0: search the level with
 *       {@code efConstruction} from the closest node so far (with the search scorers; if those are
 *       approximate, the candidates are then rescored exactly); choose {@code m} neighbours with
 *       the {@link DiversityHeuristic}; the closest candidate is the next level's entry.</li>
 *   <li>Link: under {@code q}'s lock, set {@code q}'s list on {@code l} (merged with any links other
 *       threads added meanwhile). Then, for each chosen neighbour {@code v}, under {@code v}'s lock
 *       alone: append {@code q} if there is room, otherwise re-select {@code v}'s list from its
 *       neighbours (whose distances are stored beside the ids while building) plus {@code q} with
 *       the heuristic. A thread never holds two node locks, so
 *       there is no lock order to get wrong.</li>
 *   <li>If {@code L > T}: publish {@code q} as the entry point with top level {@code L}, then
 *       release the entry lock.</li>
 * </ol>
 * Lists are read without locks while others write them; {@link OnHeapHnswGraph} explains why
 * that is safe. A graph built on several threads depends on the interleaving; on one thread it is
 * reproducible from the seed.
 */
public final class HnswGraphBuilder {

    private final RandomVectorScorerSupplier scorers;
    private final RandomVectorScorerSupplier searchScorers;
    private final HnswParams params;
    private final OnHeapHnswGraph graph;
    private final LevelGenerator levels;
    private final ReentrantLock entryLock = new ReentrantLock();

    /** A builder for a graph over every ordinal of {@code scorers}, exact throughout. */
    public HnswGraphBuilder(RandomVectorScorerSupplier scorers, HnswParams params) {
        this(scorers, scorers, params);
    }

    /**
     * A builder whose neighbour searches (step 4) score with {@code searchScorers}, typically
     * approximate ones on compact codes, which are cheaper; the candidates found are then rescored
     * with the exact {@code scorers}, which alone drive the diversity heuristic and pruning.
     */
    public HnswGraphBuilder(RandomVectorScorerSupplier scorers, RandomVectorScorerSupplier searchScorers,
                            HnswParams params) {
        this.scorers = Objects.requireNonNull(scorers, "scorers");
        this.searchScorers = Objects.requireNonNull(searchScorers, "searchScorers");
        if (searchScorers.size() != scorers.size()) {
            throw new IllegalArgumentException("search scorers cover " + searchScorers.size() + " vectors, exact ones "
                    + scorers.size());
        }
        this.params = Objects.requireNonNull(params, "params");
        this.graph = new OnHeapHnswGraph(scorers.size(), params.m());
        this.graph.startBuild();
        this.levels = new LevelGenerator(params.seed(), params.m());
    }

    /**
     * Builds the graph over every ordinal of {@code scorers} on {@code threads} threads (the caller's
     * thread when 1).
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static OnHeapHnswGraph build(RandomVectorScorerSupplier scorers, HnswParams params, int threads) {
        HnswGraphBuilder builder = new HnswGraphBuilder(scorers, params);
        builder.addAll(threads);
        return builder.graph();
    }

    /**
     * Builds with approximate neighbour searches; see
     * {@link #HnswGraphBuilder(RandomVectorScorerSupplier, RandomVectorScorerSupplier, HnswParams)}.
     */
    public static OnHeapHnswGraph build(RandomVectorScorerSupplier scorers, RandomVectorScorerSupplier searchScorers,
                                        HnswParams params, int threads) {
        return build(scorers, searchScorers, params, threads, BuildPacer.NONE);
    }

    /** Builds as {@link #build(RandomVectorScorerSupplier, RandomVectorScorerSupplier, HnswParams, int)}, pausing when {@code pacer} says. */
    public static OnHeapHnswGraph build(RandomVectorScorerSupplier scorers, RandomVectorScorerSupplier searchScorers,
                                        HnswParams params, int threads, BuildPacer pacer) {
        HnswGraphBuilder builder = new HnswGraphBuilder(scorers, searchScorers, params);
        builder.addAll(threads, pacer);
        return builder.graph();
    }

    /** The graph being built. */
    public OnHeapHnswGraph graph() {
        return graph;
    }

    /** Inserts every node, on {@code threads} threads, then connects unreachable nodes. */
    public void addAll(int threads) {
        addAll(threads, BuildPacer.NONE);
    }

    /** Inserts every node, on {@code threads} threads that call {@code pacer} between insertions, then connects unreachable nodes. */
    public void addAll(int threads, BuildPacer pacer) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1; got " + threads);
        }
        int n = graph.size();
        if (n == 0) {
            return;
        }
        new Inserter().add(0);
        Stripes stripes = new Stripes(n, threads);
        if (threads == 1) {
            insertFrom(stripes, 0, pacer);
        } else {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int stripe = t;
                workers[t] = Thread.ofPlatform().name("hnsw-build-" + t).daemon().start(() -> {
                    try {
                        insertFrom(stripes, stripe, pacer);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                        stripes.stop();
                    }
                });
            }
            for (Thread w : workers) {
                try {
                    w.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stripes.stop();
                    throw new IllegalStateException("interrupted while building the HNSW graph", e);
                }
            }
            if (failure.get() != null) {
                throw new IllegalStateException("HNSW build failed: " + failure.get(), failure.get());
            }
        }
        graph.finishBuild();
        new GraphConnector(graph, scorers, params).connect();
    }

    private void insertFrom(Stripes stripes, int stripe, BuildPacer pacer) {
        Inserter inserter = new Inserter();
        for (int node = stripes.next(stripe); node >= 0; node = stripes.next(stripe)) {
            inserter.add(node);
            pacer.pause();
        }
    }

    /**
     * Hands out nodes {@code 1 .. n-1} to the building threads. Thread {@code t} inserts its own
     * stripe, a contiguous range of ordinals, in order, then helps with the others' leftovers.
     * Why: consecutive ordinals are often alike (documents sorted by name, say), and inserting them
     * one after another on one thread keeps the graph region they touch in cache (a shuffled order
     * built 35% slower). But nodes inserted at the same time on different threads cannot see each
     * other, so alike nodes must not be inserted concurrently: stripes keep the concurrent inserts
     * far apart. (On debian-minilm, 2 threads taking consecutive ordinals from one counter lost
     * about 0.01 of recall@10 at ef 10 against a 1-thread build.)
     */
    private static final class Stripes {
        private final AtomicInteger[] cursors;
        private final int[] ends;

        Stripes(int n, int count) {
            cursors = new AtomicInteger[count];
            ends = new int[count];
            for (int t = 0; t < count; t++) {
                cursors[t] = new AtomicInteger(1 + (int) ((long) (n - 1) * t / count));
                ends[t] = 1 + (int) ((long) (n - 1) * (t + 1) / count);
            }
        }

        /** The next node for the thread that owns {@code stripe}, or -1 when all are handed out. */
        int next(int stripe) {
            for (int k = 0; k < cursors.length; k++) {
                int s = (stripe + k) % cursors.length;
                if (cursors[s].get() < ends[s]) {
                    int node = cursors[s].getAndIncrement();
                    if (node < ends[s]) {
                        return node;
                    }
                }
            }
            return -1;
        }

        /** Hands out nothing more (after a failure). */
        void stop() {
            for (int t = 0; t < cursors.length; t++) {
                cursors[t].set(ends[t]);
            }
        }
    }

    private static int numLevels(long entryState) {
        return (int) (entryState >>> 32);
    }

    private static int entryNode(long entryState) {
        return (int) entryState;
    }

    /** One thread's insertion state: a searcher, scorers and scratch arrays, reused per node. */
    final class Inserter {
        private final HnswGraphSearcher searcher = new HnswGraphSearcher();
        private final UpdateableRandomVectorScorer scorer = scorers.scorer();
        private final UpdateableRandomVectorScorer searchScorer =
                searchScorers == scorers ? scorer : searchScorers.scorer();
        private final DiversityHeuristic heuristic = new DiversityHeuristic(scorers.scorer());
        private final long[] sorted;
        private final long[] selected;
        private final long[] pruned;
        private final long[] chosen;
        private final int[] ids;
        private final float[] distances;

        Inserter() {
            int width = Math.max(params.efConstruction(), params.maxConn0() + params.m()) + 2;
            sorted = new long[width];
            selected = new long[width];
            pruned = new long[width];
            chosen = new long[width];
            ids = new int[width];
            distances = new float[width];
        }

        /** Inserts {@code node}: the numbered steps of the class comment. */
        void add(int node) {
            int level = levels.levelOf(node);
            graph.addLevels(node, level);                                      // step 1
            boolean holdsEntryLock = false;
            long state = graph.entryState();                                    // step 2
            if (state < 0 || level >= numLevels(state)) {
                entryLock.lock();
                holdsEntryLock = true;
                state = graph.entryState();
                if (state < 0) {
                    graph.setEntry(node, level);
                    entryLock.unlock();
                    return;
                }
                if (level < numLevels(state)) {
                    entryLock.unlock();
                    holdsEntryLock = false;
                }
            }
            try {
                int top = numLevels(state) - 1;
                int ep = entryNode(state);
                scorer.setQueryOrd(node);
                if (searchScorer != scorer) {
                    searchScorer.setQueryOrd(node);
                }
                float d = searchScorer.distance(ep);
                for (int l = top; l > level; l--) {                              // step 3
                    ep = searcher.greedyDescent(graph, searchScorer, l, ep, d);
                    d = searcher.greedyDistance();
                }
                for (int l = Math.min(level, top); l >= 0; l--) {                // step 4
                    NeighborQueue found = searcher.searchLevel(graph, searchScorer, l, ep, d,
                            params.efConstruction(), null);
                    int n = 0;
                    for (int i = 0, size = found.size(); i < size; i++) {
                        long e = found.entryAt(i);
                        if (NeighborQueue.decodeNode(e) != node) {
                            sorted[n++] = e;
                        }
                    }
                    if (n == 0) {
                        continue;
                    }
                    Arrays.sort(sorted, 0, n);
                    ep = NeighborQueue.decodeNode(sorted[0]);
                    d = NeighborQueue.decodeDistance(sorted[0]);
                    if (searchScorer != scorer) {
                        rescore(n);
                    }
                    int k = heuristic.select(sorted, n, params.m(), selected);
                    link(node, l, k);                                            // step 5
                }
                if (holdsEntryLock) {
                    graph.setEntry(node, level);                                // step 6
                }
            } finally {
                if (holdsEntryLock) {
                    entryLock.unlock();
                }
            }
        }

        /** Replaces the approximate distances of {@code sorted[0, n)} with exact ones, re-sorted. */
        private void rescore(int n) {
            for (int i = 0; i < n; i++) {
                ids[i] = NeighborQueue.decodeNode(sorted[i]);
            }
            scorer.distances(ids, n, distances);
            for (int i = 0; i < n; i++) {
                sorted[i] = NeighborQueue.encode(ids[i], distances[i]);
            }
            Arrays.sort(sorted, 0, n);
        }

        /** Step 5: {@code node}'s own list from {@code selected[0, k)}, then the reverse links. */
        private void link(int node, int level, int k) {
            int max = graph.maxConn(level);
            synchronized (graph.lock(node)) {
                int existing = graph.count(level, node);
                if (existing == 0) {
                    for (int i = 0; i < k; i++) {
                        ids[i] = NeighborQueue.decodeNode(selected[i]);
                        distances[i] = NeighborQueue.decodeDistance(selected[i]);
                    }
                    graph.setNeighbors(level, node, ids, distances, k);
                } else {
                    // Others linked to node meanwhile: merge their links with ours and re-select.
                    int n = graph.neighborsWithDistances(level, node, ids, distances);
                    for (int i = 0; i < n; i++) {
                        sorted[i] = NeighborQueue.encode(ids[i], distances[i]);
                    }
                    for (int i = 0; i < k; i++) {
                        if (!contains(ids, n, NeighborQueue.decodeNode(selected[i]))) {
                            sorted[n++] = selected[i];
                        }
                    }
                    Arrays.sort(sorted, 0, n);
                    writeSelected(level, node, sorted, n, max);
                }
            }
            for (int i = 0; i < k; i++) {
                long e = selected[i];
                addReverseLink(level, NeighborQueue.decodeNode(e), node, NeighborQueue.decodeDistance(e), max);
            }
        }

        /** Adds {@code node} (at {@code distance}) to {@code v}'s list, pruning it if full. */
        private void addReverseLink(int level, int v, int node, float distance, int max) {
            synchronized (graph.lock(v)) {
                int n = graph.neighborsWithDistances(level, v, ids, distances);
                if (contains(ids, n, node)) {
                    return;
                }
                if (n < max) {
                    graph.append(level, v, node, distance);
                    return;
                }
                for (int i = 0; i < n; i++) {
                    pruned[i] = NeighborQueue.encode(ids[i], distances[i]);
                }
                pruned[n++] = NeighborQueue.encode(node, distance);
                Arrays.sort(pruned, 0, n);
                writeSelected(level, v, pruned, n, max);
            }
        }

        /** Selects at most {@code max} of {@code candidates[0, n)} and stores them as the node's list. */
        private void writeSelected(int level, int node, long[] candidates, int n, int max) {
            int k = heuristic.select(candidates, n, max, chosen);
            for (int i = 0; i < k; i++) {
                ids[i] = NeighborQueue.decodeNode(chosen[i]);
                distances[i] = NeighborQueue.decodeDistance(chosen[i]);
            }
            graph.setNeighbors(level, node, ids, distances, k);
        }

        private static boolean contains(int[] a, int n, int value) {
            for (int i = 0; i < n; i++) {
                if (a[i] == value) {
                    return true;
                }
            }
            return false;
        }
    }
}
