package io.lodestone.bench;

import io.lodestone.index.MemorySegmentVectorValues;
import io.lodestone.index.hnsw.HnswGraph;
import io.lodestone.index.hnsw.HnswGraphWriter;
import io.lodestone.index.hnsw.OffHeapHnswGraph;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The benchmark's stand-ins for segment files: vectors and graphs written to disk and mapped. */
final class IndexFiles {

    private IndexFiles() {
    }

    /** Writes row-major vectors as little-endian float32 to a temporary file and maps it. */
    static MemorySegmentVectorValues mapVectors(float[] data, int dim, Arena arena) throws IOException {
        Path file = Files.createTempFile("lodestone-ann", ".vec");
        file.toFile().deleteOnExit();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment s = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4L * data.length, arena);
            MemorySegment.copy(data, 0, s, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0,
                    data.length);
            return new MemorySegmentVectorValues(s.asReadOnly(), dim);
        }
    }

    static void writeGraph(HnswGraph graph, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            HnswGraphWriter.write(graph, out);
        }
    }

    static OffHeapHnswGraph mapGraph(Path file, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return OffHeapHnswGraph.open(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena));
        }
    }
}
