package io.lodestone.index.clustered;

import io.lodestone.codec.CorruptObjectException;
import io.lodestone.codec.MappedFrame;
import io.lodestone.index.ExactScorer;
import io.lodestone.index.TopOrds;
import io.lodestone.testing.Seeded;
import io.lodestone.vector.DistanceMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The file: round trip, validation on open, one ensure call per query, reproducible bytes. */
@ExtendWith(Seeded.class)
class TestClusteredIndexFormat {

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @TempDir
    Path dir;

    @Test
    void roundTripThroughFrame(Random random) throws Exception {
        ClusteredFixture f = new ClusteredFixture(DistanceMetric.COSINE_DISTANCE, 2500, 5, 40, 12, random);
        Path file = dir.resolve("index");
        ClusteredParams params = new ClusteredParams(64, 3, 0.2f, 2, random.nextLong());
        f.write(file, params, 2);
        try (MappedFrame frame = ClusteredFixture.map(file)) {
            ClusteredIndex index = ClusteredIndex.open(frame.body(), RangeEnsurer.NONE, file.toString());
            assertThat(index.size()).isEqualTo(2500);
            assertThat(index.dims()).isEqualTo(40);
            assertThat(index.metric()).isEqualTo(DistanceMetric.COSINE_DISTANCE);
            assertThat(index.params()).isEqualTo(params);
            long entries = 0;
            for (int c = 0; c < index.clusters(); c++) {
                entries += index.postingSize(c);
            }
            // Every row is in at least one posting and at most maxReplicas.
            assertThat(entries).isBetween(2500L, 3L * 2500);
            // Resident: rotated centroids (twice while scanned flat), directory, rotation; far below the vectors.
            assertThat(index.residentBytes()).isLessThan(4L * 40 * 2500 / 4);
            int[] all = new int[index.clusters()];
            java.util.Arrays.setAll(all, c -> c);
            TopOrds top = index.search(f.queries[0], all, 2500, null, f.exact(f.queries[0]));
            assertThat(top.size()).isEqualTo(2500);   // every row reachable
        }
    }

    @Test
    void emptyIndex() throws Exception {
        ClusteredFixture f = new ClusteredFixture(DistanceMetric.EUCLIDEAN_SQUARED, 0, 1, 8, 1, new Random(1));
        Path file = dir.resolve("empty");
        f.write(file, ClusteredParams.defaults(), 1);
        try (MappedFrame frame = ClusteredFixture.map(file)) {
            ClusteredIndex index = ClusteredIndex.open(frame.body(), RangeEnsurer.NONE, file.toString());
            assertThat(index.clusters()).isZero();
            int[] clusters = index.probe(f.queries[0], 5);
            assertThat(clusters).isEmpty();
            index.ensurePostings(clusters);
            assertThat(index.search(f.queries[0], clusters, 3, null, f.exact(f.queries[0])).size()).isZero();
        }
    }

