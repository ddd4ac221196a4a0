package io.lodestone.http;

import io.helidon.http.Headers;
import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.encoding.ContentEncodingContextConfig;

import java.util.NoSuchElementException;

/**
 * Tells Helidon to hand every request body over undecoded, whatever its Content-Encoding, and to compress no
 * response. Without it Helidon refuses any request with a Content-Encoding header with a bare 400 (its decoders
 * are not on the class path); {@link RequestBody} decodes and limits bodies instead, and answers 415 for the
 * encodings it does not know.
 */
final class PassThroughEncoding implements ContentEncodingContext {
    private static final ContentEncodingContextConfig CONFIG = ContentEncodingContextConfig.create();

    @Override
    public ContentEncodingContextConfig prototype() {
        return CONFIG;
    }

    @Override
    public boolean contentEncodingEnabled() {
        return false;
    }

    @Override
    public boolean contentDecodingEnabled() {
        return true;
    }

    @Override
    public boolean contentEncodingSupported(String encodingId) {
        return false;
    }

    @Override
    public boolean contentDecodingSupported(String encodingId) {
        return true;
    }

    @Override
    public ContentEncoder encoder(String encodingId) {
        throw new NoSuchElementException("response compression is off");
    }

    @Override
    public ContentDecoder decoder(String encodingId) {
        return ContentDecoder.NO_OP;
    }

    @Override
    public ContentEncoder encoder(Headers headers) {
        return ContentEncoder.NO_OP;
    }
}
