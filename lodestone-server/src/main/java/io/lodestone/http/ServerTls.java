package io.lodestone.http;

import io.helidon.common.tls.Tls;
import io.lodestone.config.ConfigException;
import io.lodestone.config.TlsConfig;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The server port's TLS from {@code [tls]}: the certificate chain and private key read from their PEM files and
 * checked to belong together before the server starts, so that a wrong file fails start-up with a message naming
 * the key rather than every handshake later.
 */
final class ServerTls {
    private static final System.Logger LOG = System.getLogger(ServerTls.class.getName());

    private ServerTls() {
    }

    /**
     * The listener's TLS: disabled (plain HTTP) when {@code tls.enabled} is false.
     *
     * @throws ConfigException naming {@code tls.cert_path} or {@code tls.key_path} when a file is missing or
     *                         unreadable, holds no certificate or key, or the key is not the certificate's
     */
    static Tls from(TlsConfig config) {
        if (!config.enabled()) {
            return Tls.builder().enabled(false).build();
        }
        // ConfigLoader refuses enabled TLS without both paths.
        Path certFile = config.certPath().orElseThrow();
        Path keyFile = config.keyPath().orElseThrow();
        List<X509Certificate> chain = PemFile.read("tls.cert_path", certFile).certificates();
        PrivateKey key = PemFile.read("tls.key_path", keyFile).privateKey();
        X509Certificate own = chain.getFirst();
        if (!signs(key, own)) {
            throw new ConfigException("tls.key_path: the private key in " + keyFile + " does not match the certificate"
                    + " in " + certFile + " (" + own.getSubjectX500Principal().getName() + "); the server's own"
                    + " certificate must come first in the chain");
        }
        warnIfNotValidNow(own, certFile);
        return Tls.builder().privateKey(key).privateKeyCertChain(chain).build();
    }

    /** Whether a signature made with {@code key} verifies with the certificate's public key. */
    private static boolean signs(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // EdDSA: the key's parameters pick Ed25519 or Ed448
        };
        byte[] challenge = "lodestone tls key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a key of another type than the certificate's cannot verify its signature
        }
    }

    /** An expired certificate still starts (the operator may be renewing it), but every client will refuse it. */
    private static void warnIfNotValidNow(X509Certificate certificate, Path file) {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException e) {
            LOG.log(Level.WARNING, "the TLS certificate in " + file + " expired on " + certificate.getNotAfter()
                    + "; clients will refuse it");
        } catch (CertificateNotYetValidException e) {
            LOG.log(Level.WARNING, "the TLS certificate in " + file + " is not valid before "
                    + certificate.getNotBefore() + "; clients will refuse it");
        }
    }
}