    @Test
    void corruptTrailerOrDirectoryIsRejected(Random random) throws Exception {
        ClusteredFixture f = new ClusteredFixture(DistanceMetric.EUCLIDEAN_SQUARED, 1500, 1, 24, 8, random);
        Path file = dir.resolve("index");
        f.write(file, ClusteredParams.defaults(), 1);
        byte[] body;
        try (MappedFrame frame = ClusteredFixture.map(file)) {
            body = frame.body().toArray(ValueLayout.JAVA_BYTE);
        }
        long trailer = body.length - ClusteredTrailer.BYTES;
        assertCorrupt(body, s -> s.set(INT, trailer, 0x12345678), "trailer magic");
        assertCorrupt(body, s -> s.set(INT, trailer + 4, 3), "version");
        assertCorrupt(body, s -> s.set(INT, trailer + 4, 1), "graph offset"); // a version 1 file keeps 4 bytes a coordinate
        assertCorrupt(body, s -> s.set(INT, trailer + 16, 9), "metric");
        assertCorrupt(body, s -> s.set(INT, trailer + 20, s.get(INT, trailer + 20) + 1), "graph offset");
        assertCorrupt(body, s -> s.set(LONG, trailer + 68, s.get(LONG, trailer + 68) - 1), "quantizer length");
        long directory = MemorySegment.ofArray(body).get(LONG, trailer + 52);
        assertCorrupt(body, s -> s.set(INT, directory + 8, 1_000_000), "posting 0 count");
        assertCorrupt(body, s -> s.set(LONG, directory + 12, 0L), "posting 1 offset");
        assertCorrupt(java.util.Arrays.copyOf(body, 40), s -> { }, "truncated");
        // A posting's ordinal out of range is detected when searched, never served.
        ClusteredIndex good = ClusteredIndex.open(MemorySegment.ofArray(body), RangeEnsurer.NONE, "good");
        byte[] bad = body.clone();
        MemorySegment.ofArray(bad).set(INT, MemorySegment.ofArray(body).get(LONG, directory), -7);
        ClusteredIndex damaged = ClusteredIndex.open(MemorySegment.ofArray(bad), RangeEnsurer.NONE, "damaged");
        float[] q = f.queries[0];
        assertThat(good.search(q, new int[] {0}, 5, null, f.exact(q)).size()).isEqualTo(5);
        assertThatThrownBy(() -> damaged.search(q, new int[] {0}, 5, null, f.exact(q)))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining("ordinal -7");
    }

    /**
     * A version 1 file (float centroids) still opens and answers as the version 2 file it was made from: the same
     * postings, directory, graph and quantizer, the centroid section written as the floats the codes stand for.
     */
    @Test
    void aVersionOneFileStillOpensAndAnswersAlike(Random random) throws Exception {
        ClusteredFixture f = new ClusteredFixture(DistanceMetric.COSINE_DISTANCE, 3000, 6, 40, 10, random);
        Path file = dir.resolve("index");
        f.write(file, new ClusteredParams(32, 3, 0.5f, 2, random.nextLong()), 1);
        byte[] v2;
        try (MappedFrame frame = ClusteredFixture.map(file)) {
            v2 = frame.body().toArray(ValueLayout.JAVA_BYTE);
        }
        ClusteredIndex current = ClusteredIndex.open(MemorySegment.ofArray(v2), RangeEnsurer.NONE, "v2");
        ClusteredIndex old = ClusteredIndex.open(MemorySegment.ofArray(asVersionOne(v2)), RangeEnsurer.NONE, "v1");
        assertThat(old.clusters()).isEqualTo(current.clusters());
        assertThat(old.residentBytes()).isEqualTo(current.residentBytes());
        for (float[] q : f.queries) {
            int[] probes = current.probe(q, 8);
            assertThat(old.probe(q, 8)).isEqualTo(probes);
            TopOrds a = current.search(q, probes, 10, null, f.exact(q));
            TopOrds b = old.search(q, probes, 10, null, f.exact(q));
            assertThat(b.ords()).isEqualTo(a.ords());
            assertThat(b.distances()).isEqualTo(a.distances());
        }
    }

