package io.lodestone.engine;

/** The object store failed; the operation was not acknowledged. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
