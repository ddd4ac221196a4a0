package io.lodestone.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lodestone.http.HttpJson;
import io.lodestone.vector.VectorCodec;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

/**
 * Pre-built turbopuffer write bodies ({@code {"upsert_rows": [...]}}) of random vectors, so that a benchmark
 * times the server and not the client. Rows carry an integer id, a {@code category} attribute and a vector
 * written as a JSON float array (each float in its shortest decimal form) or as base64 little-endian float32.
 */
final class WriteBodies {
    /** How a body writes its vectors. */
    enum Encoding {
        /** {@code "vector": [0.123, ...]} */
        JSON,
        /** {@code "vector": "base64 of little-endian float32"} */
        BASE64
    }

    /** The options that shape the bodies, shared by the benchmarks that use them. */
    static final class Options {
        @Option(names = "--dims", defaultValue = "768")
        int dims;
        @Option(names = "--batch", defaultValue = "1000", description = "rows per body")
        int batch;
        @Option(names = "--encoding", defaultValue = "base64", converter = EncodingConverter.class,
                description = "how bodies write vectors: json (float arrays) or base64")
        Encoding encoding;

        byte[][] build(int count) {
            return WriteBodies.build(count, batch, dims, encoding, 42);
        }
    }

    /** Reads {@code json} or {@code base64}, in any case. */
    static final class EncodingConverter implements CommandLine.ITypeConverter<Encoding> {
        @Override
        public Encoding convert(String value) {
            return Encoding.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    private WriteBodies() {
    }

    /** {@code count} bodies of {@code rows} rows each, ids from 0 upward, vectors from a generator seeded with {@code seed}. */
    static byte[][] build(int count, int rows, int dims, Encoding encoding, long seed) {
        Random random = new Random(seed);
        byte[][] out = new byte[count][];
        long id = 0;
        for (int b = 0; b < count; b++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(rows * dims * 12);
            try (JsonGenerator g = HttpJson.MAPPER.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeArrayFieldStart("upsert_rows");
                for (int i = 0; i < rows; i++) {
                    float[] v = new float[dims];
                    for (int j = 0; j < dims; j++) v[j] = random.nextFloat() - 0.5f;
                    g.writeStartObject();
                    g.writeNumberField("id", id++);
                    if (encoding == Encoding.BASE64) {
                        g.writeStringField("vector", VectorCodec.encodeBase64(v));
                    } else {
                        g.writeArrayFieldStart("vector");
                        for (float f : v) g.writeNumber(f);
                        g.writeEndArray();
                    }
                    g.writeStringField("category", "c" + (i % 10));
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out[b] = bytes.toByteArray();
        }
        return out;
    }

    static long totalBytes(byte[][] bodies) {
        long n = 0;
        for (byte[] b : bodies) n += b.length;
        return n;
    }
}
