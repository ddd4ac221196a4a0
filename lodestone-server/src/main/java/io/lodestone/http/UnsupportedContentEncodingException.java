package io.lodestone.http;

/** The request body's Content-Encoding is not one Lodestone decodes (HTTP 415). */
public class UnsupportedContentEncodingException extends RuntimeException {
    public UnsupportedContentEncodingException(String encoding) {
        super("Content-Encoding '" + encoding + "' is not supported; request bodies may be gzip, deflate or identity");
    }
}
