package io.lodestone.index.clustered;

import io.lodestone.codec.CorruptObjectException;
import io.lodestone.vector.DistanceMetric;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The fixed-size trailer at the very end of a clustered index body (layout in the package comment):
 * what a reader parses first, from the tail of the file alone, to find every metadata section.
 *
 * @param version          of the layout: 1 stores float centroids, 2 int8 ones
 * @param size             rows n (ordinals 0 .. n-1)
 * @param dims             vector dimension
 * @param metric           the distance metric
 * @param clusters         K
 * @param codeSize         bytes per RaBitQ code
 * @param centroidsOffset  body offset of the rotated centroids: {@code f32[K][D]} (version 1), or a scale each
 *                         {@code f32[K]} and then {@code i8[K][D]} codes (version 2)
 * @param graphOffset      body offset of the centroid HNSW graph
 * @param graphLength      its length; 0 when the centroids are scanned flat
 * @param directoryOffset  body offset of the directory, {@code K × (i64 offset, i32 count)}
 * @param quantizerOffset  body offset of the RaBitQ parameters
 * @param quantizerLength  their length
 * @param params           the build parameters (for the record; reading does not need them)
 */
record ClusteredTrailer(int version, int size, int dims, DistanceMetric metric, int clusters, int codeSize, long centroidsOffset,
                        long graphOffset, long graphLength, long directoryOffset, long quantizerOffset,
                        long quantizerLength, ClusteredParams params) {

    static final int MAGIC = 0x58494C43;   // "CLIX" little-endian
    static final int VERSION_START = 1;
    static final int VERSION_CURRENT = 2;
    static final int BYTES = 100;
    /** Bytes per directory entry: i64 offset, i32 count. */
    static final int DIRECTORY_ENTRY_BYTES = 12;
    static final int MAX_DIMS = 65_536;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The trailer's bytes. */
    byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(version).putInt(size).putInt(dims).putInt(metricCode(metric)).putInt(clusters)
                .putInt(codeSize).putLong(centroidsOffset).putLong(graphOffset).putLong(graphLength)
                .putLong(directoryOffset).putLong(quantizerOffset).putLong(quantizerLength)
                .putInt(params.targetPostingSize()).putInt(params.maxReplicas()).putFloat(params.closureEpsilon())
                .putInt(params.codeBits()).putLong(params.seed());
        assert b.position() == BYTES : b.position();
        return b.array();
    }

    /**
     * Parses and checks the trailer in the last {@link #BYTES} bytes of {@code body} (which must be
     * present) against the body's length.
     *
     * @throws CorruptObjectException naming the field, on anything inconsistent
     */
    static ClusteredTrailer read(MemorySegment body, String source) {
        long length = body.byteSize();
        if (length < BYTES) {
            throw new CorruptObjectException(source, "clustered index body of " + length + " bytes is shorter than its "
                    + BYTES + "-byte trailer; truncated?");
        }
        long t = length - BYTES;
        check(source, body.get(INT, t) == MAGIC, "trailer magic", Integer.toHexString(MAGIC),
                Integer.toHexString(body.get(INT, t)));
        int version = body.get(INT, t + 4);
        check(source, version >= VERSION_START && version <= VERSION_CURRENT, "version",
                "in [" + VERSION_START + ", " + VERSION_CURRENT + "]", version);
        int size = body.get(INT, t + 8);
        check(source, size >= 0, "size", ">= 0", size);
        int dims = body.get(INT, t + 12);
        check(source, dims >= 1 && dims <= MAX_DIMS, "dims", "in [1, " + MAX_DIMS + "]", dims);
        int metricCode = body.get(INT, t + 16);
        check(source, metricCode >= 1 && metricCode <= 3, "metric", "1, 2 or 3", metricCode);
        int clusters = body.get(INT, t + 20);
        check(source, size == 0 ? clusters == 0 : clusters >= 1 && clusters <= size, "clusters",
                size == 0 ? "0 for an empty index" : "in [1, " + size + "]", clusters);
        int codeSize = body.get(INT, t + 24);
        check(source, codeSize > 0, "code size", "> 0", codeSize);
        long centroids = body.get(LONG, t + 28);
        long graph = body.get(LONG, t + 36);
        long graphLength = body.get(LONG, t + 44);
        long directory = body.get(LONG, t + 52);
        long quantizer = body.get(LONG, t + 60);
        long quantizerLength = body.get(LONG, t + 68);
        long padded = (dims + 63L) & ~63L;
        check(source, centroids >= 0 && centroids <= t, "centroids offset", "in [0, " + t + "]", centroids);
        long centroidBytes = centroidBytes(version, clusters, padded);
        check(source, graph == centroids + centroidBytes, "graph offset", String.valueOf(centroids + centroidBytes), graph);
        check(source, graphLength >= 0 && graph + graphLength <= t, "graph length", "in [0, " + (t - graph) + "]",
                graphLength);
        check(source, directory == graph + graphLength, "directory offset", String.valueOf(graph + graphLength),
                directory);
        long directoryEnd = directory + (long) DIRECTORY_ENTRY_BYTES * clusters;
        check(source, quantizer == directoryEnd, "quantizer offset", String.valueOf(directoryEnd), quantizer);
        check(source, quantizerLength > 0 && quantizer + quantizerLength == t, "quantizer length",
                String.valueOf(t - quantizer), quantizerLength);
        ClusteredParams params;
        try {
            params = new ClusteredParams(body.get(INT, t + 76), body.get(INT, t + 80),
                    Float.intBitsToFloat(body.get(INT, t + 84)), body.get(INT, t + 88), body.get(LONG, t + 92));
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException(source, "build parameters in the trailer: " + e.getMessage());
        }
        return new ClusteredTrailer(version, size, dims, metric(metricCode), clusters, codeSize, centroids, graph, graphLength,
                directory, quantizer, quantizerLength, params);
    }

    /** Bytes of the centroid section: floats (version 1), or a float scale and {@code D} int8 codes each (version 2). */
    static long centroidBytes(int version, int clusters, long padded) {
        return version == 1 ? 4L * clusters * padded : (4L + padded) * clusters;
    }

    /** Padded dimension D: {@code dims} rounded up to a multiple of 64. */
    int padded() {
        return (dims + 63) & ~63;
    }

    /** Explicit codes, never {@code ordinal()}. */
    static int metricCode(DistanceMetric metric) {
        return switch (metric) {
            case COSINE_DISTANCE -> 1;
            case EUCLIDEAN_SQUARED -> 2;
            case DOT_PRODUCT -> 3;
            default -> throw new IllegalArgumentException("a clustered index supports cosine_distance,"
                    + " euclidean_squared and dot_product; got " + metric.wireName());
        };
    }

    private static DistanceMetric metric(int code) {
        return switch (code) {
            case 1 -> DistanceMetric.COSINE_DISTANCE;
            case 2 -> DistanceMetric.EUCLIDEAN_SQUARED;
            default -> DistanceMetric.DOT_PRODUCT;
        };
    }

    static void check(String source, boolean ok, String field, String expected, Object actual) {
        if (!ok) {
            throw new CorruptObjectException(source, "clustered index " + field + ": expected " + expected + ", found "
                    + actual);
        }
    }
}
