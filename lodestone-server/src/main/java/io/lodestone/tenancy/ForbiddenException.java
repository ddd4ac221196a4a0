package io.lodestone.tenancy;

/** The key is valid but may not do this (HTTP 403). */
public final class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) {
        super(message);
    }
}
