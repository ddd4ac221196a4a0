package io.lodestone.wal;

import java.util.List;

/**
 * One write-ahead-log object: a group commit of one or more write batches.
 *
 * @param seq             log slot, 1-based and dense
 * @param timestampMillis commit time
 * @param batches         the requests committed together, in order
 */
public record WalEntry(long seq, long timestampMillis, List<WriteBatch> batches) {
}
