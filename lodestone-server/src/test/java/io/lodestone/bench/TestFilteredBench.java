package io.lodestone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench filtered} end to end on a small synthetic namespace: one line per index and selectivity, k rows each. */
class TestFilteredBench {

    @Test
    void reportsRecallAndKRowsForEveryIndexAndSelectivity() throws Exception {
        StringWriter out = new StringWriter();
        int status = new CommandLine(new FilteredBench()).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                .execute("--synthetic", "3000x16", "--queries", "10", "--selectivity", "0.01,0.2");
        assertThat(status).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().strip().split("\n")) lines.add(new ObjectMapper().readTree(line));
        assertThat(lines).hasSize(4);
        for (JsonNode l : lines) {
            assertThat(l.path("fewest_rows_returned").asInt()).as("%s", l).isEqualTo(10);
            assertThat(l.path("recall_at_10").asDouble()).as("%s", l).isBetween(0.5, 1.0);
        }
        // 1% of 3,000 rows is 30: the exact fallback, so every answer is the scan's.
        assertThat(lines.stream().filter(l -> l.path("selectivity").asDouble() == 0.01)
                .map(l -> l.path("recall_at_10").asDouble())).containsOnly(1.0);
    }
}
