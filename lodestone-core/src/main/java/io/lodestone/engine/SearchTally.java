package io.lodestone.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, while a query runs, the rows of the sources its vector search covered by each method, so that the
 * answer can say what actually answered it ({@link QueryStats.VectorSearch}). Adders: the parts of one query may
 * search sources on several threads.
 */
final class SearchTally {
    private final LongAdder graph = new LongAdder();
    private final LongAdder clustered = new LongAdder();
    private final LongAdder scanned = new LongAdder();

    void graph(long rows) {
        graph.add(rows);
    }

    void clustered(long rows) {
        clustered.add(rows);
    }

    void scanned(long rows) {
        scanned.add(rows);
    }

    QueryStats.VectorSearch result() {
        return new QueryStats.VectorSearch(graph.sum(), clustered.sum(), scanned.sum());
    }
}
