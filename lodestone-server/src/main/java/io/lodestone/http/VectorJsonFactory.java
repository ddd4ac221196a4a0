package io.lodestone.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * A {@link JsonFactory} whose parsers over UTF-8 bytes are {@link PlainStringParser}s, reading a stream through a
 * {@value #BUFFER_BYTES}-byte buffer (Jackson's own is 8,000 bytes) so that a base64 vector of up to 10,752
 * dimensions fits in it whole. Input in another encoding (a byte-order mark, or the zero bytes of UTF-16 and
 * UTF-32) gets Jackson's own parser, exactly as before.
 */
final class VectorJsonFactory extends JsonFactory {
    /** Input buffer per stream parser: room for the largest base64 vector (57,344 characters) and more. */
    static final int BUFFER_BYTES = 64 * 1024;

    VectorJsonFactory(JsonFactoryBuilder builder) {
        super(builder);
    }

    @Override
    protected JsonParser _createParser(InputStream in, IOContext ctxt) throws IOException {
        if (!isEnabled(Feature.CANONICALIZE_FIELD_NAMES)) return super._createParser(in, ctxt);
        byte[] buffer = new byte[BUFFER_BYTES];
        int n = 0;
        while (n < 4) { // as many bytes as Jackson looks at to detect the encoding
            int r = in.read(buffer, n, buffer.length - n);
            if (r <= 0) break;
            n += r;
        }
        if (!plainUtf8(buffer, 0, n)) {
            return super._createParser(new SequenceInputStream(new ByteArrayInputStream(buffer, 0, n), in), ctxt);
        }
        ctxt.setEncoding(JsonEncoding.UTF8);
        return new PlainStringParser(ctxt, _parserFeatures, in, _objectCodec,
                _byteSymbolCanonicalizer.makeChildOrPlaceholder(_factoryFeatures), buffer, 0, n, false);
    }

    @Override
    protected JsonParser _createParser(byte[] data, int offset, int len, IOContext ctxt) throws IOException {
        if (!isEnabled(Feature.CANONICALIZE_FIELD_NAMES) || !plainUtf8(data, offset, len)) {
            return super._createParser(data, offset, len, ctxt);
        }
        ctxt.setEncoding(JsonEncoding.UTF8);
        return new PlainStringParser(ctxt, _parserFeatures, null, _objectCodec,
                _byteSymbolCanonicalizer.makeChildOrPlaceholder(_factoryFeatures), data, offset, offset + len, false);
    }

    /**
     * Whether Jackson would read these first bytes as UTF-8 without a byte-order mark: no zero byte among the first
     * four (UTF-16 and UTF-32 put one there for any JSON text) and no lead byte of a byte-order mark.
     */
    private static boolean plainUtf8(byte[] b, int offset, int length) {
        if (length > 0) {
            int first = b[offset] & 0xff;
            if (first == 0xEF || first == 0xFE || first == 0xFF) return false;
        }
        for (int i = 0; i < Math.min(4, length); i++) {
            if (b[offset + i] == 0) return false;
        }
        return true;
    }
}
