package io.sluice.filters.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads certificates and private keys from PEM files with Bouncy Castle's parser; the key and certificate objects
 * are made by the JDK's providers, encrypted keys decrypted by a private Bouncy Castle provider (nothing is
 * registered globally). Keys may be PKCS#8 ({@code PRIVATE KEY}),
 * encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}, with a password) or OpenSSL's traditional RSA/EC forms. A file
 * may hold other PEM objects too (a combined key-and-chain file serves as both): each reader takes what it needs.
 * Every failure is an {@link IllegalArgumentException} naming the file. Blocking file I/O: never on an event loop.
 */
final class PemFiles {

    private PemFiles() {
    }

    /** The certificates of {@code file}, in file order; {@code what} names the file in errors. */
    static List<X509Certificate> certificates(Path file, String what) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object object : objects(file, what)) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException(what + " " + file + " holds a certificate the JDK cannot read ("
                            + e.getMessage() + ")", e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(what + " " + file + " holds no PEM certificate");
        }
        return certificates;
    }

    /** The single private key of {@code file}; {@code password} is needed only for an encrypted key. */
    static PrivateKey privateKey(Path file, char[] password) {
        String what = "private key file";
        List<PrivateKey> keys = new ArrayList<>();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            for (Object object : objects(file, what)) {
                PrivateKeyInfo info = null;
                if (object instanceof PrivateKeyInfo plain) {
                    info = plain;
                } else if (object instanceof PEMKeyPair pair) {
                    info = pair.getPrivateKeyInfo();
                } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    info = encrypted.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder()
                            .setProvider(Decryption.PROVIDER).build(passwordFor(file, password)));
                } else if (object instanceof PEMEncryptedKeyPair encrypted) {
                    info = encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                            .setProvider(Decryption.PROVIDER).build(passwordFor(file, password)))
                            .getPrivateKeyInfo();
                }
                if (info != null) {
                    keys.add(converter.getPrivateKey(info));
                }
            }
        } catch (PKCSException | OperatorCreationException | PEMException e) {
            throw new IllegalArgumentException(what + " " + file + ": cannot decrypt or decode the key; is the "
                    + "password right? (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + file + ": cannot decrypt or decode the key ("
                    + e.getMessage() + ")", e);
        }
        if (keys.size() != 1) {
            throw new IllegalArgumentException(what + " " + file + (keys.isEmpty() ? " holds no PEM private key"
                    : " holds " + keys.size() + " private keys; give one per file"));
        }
        return keys.get(0);
    }

    private static char[] passwordFor(Path file, char[] password) {
        if (password == null) {
            throw new IllegalArgumentException("private key file " + file + " holds an encrypted key: give its "
                    + "password");
        }
        return password;
    }

    private static List<Object> objects(Path file, String what) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            List<Object> objects = new ArrayList<>();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
            return objects;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw unreadable(what, file, e);
        }
    }

    /** The error for a file that cannot be read at all: missing, forbidden, not PEM. */
    static IllegalArgumentException unreadable(String what, Path file, Exception e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (cause instanceof NoSuchFileException) {
            return new IllegalArgumentException(what + " " + file + " does not exist", cause);
        }
        if (cause instanceof AccessDeniedException) {
            return new IllegalArgumentException(what + " " + file + " cannot be read: permission denied", cause);
        }
        return new IllegalArgumentException("cannot read " + what + " " + file + " (" + cause + ")", cause);
    }

    /** A private Bouncy Castle provider for decrypting keys, made when first needed, never registered globally. */
    private static final class Decryption {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
