package io.lodestone.http.quartz;

import io.lodestone.engine.QueryStats;

import java.util.ArrayList;
import java.util.List;

/** Names what answered a vector search, from what the engine measured while answering it. */
final class QuartzSearch {
    private QuartzSearch() {
    }

    /**
     * {@code HNSW} and/or {@code clustered} for segments searched through that ANN index, {@code exhaustive} for rows
     * scanned exactly (the unindexed tail, small segments, another metric than the collection's), joined by
     * {@code +} when several answered.
     */
    static String algorithm(QueryStats.VectorSearch searched) {
        List<String> parts = new ArrayList<>(3);
        if (searched.graphRows() > 0) parts.add("HNSW");
        if (searched.clusteredRows() > 0) parts.add("clustered");
        if (searched.scannedRows() > 0 || parts.isEmpty()) parts.add("exhaustive");
        return String.join("+", parts);
    }
}