    /** The version 1 layout of a version 2 body: float centroids, every later offset moved by the longer section. */
    private static byte[] asVersionOne(byte[] v2) {
        MemorySegment in = MemorySegment.ofArray(v2);
        long trailer = v2.length - ClusteredTrailer.BYTES;
        int clusters = in.get(INT, trailer + 20);
        int padded = (in.get(INT, trailer + 12) + 63) & ~63;
        long centroids = in.get(LONG, trailer + 28);
        float[] scales = new float[clusters];
        byte[] codes = new byte[clusters * padded];
        MemorySegment.copy(in, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), centroids, scales, 0, clusters);
        MemorySegment.copy(in, ValueLayout.JAVA_BYTE, centroids + 4L * clusters, codes, 0, codes.length);
        float[] floats = Int8Centroids.dequantize(codes, scales, clusters, padded);
        long oldSection = (4L + padded) * clusters;
        long shift = 4L * floats.length - oldSection;
        byte[] out = new byte[(int) (v2.length + shift)];
        MemorySegment o = MemorySegment.ofArray(out);
        MemorySegment.copy(in, 0, o, 0, centroids);
        MemorySegment.copy(MemorySegment.ofArray(floats), 0, o, centroids, 4L * floats.length);
        MemorySegment.copy(in, centroids + oldSection, o, centroids + 4L * floats.length, v2.length - centroids - oldSection);
        long t = out.length - ClusteredTrailer.BYTES;
        o.set(INT, t + 4, 1);
        for (long field : new long[] {36, 52, 60}) o.set(LONG, t + field, o.get(LONG, t + field) + shift); // graph, directory, quantizer
        return out;
    }

    private static void assertCorrupt(byte[] body, java.util.function.Consumer<MemorySegment> damage, String field) {
        byte[] copy = body.clone();
        damage.accept(MemorySegment.ofArray(copy));
        assertThatThrownBy(() -> ClusteredIndex.open(MemorySegment.ofArray(copy), RangeEnsurer.NONE, "damaged"))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining("damaged")
                .hasMessageContaining(field);
    }

    /**
     * Over a body whose bytes are garbage until ensured, a query makes exactly one ensure call for its
     * postings, and gets the same answer as over the fully present body.
     */
    @Test
    void onePostingsEnsureCoversEverySearchRead(Random random) throws Exception {
        ClusteredFixture f = new ClusteredFixture(DistanceMetric.DOT_PRODUCT, 4000, 20, 32, 25, random);
        Path file = dir.resolve("index");
        f.write(file, ClusteredParams.defaults(), 2);
        try (MappedFrame frame = ClusteredFixture.map(file); Arena arena = Arena.ofConfined()) {
            MemorySegment real = frame.body();
            ClusteredIndex full = ClusteredIndex.open(real, RangeEnsurer.NONE, "full");
            MemorySegment partial = arena.allocate(real.byteSize());
            byte[] garbage = new byte[(int) real.byteSize()];
            random.nextBytes(garbage);
            MemorySegment.copy(MemorySegment.ofArray(garbage), 0, partial, 0, garbage.length);
            List<long[]> calls = new ArrayList<>();
            RangeEnsurer recording = (offsets, lengths, n) -> {
                calls.add(new long[] {n});
                for (int i = 0; i < n; i++) {
                    MemorySegment.copy(real, offsets[i], partial, offsets[i], lengths[i]);
                }
            };
            ClusteredIndex lazy = ClusteredIndex.open(partial, recording, "lazy");
            assertThat(calls).hasSizeLessThanOrEqualTo(2);   // the trailer, then the metadata
            for (float[] q : f.queries) {
                int[] clusters = lazy.probe(q, 1 + random.nextInt(8));
                assertThat(clusters).containsExactly(full.probe(q, clusters.length));
                calls.clear();
                lazy.ensurePostings(clusters);
                assertThat(calls).hasSize(1);
                ExactScorer exact = f.exact(q);
                TopOrds expected = full.search(q, clusters, 10, null, exact);
                TopOrds actual = lazy.search(q, clusters, 10, null, exact);
                assertThat(actual.ords()).containsExactly(expected.ords());
                assertThat(calls).hasSize(1);
            }
        }
    }

    @Test
    void sameSeedSameBytes(Random random) throws Exception {
        ClusteredFixture f = new ClusteredFixture(DistanceMetric.EUCLIDEAN_SQUARED, 3000, 1, 20, 10, random);
        ClusteredParams params = new ClusteredParams(100, 4, 0.3f, 1, random.nextLong());
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        f.write(one, params, 1);
        f.write(two, params, 2);
        assertThat(Files.readAllBytes(two)).isEqualTo(Files.readAllBytes(one));
        Path other = dir.resolve("other");
        f.write(other, new ClusteredParams(100, 4, 0.3f, 1, params.seed() + 1), 2);
        assertThat(Files.readAllBytes(other)).isNotEqualTo(Files.readAllBytes(one));
    }
}
