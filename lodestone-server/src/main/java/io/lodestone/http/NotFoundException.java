package io.lodestone.http;

/** The thing a request names does not exist, or the caller may not know it does (HTTP 404). */
public final class NotFoundException extends RuntimeException {
    private final String kind;

    public NotFoundException(String message) {
        this(null, message);
    }

    /** @param kind what was not found, for APIs whose error bodies name it (QuartzDB's {@code index_not_found}), or null */
    public NotFoundException(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** What was not found, or null. */
    public String kind() {
        return kind;
    }
}
