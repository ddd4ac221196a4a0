package io.lodestone.http;

/** The thing a request names does not exist, or the caller may not know it does (HTTP 404). */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
