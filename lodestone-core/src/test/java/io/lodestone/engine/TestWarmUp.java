package io.lodestone.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class TestWarmUp {

    @Test
    void runsEveryQueryKindOnBothIndexesAndLeavesNoFiles(@TempDir Path dir) {
        Path scratch = dir.resolve("scratch");
        WarmUp.Report report = WarmUp.run(scratch, Duration.ZERO);
        // One round at least, whatever the budget: 40 searches of the centroid-graph index, then 40 queries of 4
        // kinds on each of the two namespaces, each of
        // which returned its 10 rows (WarmUp checks that and throws otherwise).
        assertThat(report.rounds()).isEqualTo(1);
        assertThat(report.queries()).isEqualTo(40 + 2 * 4 * 40);
        assertThat(report.elapsed()).isPositive();
        assertThat(scratch).doesNotExist();
    }
}
