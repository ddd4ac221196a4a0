package io.lodestone.http;

/** The request conflicts with what exists, e.g. creating a name that is taken (HTTP 409). */
public final class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
