package io.lodestone.doc;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A document id: an unsigned 64-bit integer, a UUID, or a string of at most 64 UTF-8 bytes.
 * Ids of different kinds never compare equal; for ordering, numbers sort before UUIDs before strings.
 */
public sealed interface DocId extends Comparable<DocId> permits DocId.U64, DocId.Uuid, DocId.Str {

    /** Longest string id, in UTF-8 bytes. */
    int MAX_STRING_BYTES = 64;

    /** Numeric id; {@code value} holds the unsigned 64-bit pattern. */
    record U64(long value) implements DocId {
        @Override public String toString() { return Long.toUnsignedString(value); }
    }

    /** UUID id. */
    record Uuid(UUID value) implements DocId {
        @Override public String toString() { return value.toString(); }
    }

    /** String id of at most {@link #MAX_STRING_BYTES} UTF-8 bytes. */
    record Str(String value) implements DocId {
        public Str {
            int bytes = value.getBytes(StandardCharsets.UTF_8).length;
            if (bytes == 0 || bytes > MAX_STRING_BYTES) {
                throw new IllegalArgumentException(
                        "string id must be 1.." + MAX_STRING_BYTES + " UTF-8 bytes; got " + bytes);
            }
        }
        @Override public String toString() { return value; }
    }

    static DocId of(long unsignedValue) { return new U64(unsignedValue); }

    static DocId of(UUID uuid) { return new Uuid(uuid); }

    /** A string id; a string in canonical UUID form becomes a UUID id. */
    static DocId of(String s) {
        if (s.length() == 36 && s.charAt(8) == '-' && s.charAt(13) == '-') {
            try {
                return new Uuid(UUID.fromString(s));
            } catch (IllegalArgumentException notUuid) {
                // an ordinary string id that merely looks similar
            }
        }
        return new Str(s);
    }

    /** Kind rank used for ordering ids of different kinds. */
    private static int rank(DocId id) {
        return switch (id) {
            case U64 u -> 0;
            case Uuid u -> 1;
            case Str s -> 2;
        };
    }

    @Override
    default int compareTo(DocId o) {
        int r = Integer.compare(rank(this), rank(o));
        if (r != 0) return r;
        return switch (this) {
            case U64 a -> Long.compareUnsigned(a.value, ((U64) o).value);
            case Uuid a -> a.value.compareTo(((Uuid) o).value);
            case Str a -> a.value.compareTo(((Str) o).value);
        };
    }
}
