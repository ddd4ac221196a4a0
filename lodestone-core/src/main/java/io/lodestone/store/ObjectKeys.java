package io.lodestone.store;

/**
 * The key rules every {@link ObjectStore} enforces, so that a key valid on one backend is valid on
 * all of them and no key can name a path outside a local root.
 *
 * <p>A key is 1..{@value #MAX_KEY_LENGTH} characters of printable ASCII (0x20..0x7E) except the
 * backslash, made of '/'-separated segments of 1..{@value #MAX_SEGMENT_LENGTH} characters; it may
 * not start or end with '/', and no segment may be {@code "."} or {@code ".."}. Because keys are
 * ASCII, {@link String#compareTo} orders them exactly as their UTF-8 bytes.
 */
final class ObjectKeys {

    /** Longest key, in characters (S3 allows 1,024 bytes). */
    static final int MAX_KEY_LENGTH = 1024;

    /** Longest segment, in characters (most file systems allow 255 bytes per name). */
    static final int MAX_SEGMENT_LENGTH = 255;

    private ObjectKeys() {
    }

    /** Returns {@code key} when it is valid; otherwise throws naming the key and the rule. */
    static String requireValidKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("object key must not be null");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("object key must not be empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw invalid(key, "is " + key.length() + " characters; the limit is " + MAX_KEY_LENGTH);
        }
        requireValidCharacters(key, "object key");
        if (key.charAt(0) == '/') {
            throw invalid(key, "must not start with '/'");
        }
        int start = 0;
        while (true) {
            int slash = key.indexOf('/', start);
            int end = slash < 0 ? key.length() : slash;
            requireValidSegment(key, key.substring(start, end));
            if (slash < 0) {
                return key;
            }
            start = slash + 1;
        }
    }

    /**
     * Returns {@code prefix} when it can be used to list keys: empty, or a valid key followed by an
     * optional '/', or a valid key path ending in a partial last segment (such as
     * {@code "ns/wal/0000"}). Null is read as the empty prefix.
     */
    static String requireValidPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        if (prefix.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("list prefix '" + prefix + "' is " + prefix.length()
                    + " characters; the limit is " + MAX_KEY_LENGTH);
        }
        requireValidCharacters(prefix, "list prefix");
        if (prefix.charAt(0) == '/') {
            throw new IllegalArgumentException("list prefix '" + prefix + "' must not start with '/'");
        }
        int lastSlash = prefix.lastIndexOf('/');
        if (lastSlash > 0) {
            // Every complete segment must be a valid one; the partial last one only filters names.
            requireValidKey(prefix.substring(0, lastSlash));
        }
        return prefix;
    }

    /** Throws unless {@code limit} is non-negative. */
    static void requireValidLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("list limit must be >= 0; got " + limit);
        }
    }

    /** Throws unless the range arguments are non-negative. */
    static void requireValidRange(String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("range of key '" + key
                    + "' needs offset >= 0 and length >= 0; got offset " + offset + ", length " + length);
        }
    }

    /** Whether {@code name} could be one segment of a valid key (used to skip foreign files). */
    static boolean isValidSegment(String name) {
        if (name.isEmpty() || name.length() > MAX_SEGMENT_LENGTH || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '\\' || c == '/') {
                return false;
            }
        }
        return true;
    }

    private static void requireValidCharacters(String value, String what) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '\\') {
                throw new IllegalArgumentException(what + " '" + printable(value) + "' has character "
                        + String.format("U+%04X", (int) c) + " at index " + i
                        + "; only printable ASCII except '\\' is allowed");
            }
        }
    }

    private static void requireValidSegment(String key, String segment) {
        if (segment.isEmpty()) {
            throw invalid(key, "has an empty segment (leading, trailing or double '/')");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw invalid(key, "has a '" + segment + "' segment");
        }
        if (segment.length() > MAX_SEGMENT_LENGTH) {
            throw invalid(key, "has a segment of " + segment.length() + " characters; the limit is "
                    + MAX_SEGMENT_LENGTH);
        }
    }

    private static IllegalArgumentException invalid(String key, String reason) {
        return new IllegalArgumentException("object key '" + printable(key) + "' " + reason);
    }

    /** The value with control and non-ASCII characters escaped, so messages stay readable. */
    private static String printable(String value) {
        var sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
