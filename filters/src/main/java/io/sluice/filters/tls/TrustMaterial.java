package io.sluice.filters.tls;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which certificate authorities a TLS peer trusts: the JDK's default trust store (the system's CAs), CA certificates
 * in PEM files, the trusted entries of a PKCS#12 trust store, or certificates in memory. A client verifies the
 * server against it; a server asking for client certificates ({@link ClientAuth}) verifies them against it.
 *
 * <p>A description only, read like {@link KeyMaterial}: once by {@link TlsOptions.Builder#build()}, again on
 * reload. No buffers cross this class.
 */
public final class TrustMaterial {

    private static final TrustMaterial SYSTEM = new TrustMaterial("the system's default trust store", List.of(),
            () -> null);

    private final String description;
    private final List<Path> files;
    private final Supplier<List<X509Certificate>> loader;

    private TrustMaterial(String description, List<Path> files, Supplier<List<X509Certificate>> loader) {
        this.description = description;
        this.files = List.copyOf(files);
        this.loader = loader;
    }

    /** The JDK's default trust store ({@code javax.net.ssl.trustStore}, else the JDK's {@code cacerts}). */
    public static TrustMaterial system() {
        return SYSTEM;
    }

    /** Every certificate in these PEM files is a trusted CA (each file may hold several). */
    public static TrustMaterial pem(Path... caFiles) {
        List<Path> files = List.of(caFiles);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("TrustMaterial.pem needs at least one CA file");
        }
        return new TrustMaterial("PEM CA files " + files, files, () -> {
            List<X509Certificate> cas = new ArrayList<>();
            for (Path file : files) {
                cas.addAll(PemFiles.certificates(file, "CA file"));
            }
            return cas;
        });
    }

    /** The trusted certificate entries of a PKCS#12 trust store. */
    public static TrustMaterial pkcs12(Path trustStore, char[] password) {
        Objects.requireNonNull(trustStore, "trustStore");
        char[] copy = Objects.requireNonNull(password, "password").clone();
        return new TrustMaterial("PKCS#12 trust store " + trustStore, List.of(trustStore),
                () -> Pkcs12Files.trustedCertificates(trustStore, copy));
    }

    /** These certificates, already in memory, are the trusted CAs. */
    public static TrustMaterial of(X509Certificate... cas) {
        List<X509Certificate> list = List.copyOf(Arrays.asList(cas));
        if (list.isEmpty()) {
            throw new IllegalArgumentException("TrustMaterial.of needs at least one certificate");
        }
        return new TrustMaterial("in-memory CAs", List.of(), () -> list);
    }

    List<Path> files() {
        return files;
    }

    /** The trusted CAs, or null for the system's default trust store (blocking file I/O). */
    List<X509Certificate> load() {
        return loader.get();
    }

    @Override
    public String toString() {
        return description;
    }
}
