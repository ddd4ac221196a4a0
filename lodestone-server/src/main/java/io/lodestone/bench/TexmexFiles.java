package io.lodestone.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads TEXMEX {@code .fvecs} / {@code .ivecs} files: each row is a little-endian int32 dimension
 * followed by that many little-endian float32 (or int32) values.
 */
final class TexmexFiles {

    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Rows of one dimension, row-major. */
    record FloatRows(int count, int dim, float[] data) {
    }

    /** Rows of one dimension, row-major. */
    record IntRows(int count, int dim, int[] data) {
    }

    private TexmexFiles() {
    }

    /** Reads at most {@code limit} rows of an {@code .fvecs} file. */
    static FloatRows readFvecs(Path file, int limit) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment s = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            int dim = dimension(s, file);
            long row = 4L * (dim + 1);
            int n = (int) Math.min(limit, s.byteSize() / row);
            float[] data = new float[Math.multiplyExact(n, dim)];
            for (int i = 0; i < n; i++) {
                checkRow(s, i * row, dim, file, i);
                MemorySegment.copy(s, LE_FLOAT, i * row + 4, data, i * dim, dim);
            }
            return new FloatRows(n, dim, data);
        }
    }

    /** Reads at most {@code limit} rows of an {@code .ivecs} file. */
    static IntRows readIvecs(Path file, int limit) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment s = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            int dim = dimension(s, file);
            long row = 4L * (dim + 1);
            int n = (int) Math.min(limit, s.byteSize() / row);
            int[] data = new int[Math.multiplyExact(n, dim)];
            for (int i = 0; i < n; i++) {
                checkRow(s, i * row, dim, file, i);
                MemorySegment.copy(s, LE_INT, i * row + 4, data, i * dim, dim);
            }
            return new IntRows(n, dim, data);
        }
    }

    private static int dimension(MemorySegment s, Path file) {
        if (s.byteSize() < 4) {
            throw new IllegalArgumentException(file + ": empty file");
        }
        int dim = s.get(LE_INT, 0);
        if (dim <= 0 || s.byteSize() % (4L * (dim + 1)) != 0) {
            throw new IllegalArgumentException(file + ": bad TEXMEX header (dimension " + dim + ", size "
                    + s.byteSize() + ")");
        }
        return dim;
    }

    private static void checkRow(MemorySegment s, long offset, int dim, Path file, int row) {
        int d = s.get(LE_INT, offset);
        if (d != dim) {
            throw new IllegalArgumentException(file + ": row " + row + " has dimension " + d + ", expected " + dim);
        }
    }
}
