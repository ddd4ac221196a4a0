package io.lodestone.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API key format and digests. A key is {@code lsk_<id>_<secret>}: the id (16 hex digits, 64 random bits) names the
 * stored record and is safe to show and log; the secret is 256 random bits in unpadded base64url. Only a salted
 * SHA-256 of the secret is ever stored, and digests are compared in constant time.
 */
public final class ApiKeys {
    /** The recognisable start of every generated key (secret scanners can match it). */
    public static final String PREFIX = "lsk_";
    private static final Pattern FORMAT = Pattern.compile("lsk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private ApiKeys() {
    }

    /** A newly generated key: {@code key} is shown once and never stored. */
    public record Generated(String id, String key, byte[] salt, byte[] digest) {
    }

    /** The parts of a key as presented by a client. */
    record Presented(String id, String secret) {
    }

    /** Generates a key with a fresh id, secret and salt. */
    public static Generated generate() {
        byte[] idBytes = new byte[8];
        byte[] secretBytes = new byte[32];
        byte[] salt = new byte[16];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secretBytes);
        RANDOM.nextBytes(salt);
        String id = HexFormat.of().formatHex(idBytes);
        String secret = B64.encodeToString(secretBytes);
        return new Generated(id, PREFIX + id + "_" + secret, salt, digest(salt, secret));
    }

    /** The id and secret of a well-formed key; empty for anything else (no storage lookup is needed to refuse it). */
    static Optional<Presented> parse(String key) {
        if (key == null || key.length() != 64) return Optional.empty();
        Matcher m = FORMAT.matcher(key);
        return m.matches() ? Optional.of(new Presented(m.group(1), m.group(2))) : Optional.empty();
    }

    /** SHA-256 of salt then secret. */
    static byte[] digest(byte[] salt, String secret) {
        MessageDigest md = sha256();
        md.update(salt);
        return md.digest(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of a whole string (the configured admin key is held only as this). */
    static byte[] digest(String s) {
        return sha256().digest(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Constant-time comparison of two digests. */
    static boolean matches(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
