package io.lodestone.config;

import java.time.Duration;

/**
 * {@code [batching]}: group commit of concurrent writes to one namespace into one write-ahead-log object.
 *
 * @param groupCommitWindow {@code group_commit_window_ms}: how long the first write of a batch waits for others to
 *                          join it, 0 to commit at once; default 2 ms
 * @param maxBatchBytes     {@code max_batch_bytes}: a batch takes no more writes once it holds this much, a size;
 *                          a single request larger than this is committed alone, never split; default 64 MiB
 */
public record BatchingConfig(Duration groupCommitWindow, long maxBatchBytes) {

    public static BatchingConfig defaults() {
        return new BatchingConfig(Duration.ofMillis(2), 64 * ByteSize.MiB);
    }

    static BatchingConfig bind(Section s) {
        BatchingConfig d = defaults();
        return new BatchingConfig(
                Duration.ofMillis(s.longInteger("group_commit_window_ms", d.groupCommitWindow().toMillis(), 0, 10_000)),
                s.size("max_batch_bytes", d.maxBatchBytes(), 1));
    }
}
