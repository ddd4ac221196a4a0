package io.lodestone.quant;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.BytesWriter;
import io.lodestone.codec.CorruptObjectException;
import io.lodestone.vector.DistanceMetric;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The common head of every serialized quantizer (kind, version, metric, dimension; layout in
 * {@code package-info.java}) and the dispatch to each kind's body reader.
 */
final class QuantizerFormat {

    static final int KIND_SCALAR = 1;
    static final int KIND_PRODUCT = 2;
    static final int KIND_RABITQ = 3;
    /** The only version so far; a reader accepts {@code [VERSION_START, VERSION_CURRENT]}. */
    static final int VERSION_START = 1;
    static final int VERSION_CURRENT = 1;

    /** The largest dimension a stored quantizer may declare (Lodestone accepts 10,752). */
    static final int MAX_DIMENSION = 65_536;

    private QuantizerFormat() {
    }

    static BytesWriter begin(int kind, DistanceMetric metric, int dimension, int bodySizeHint) {
        BytesWriter w = new BytesWriter(32 + bodySizeHint);
        w.writeByte(kind);
        w.writeByte(VERSION_CURRENT);
        w.writeString(metric.wireName());
        w.writeInt(dimension);
        return w;
    }

    static void finish(BytesWriter w, OutputStream out) throws IOException {
        out.write(w.array(), 0, w.size());
    }

    static void writeFloat(BytesWriter w, float v) {
        w.writeInt(Float.floatToRawIntBits(v));
    }

    static float readFloat(BytesReader r) {
        return Float.intBitsToFloat(r.readInt());
    }

    static VectorQuantizer read(byte[] bytes, String source) {
        BytesReader r = new BytesReader(bytes, 0, bytes.length, source);
        int kind = r.readByte();
        int version = r.readByte();
        if (version < VERSION_START || version > VERSION_CURRENT) {
            throw new CorruptObjectException(source, "quantizer format version " + version + " at offset 1 is not in ["
                    + VERSION_START + ", " + VERSION_CURRENT + "] (written by a newer Lodestone?)");
        }
        String metricName = r.readString();
        DistanceMetric metric;
        try {
            metric = DistanceMetric.parse(metricName);
            QuantMath.checkMetric(metric);
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException(source, "bad metric '" + metricName + "': " + e.getMessage());
        }
        int dimension = r.readInt();
        check(r, dimension >= 1 && dimension <= MAX_DIMENSION, "dimension", "in [1, " + MAX_DIMENSION + "]", dimension);
        VectorQuantizer q = switch (kind) {
            case KIND_SCALAR -> ScalarQuantizer.readBody(r, metric, dimension);
            case KIND_PRODUCT -> ProductQuantizer.readBody(r, metric, dimension);
            case KIND_RABITQ -> RaBitQuantizer.readBody(r, metric, dimension);
            default -> throw new CorruptObjectException(source, "quantizer kind " + kind + " at offset 0 is not 1 (int8), "
                    + "2 (product) or 3 (RaBitQ)");
        };
        if (r.hasRemaining()) {
            throw new CorruptObjectException(source, (bytes.length - r.position()) + " bytes after the quantizer at offset "
                    + r.position());
        }
        return q;
    }

    /**
     * Throws a {@link CorruptObjectException} naming the field, the offset reached, the expectation and
     * the actual value unless {@code ok}.
     */
    static void check(BytesReader r, boolean ok, String field, String expected, Object actual) {
        if (!ok) {
            throw new CorruptObjectException(r.source(), field + " before offset " + r.position() + " must be "
                    + expected + "; got " + actual);
        }
    }
}
