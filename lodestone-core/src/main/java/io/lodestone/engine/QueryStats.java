package io.lodestone.engine;

import io.lodestone.cache.CacheAccess;
import io.lodestone.cache.Tier;

/**
 * What the engine measured while answering a query (turbopuffer's {@code performance} and {@code billing}).
 *
 * @param memoryLookups        lookups served from memory: segments already open (mapped) when the query began,
 *                             the in-memory tail, and objects found in the memory tier
 * @param diskLookups          files opened from the disk tier (or a local store's own files)
 * @param storeLookups         objects fetched from the object store (misses in every tier)
 * @param unindexedRows        rows of the unindexed tail the query scanned exhaustively
 * @param namespaceRows        live rows of the namespace version the query saw
 * @param executionNanos       time spent on the query: catching up with the log, then the search; waiting for a
 *                             query thread is not included
 * @param logicalBytesQueried  logical bytes of the namespace version searched (as {@code approx_logical_bytes})
 * @param logicalBytesReturned logical bytes of the rows returned (ids, vectors and attributes returned)
 * @param vectorSearch         how the vector search covered the sources (all zero when nothing ranked by vector)
 */
public record QueryStats(long memoryLookups, long diskLookups, long storeLookups, long unindexedRows,
                         long namespaceRows, long executionNanos, long logicalBytesQueried, long logicalBytesReturned,
                         VectorSearch vectorSearch) {

    static QueryStats of(CacheAccess access, long unindexedRows, long namespaceRows, long executionNanos,
                         long bytesQueried, long bytesReturned, VectorSearch vectorSearch) {
        return new QueryStats(access.served(Tier.MEMORY), access.served(Tier.DISK), access.served(Tier.STORE),
                unindexedRows, namespaceRows, executionNanos, bytesQueried, bytesReturned, vectorSearch);
    }

    /**
     * Rows of the sources a vector search covered, by method: segments searched through their HNSW graph, through
     * their clustered index, and sources scanned exactly (the unindexed tail, segments too small for an ANN index,
     * exact kNN, and selective filters).
     */
    public record VectorSearch(long graphRows, long clusteredRows, long scannedRows) {
        VectorSearch plus(VectorSearch o) {
            return new VectorSearch(graphRows + o.graphRows, clusteredRows + o.clusteredRows, scannedRows + o.scannedRows);
        }
    }

    /** Lookups served by a cache tier over all lookups (1.0 when there were none). */
    public double cacheHitRatio() {
        long all = memoryLookups + diskLookups + storeLookups;
        return all == 0 ? 1.0 : (double) (memoryLookups + diskLookups) / all;
    }

    /** {@code cold} if anything came from the object store, else {@code warm} if anything from disk, else {@code hot}. */
    public String cacheTemperature() {
        if (storeLookups > 0) return "cold";
        return diskLookups > 0 ? "warm" : "hot";
    }

    /**
     * The stats of several queries answered as one request: lookups, scanned rows, time and bytes add up; the
     * namespace size is the largest seen.
     */
    public QueryStats plus(QueryStats o) {
        return new QueryStats(memoryLookups + o.memoryLookups, diskLookups + o.diskLookups, storeLookups + o.storeLookups,
                unindexedRows + o.unindexedRows, Math.max(namespaceRows, o.namespaceRows), executionNanos + o.executionNanos,
                logicalBytesQueried + o.logicalBytesQueried, logicalBytesReturned + o.logicalBytesReturned,
                vectorSearch.plus(o.vectorSearch));
    }
}
