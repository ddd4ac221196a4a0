package io.lodestone.codec;

/** A stored object failed a structural or checksum check; it is never served. */
public class CorruptObjectException extends RuntimeException {
    public CorruptObjectException(String source, String detail) {
        super("corrupt object " + source + ": " + detail);
    }
}
