package io.lodestone.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code [tls]}: HTTPS on the server port. Loading checks only that both files are named when TLS is on; the
 * server reads them at start-up and refuses to start when they cannot be read or do not belong together.
 *
 * @param enabled  {@code enabled}: serve HTTPS instead of plain HTTP on {@code server.port}; default false
 * @param certPath {@code cert_path}: PEM file with the server's certificate first, then any intermediates (what
 *                 Let's Encrypt calls {@code fullchain.pem}); required when enabled
 * @param keyPath  {@code key_path}: PEM file with the certificate's private key, unencrypted PKCS#8
 *                 ({@code -----BEGIN PRIVATE KEY-----}); required when enabled
 */
public record TlsConfig(boolean enabled, Optional<Path> certPath, Optional<Path> keyPath) {

    public static TlsConfig defaults() {
        return new TlsConfig(false, Optional.empty(), Optional.empty());
    }

    static TlsConfig bind(Section s) {
        boolean enabled = s.bool("enabled", false);
        Optional<Path> cert = file(s, "cert_path", enabled);
        Optional<Path> key = file(s, "key_path", enabled);
        return new TlsConfig(enabled, cert, key);
    }

    private static Optional<Path> file(Section s, String key, boolean enabled) {
        Optional<String> text = s.optionalString(key);
        if (text.isEmpty() && enabled) {
            s.problem(key, "is required when tls.enabled is true");
        }
        try {
            return text.map(Path::of);
        } catch (InvalidPathException e) {
            s.problem(key, "must be a file system path; got \"" + text.get() + "\"");
            return Optional.empty();
        }
    }
}
