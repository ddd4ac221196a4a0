package io.lodestone.http;

/**
 * Request limits the HTTP layer enforces.
 *
 * @param maxBodyBytes          largest request body
 * @param maxTopK               largest top_k / limit
 * @param maxBatchRows          most rows (upserts + patches + deletes) in one write
 * @param maxQueriesPerRequest  most queries in one multi-query
 */
public record ServerLimits(long maxBodyBytes, int maxTopK, int maxBatchRows, int maxQueriesPerRequest) {
}
