package io.lodestone.tenancy;

/** No key, or a key that is malformed, unknown, revoked or expired (HTTP 401). The message never holds the key. */
public final class UnauthenticatedException extends RuntimeException {
    public UnauthenticatedException(String message) {
        super(message);
    }
}
