package io.lodestone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench updates} end to end on a small dataset of its own: a line per width, the first fold kept. */
class TestUpdatesBench {

    /** Writes {@code rows} seeded Gaussian vectors of {@code dims} floats as a TEXMEX .fvecs file. */
    private static void fvecs(Path file, int rows, int dims, Random r) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(rows * (4 + 4 * dims)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows; i++) {
            b.putInt(dims);
            for (int d = 0; d < dims; d++) b.putFloat((float) r.nextGaussian());
        }
        Files.write(file, b.array());
    }

    @Test
    void reportsRecallBesideAFreshBuildAndTheBytesEachStepWrote(@TempDir Path dir) throws Exception {
        Random r = new Random(5);
        fvecs(dir.resolve("base.fvecs"), 3_300, 16, r);
        fvecs(dir.resolve("query.fvecs"), 10, 16, r);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = new CommandLine(new UpdatesBench()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("--dataset", dir.toString(), "--queries", "10", "--width", "8,16");
        assertThat(status).as("%s", err).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().strip().split("\n")) lines.add(new ObjectMapper().readTree(line));
        assertThat(lines).hasSize(2);
        for (JsonNode l : lines) {
            assertThat(l.path("rows_first").asInt()).isEqualTo(3_000);
            assertThat(l.path("rows_inserted").asInt()).isEqualTo(300);
            assertThat(l.path("rows_deleted").asInt()).isEqualTo(165);
            assertThat(l.path("first_segments_kept").asBoolean()).as("%s", l).isTrue();
            assertThat(l.path("bytes_written_insert").asLong()).as("%s", l)
                    .isPositive().isLessThan(l.path("bytes_written_first").asLong() / 3);
            assertThat(l.path("recall_at_10_updated").asDouble()).as("%s", l).isBetween(0.0, 1.0);
            assertThat(l.path("recall_at_10_fresh").asDouble()).as("%s", l).isBetween(0.0, 1.0);
        }
    }

    @Test
    void aDatasetWithoutItsFilesIsAUsageError(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int status = new CommandLine(new UpdatesBench()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
                .execute("--dataset", dir.toString());
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("has no base.fvecs");
    }
}
