package io.sluice.filters.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1} (EC P-256, valid for a year), generated
 * with Bouncy Castle once per JVM, the first time a TLS server is set up without key material. It lets a server
 * start during development; no client that verifies certificates accepts it unless told to trust exactly this
 * certificate ({@code TrustMaterial.of(DevelopmentCertificate.certificate())}), so every server that uses it logs a
 * loud warning. Never for production. No buffers cross this class.
 */
public final class DevelopmentCertificate {

    private DevelopmentCertificate() {
    }

    /** This JVM's development certificate, generated on first use (on the calling thread: not an event loop). */
    public static X509Certificate certificate() {
        return Generated.KEY.leaf();
    }

    /**
     * Writes this JVM's development certificate and its private key as PEM files: {@code certificateFile} gets the
     * certificate, {@code keyFile} the unencrypted PKCS#8 key (readable by its owner only where the file system
     * allows). For handing the same development certificate to a second server or to a client that should trust it,
     * as {@code KeyMaterial.pem(certificateFile, keyFile)} and {@code TrustMaterial.pem(certificateFile)}, in tests
     * and benchmarks; never for production. Blocking file I/O; existing files are replaced. Logs no warning: the
     * server that uses the files is configured with key material, so only this method's caller knows what they are.
     *
     * @throws UncheckedIOException if a file cannot be written
     */
    public static void writePem(Path certificateFile, Path keyFile) {
        LoadedKey key = Generated.KEY;
        try {
            Files.writeString(certificateFile, pem("CERTIFICATE", key.leaf().getEncoded()), StandardCharsets.US_ASCII);
            Files.deleteIfExists(keyFile);
            if (keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(keyFile,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(keyFile, pem("PRIVATE KEY", key.key().getEncoded()), StandardCharsets.US_ASCII);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the TLS development certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the TLS development certificate to " + certificateFile
                    + " and " + keyFile, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The key and certificate, logging the warning for {@code server}, a description of who uses it. */
    static LoadedKey keyFor(String server) {
        Logger log = Loggers.getLogger(DevelopmentCertificate.class); // at use, so that tests can capture it
        log.warn("!!! {} has no key material and uses a self-signed DEVELOPMENT certificate for localhost and "
                + "127.0.0.1, generated at startup, that no client trusts: configure TlsOptions keyMaterial(...) "
                + "before any real use !!!", server);
        return Generated.KEY;
    }

    /** Generates once, when first needed. */
    private static final class Generated {
        static final LoadedKey KEY = generate();

        private static LoadedKey generate() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair pair = generator.generateKeyPair();
                X500Name name = new X500Name("CN=localhost,O=Sluice development certificate");
                Instant now = Instant.now();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                        new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                        Date.from(now.plus(Duration.ofDays(365))), name, pair.getPublic())
                        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, "localhost"),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false,
                                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
                return LoadedKey.checked(pair.getPrivate(), List.of(certificate), "development certificate");
            } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
                throw new IllegalStateException("cannot generate the TLS development certificate", e);
            }
        }
    }
}
