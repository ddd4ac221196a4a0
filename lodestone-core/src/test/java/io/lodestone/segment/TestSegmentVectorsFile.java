package io.lodestone.segment;

import io.lodestone.testing.Seeded;
import io.lodestone.vector.VectorUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The vectors file: what an open reads, and the unit-norm flag (v2) beside version 1. */
@ExtendWith(Seeded.class)
class TestSegmentVectorsFile {
    private static final int ROWS = 5_000;
    private static final int DIMS = 16;

    private static float[][] vectors(Random r, boolean unit) {
        float[][] v = new float[ROWS][DIMS];
        for (float[] row : v) {
            for (int d = 0; d < DIMS; d++) row[d] = (float) r.nextGaussian();
            if (unit) {
                float n = VectorUtil.norm(row);
                for (int d = 0; d < DIMS; d++) row[d] /= n;
            }
        }
        return v;
    }

    private static Path written(Path dir, String name, float[][] v, int version) throws IOException {
        Path file = dir.resolve(name);
        try (SegmentVectorsFile.Writer w = new SegmentVectorsFile.Writer(file, DIMS, v.length, version)) {
            for (float[] row : v) w.add(row);
            w.finish();
        }
        return file;
    }

    private static FileExtent extent(Path file) throws IOException {
        return FileExtent.measure("vectors", file, (f, residency) -> SegmentVectorsFile.open(f, residency, "vectors"));
    }

    @Test
    void anOpenReadsTheNormsOnlyWhenNotAllAreOne(Random r, @TempDir Path dir) throws IOException {
        Path unit = written(dir, "unit", vectors(r, true), SegmentVectorsFile.VERSION);
        Path other = written(dir, "other", vectors(r, false), SegmentVectorsFile.VERSION);
        assertThat(extent(unit).endBytes()).as("has-vector bits and flags, not 20 KB of norms").isLessThan(8 * 1024);
        assertThat(extent(other).endBytes()).as("the norms too").isGreaterThanOrEqualTo(4L * ROWS);
        try (SegmentVectorsFile u = SegmentVectorsFile.open(unit, "u"); SegmentVectorsFile o = SegmentVectorsFile.open(other, "o")) {
            assertThat(u.unitNorms()).isTrue();
            assertThat(o.unitNorms()).isFalse();
        }
    }

    @Test
    void aUnitFilesNormIsFetchedWhenRead(Random r, @TempDir Path dir) throws IOException {
        float[][] v = vectors(r, true);
        Path file = written(dir, "unit", v, SegmentVectorsFile.VERSION);
        RecordingResidency recording = new RecordingResidency();
        try (SegmentVectorsFile f = SegmentVectorsFile.open(file, recording, "unit")) {
            recording.asked.clear();
            int row = r.nextInt(ROWS);
            assertThat(f.norm(row)).isEqualTo(VectorUtil.norm(v[row]));
            assertThat(recording.asked).singleElement().satisfies(range -> assertThat(range[1]).isEqualTo(4));
        }
    }

    @Test
    void aVersionOneFileStillReadsWithItsNormsOnOpen(Random r, @TempDir Path dir) throws IOException {
        float[][] v = vectors(r, true);
        Path file = written(dir, "v1", v, 1);
        assertThat(extent(file).endBytes()).isGreaterThanOrEqualTo(4L * ROWS);
        try (SegmentVectorsFile f = SegmentVectorsFile.open(file, "v1")) {
            assertThat(f.unitNorms()).as("version 1 says nothing of its norms").isFalse();
            assertThat(f.rowCount()).isEqualTo(ROWS);
            int row = r.nextInt(ROWS);
            assertThat(f.vector(row)).containsExactly(v[row]);
            assertThat(f.norm(row)).isEqualTo(VectorUtil.norm(v[row]));
        }
    }
}
