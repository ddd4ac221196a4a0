package io.lodestone.http;

import io.lodestone.config.ConfigException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEM file named by a configuration key: its {@code -----BEGIN LABEL-----} blocks, read as a certificate chain or
 * as one private key. Every failure is a {@link ConfigException} that names the key and the file, and for a key in
 * another format, the {@code openssl} command that converts it.
 */
final class PemFile {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern BASE64_BODY = Pattern.compile("[A-Za-z0-9+/=\\s]*");
    private static final String CERTIFICATE = "CERTIFICATE";
    private static final String PKCS8_KEY = "PRIVATE KEY";
    /** Key types a TLS server certificate can have, as the JDK's key factories name them. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA");

    private record Block(String label, String base64) {
    }

    private final String key;
    private final Path file;
    private final List<Block> blocks;

    private PemFile(String key, Path file, List<Block> blocks) {
        this.key = key;
        this.file = file;
        this.blocks = blocks;
    }

    /**
     * Reads the blocks of {@code file}.
     *
     * @param key the configuration key that names the file ({@code tls.cert_path}), for the messages
     * @throws ConfigException when the file is missing, not a regular file or unreadable
     */
    static PemFile read(String key, Path file) {
        if (!Files.exists(file)) {
            throw new ConfigException(key + ": " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(key + ": " + file + " is not a regular file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot read " + file + ": " + e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2)));
        }
        return new PemFile(key, file, blocks);
    }

    /** The {@code CERTIFICATE} blocks, in file order: the server's own certificate first, then intermediates. */
    List<X509Certificate> certificates() {
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Block b : blocks) {
            if (!b.label().equals(CERTIFICATE)) {
                continue;
            }
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der(b))));
            } catch (CertificateException e) {
                throw problem("certificate " + (chain.size() + 1) + " in " + file + " is not a valid X.509 certificate: "
                        + e.getMessage());
            }
        }
        if (chain.isEmpty()) {
            throw problem(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----); a DER file converts with"
                    + " openssl x509 -inform der -in " + file + " -out cert.pem");
        }
        return chain;
    }

    /** The one private key, which must be an unencrypted PKCS#8 {@code PRIVATE KEY} block. */
    PrivateKey privateKey() {
        List<Block> keys = blocks.stream().filter(b -> b.label().endsWith(PKCS8_KEY)).toList();
        if (keys.isEmpty()) {
            throw problem(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        if (keys.size() > 1) {
            throw problem(file + " holds " + keys.size() + " private keys; give the file with the certificate's key only");
        }
        Block block = keys.getFirst();
        if (!block.label().equals(PKCS8_KEY)) {
            throw problem(file + " holds a key in another format (-----BEGIN " + block.label() + "-----); this server"
                    + " reads unencrypted PKCS#8 (-----BEGIN PRIVATE KEY-----), which openssl pkey -in " + file
                    + " -out key.pem writes");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der(block));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not a key of this type: try the next
            }
        }
        throw problem("the private key in " + file + " is not an RSA, EC or EdDSA (Ed25519, Ed448) key");
    }

    private byte[] der(Block b) {
        if (!BASE64_BODY.matcher(b.base64()).matches()) {
            throw problem(file + ": the " + b.label() + " block is not base64");
        }
        try {
            return Base64.getMimeDecoder().decode(b.base64());
        } catch (IllegalArgumentException e) {
            throw problem(file + ": the " + b.label() + " block is not base64: " + e.getMessage());
        }
    }

    private ConfigException problem(String text) {
        return new ConfigException(key + ": " + text);
    }
}
