package io.lodestone.wal;

import java.util.List;

/**
 * One write-ahead-log object: a group commit of one or more write batches, or, with no batches, the mark
 * that the namespace was deleted (written by the deleting server in the next slot, so that every other
 * writer's next commit fails over to it; nothing follows it).
 *
 * @param seq             log slot, 1-based and dense
 * @param timestampMillis commit time
 * @param batches         the requests committed together, in order
 */
public record WalEntry(long seq, long timestampMillis, List<WriteBatch> batches) {

    /** The entry that marks the namespace deleted. */
    public static WalEntry namespaceDeleted(long seq, long timestampMillis) {
        return new WalEntry(seq, timestampMillis, List.of());
    }

    /** Whether this entry marks the namespace deleted. */
    public boolean deletesNamespace() {
        return batches.isEmpty();
    }
}
