package io.lodestone.engine;

/**
 * Where a namespace's index stands: the published manifest's version, its segment count, and the log bytes not
 * yet folded into a segment. Two equal readings around an indexer round mean nothing was folded or merged.
 *
 * @param manifestVersion version of the manifest queries read
 * @param segments        segments in that manifest
 * @param unindexedBytes  log bytes in the tail, not yet in a segment
 */
public record IndexState(long manifestVersion, int segments, long unindexedBytes) {
}
