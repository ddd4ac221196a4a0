package io.lodestone.http.quartz;

import io.lodestone.doc.DocId;
import io.lodestone.engine.QueryResult;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.UUID;

/**
 * QuartzDB's string ids and keys as document ids. QuartzDB allows longer ids (256 characters, keys 512) than a
 * Lodestone string id (64 UTF-8 bytes), and a string shaped like a UUID would become a UUID id (and come back in
 * lower case): such ids are stored under a UUID made from their SHA-256 (a different id kind, so it never equals a
 * string id), with the original in the attribute {@value #ORIGINAL}; every other id is the string itself.
 */
public final class QuartzIds {
    /** Attribute holding the original id of a row stored under a digest. */
    public static final String ORIGINAL = "quartz_id";

    private QuartzIds() {
    }

    public static DocId of(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length <= DocId.MAX_STRING_BYTES && DocId.of(key) instanceof DocId.Str s) {
            return s;
        }
        ByteBuffer digest = ByteBuffer.wrap(sha256(key));
        return new DocId.Uuid(new UUID(digest.getLong(), digest.getLong()));
    }

    /** The attributes a row of {@code key} carries to remember it: the original when it is stored under a digest. */
    public static Map<String, Object> original(String key, DocId id) {
        return id instanceof DocId.Uuid ? Map.of(ORIGINAL, key) : Map.of();
    }

    /** The QuartzDB id of a row read back (its attributes must include {@value #ORIGINAL}). */
    public static String key(QueryResult.Row row) {
        return row.attributes().get(ORIGINAL) instanceof String s ? s : row.id().toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
